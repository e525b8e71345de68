import type { ChildProcess } from 'node:child_process';
import type { BenchClient, BenchEnv, Driver } from '../drivers/types.js';
import type { FromWorker, ToWorker, WorkerReport } from './protocol.js';
import { OutputTail, spawnChild } from './spawn.js';
import { WorkerHost } from './worker-host.js';

/** The coordinator's view of one worker, in a child process or in its own process. */
interface WorkerHandle {
  handled: number;
  /** Resolves once the library's start call returned after `go`. */
  started: Promise<void>;
  go(goal: number): void;
  stop(): Promise<WorkerReport>;
  kill(): void;
}

/** A set of workers the coordinator starts together and waits on. */
export class WorkerPool {
  private waiters: (() => void)[] = [];
  private failure: Error | null = null;

  constructor(private readonly handles: WorkerHandle[]) {}

  get handled(): number {
    return this.handles.reduce((sum, h) => sum + h.handled, 0);
  }

  /** Wakes anyone waiting; called on every progress report. */
  notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  fail(err: Error): void {
    this.failure ??= err;
    this.notify();
  }

  go(goal: number): void {
    for (const h of this.handles) h.go(goal);
  }

  /** Resolves once every worker's start call returned. */
  async started(): Promise<void> {
    await Promise.all(this.handles.map((h) => h.started));
  }

  /** Resolves true once the workers together started `goal` jobs, false at the deadline. */
  async waitHandled(goal: number, deadline: number): Promise<boolean> {
    while (this.handled < goal) {
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  async stop(): Promise<WorkerReport[]> {
    return Promise.all(this.handles.map((h) => h.stop()));
  }

  kill(): void {
    for (const h of this.handles) h.kill();
  }
}

/** Starts `count` worker processes and resolves when all have connected and are idle. */
export async function spawnWorkers(driverId: string, env: BenchEnv, count: number, verbose: boolean): Promise<WorkerPool> {
  const handles: WorkerHandle[] = [];
  const pool = new WorkerPool(handles);
  const readies: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const { child, output } = spawnChild('worker', {
      env: { BENCH_WORKER: JSON.stringify({ driverId, env }) },
      verbose,
    });
    const handle = childHandle(child, output, pool);
    handles.push(handle.handle);
    readies.push(handle.ready);
  }
  try {
    await Promise.all(readies);
  } catch (err) {
    pool.kill();
    throw err;
  }
  return pool;
}

function childHandle(child: ChildProcess, output: OutputTail, pool: WorkerPool) {
  let stopping: { resolve: (r: WorkerReport) => void; reject: (e: Error) => void } | null = null;
  let settled = false;
  let markStarted = () => {};
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const send = (msg: ToWorker) => {
    if (child.connected) child.send(msg);
  };
  const handle: WorkerHandle = {
    handled: 0,
    started,
    go: (goal) => send({ type: 'go', goal }),
    stop: () =>
      new Promise<WorkerReport>((resolve, reject) => {
        stopping = { resolve, reject };
        send({ type: 'stop' });
      }),
    kill: () => child.kill('SIGKILL'),
  };
  const ready = new Promise<void>((resolve, reject) => {
    const failWith = (why: string) => {
      const err = new Error(`worker process ${why}\n${output.toString()}`);
      if (!settled) reject(err);
      settled = true;
      stopping?.reject(err);
      pool.fail(err);
    };
    child.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') {
        settled = true;
        resolve();
      } else if (msg.type === 'started') {
        markStarted();
      } else if (msg.type === 'progress') {
        handle.handled = msg.handled;
        pool.notify();
      } else if (msg.type === 'report') {
        handle.handled = msg.report.handled;
        const s = stopping;
        stopping = null;
        s?.resolve(msg.report);
      } else if (msg.type === 'error') {
        failWith(`failed: ${msg.message}`);
      }
    });
    child.on('exit', (code, signal) => {
      if (code !== 0) failWith(`exited (${code ?? signal})`);
    });
  });
  return { handle, ready };
}

/** One worker inside the coordinator's own process, sharing its client (embedded databases). */
export async function inProcessWorker(driver: Driver, env: BenchEnv, shared: BenchClient): Promise<WorkerPool> {
  const host = new WorkerHost(driver, env, shared);
  await host.open();
  const handles: WorkerHandle[] = [];
  const pool = new WorkerPool(handles);
  const tick = setInterval(() => pool.notify(), 20);
  let markStarted = () => {};
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const handle: WorkerHandle = {
    get handled() {
      return host.handled;
    },
    started,
    go: (goal) => {
      host.onGoal = () => pool.notify();
      host.go(goal).then(markStarted, (err: Error) => pool.fail(err));
    },
    stop: async () => {
      clearInterval(tick);
      return host.stop();
    },
    kill: () => clearInterval(tick),
  };
  handles.push(handle);
  return pool;
}
