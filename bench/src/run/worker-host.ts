import { nowMs } from '../clock.js';
import type { BenchClient, BenchEnv, BenchPayload, BenchWorker, Driver } from '../drivers/types.js';
import type { WorkerReport } from './protocol.js';

const RSS_SAMPLE_MS = 20;

/**
 * One library worker plus the harness's bookkeeping: counts jobs, records latencies from the
 * payload's enqueue stamp, and samples this process's RSS while running.
 */
export class WorkerHost {
  handled = 0;
  private latencies: number[] = [];
  private idleRss = 0;
  private peakRss = 0;
  private sampler: NodeJS.Timeout | null = null;
  private cpuAtStart: NodeJS.CpuUsage | null = null;
  private worker: BenchWorker | null = null;
  private goal = Number.POSITIVE_INFINITY;
  /** Called on every job; the child process uses it to report reaching its goal at once. */
  onGoal: (() => void) | null = null;

  constructor(
    private readonly driver: Driver,
    private readonly env: BenchEnv,
    private readonly shared?: BenchClient,
  ) {}

  async open(): Promise<void> {
    this.worker = await this.driver.openWorker(this.env, (p) => this.onJob(p), this.shared);
    this.idleRss = process.memoryUsage.rss();
  }

  private onJob(payload: BenchPayload): void {
    this.handled += 1;
    if (typeof payload?.t === 'number') this.latencies.push(nowMs() - payload.t);
    if (this.handled === this.goal) this.onGoal?.();
  }

  private sample(): void {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
  }

  async go(goal: number): Promise<void> {
    this.goal = goal;
    this.cpuAtStart = process.cpuUsage();
    this.sample();
    this.sampler = setInterval(() => this.sample(), RSS_SAMPLE_MS);
    await this.worker!.start();
  }

  async stop(): Promise<WorkerReport> {
    this.sample();
    if (this.sampler) clearInterval(this.sampler);
    const cpu = process.cpuUsage(this.cpuAtStart ?? undefined);
    await this.worker?.stop();
    return {
      handled: this.handled,
      latencies: this.latencies,
      idleRss: this.idleRss,
      peakRss: this.peakRss,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  }
}
