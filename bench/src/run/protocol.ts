import type { BenchEnv } from '../drivers/types.js';

/** What a worker process reports when it stops. */
export interface WorkerReport {
  handled: number;
  /** Enqueue-to-handler-start of every job that carried an enqueue stamp, in ms. */
  latencies: number[];
  /** RSS after the worker was opened and before it started, in bytes. */
  idleRss: number;
  /** Highest RSS sampled between start and stop, in bytes. */
  peakRss: number;
  /** CPU time (user + system) this process used between start and stop, in ms. */
  cpuMs: number;
}

/** Coordinator → worker process. */
export type ToWorker = { type: 'go'; goal: number } | { type: 'stop' };

/** Worker process → coordinator. */
export type FromWorker =
  | { type: 'ready' }
  /** The library's start call returned (it may already be working). */
  | { type: 'started' }
  | { type: 'progress'; handled: number }
  | { type: 'report'; report: WorkerReport }
  | { type: 'error'; message: string };

/** How a worker process is told what to run (passed in the BENCH_WORKER environment variable). */
export interface WorkerConfig {
  driverId: string;
  env: BenchEnv;
}

/** How a scenario process is told what to run (passed in the BENCH_SCENARIO environment variable). */
export interface ScenarioConfig {
  driverId: string;
  scenario: ScenarioName;
  params: Record<string, number>;
  env: BenchEnv;
}

export type ScenarioName = 'throughput' | 'latency' | 'backlog' | 'scaleout';

/** Scenario process → orchestrator: one message, then it exits. */
export type ScenarioOutcome =
  | { ok: true; metrics: Record<string, number | string | boolean> }
  | { ok: false; error: string };
