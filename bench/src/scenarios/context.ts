import { nowMs, sleep } from '../clock.js';
import type { BenchClient, BenchEnv, BenchPayload, Driver } from '../drivers/types.js';
import type { WorkerPool } from '../run/workers.js';

/** What a scenario gets: the target's driver, a fresh environment, a prepared client, and a way to start workers. */
export interface ScenarioContext {
  driver: Driver;
  env: BenchEnv;
  client: BenchClient;
  /** Wall-clock ms after which a drain gives up and reports the rate it reached (libraries whose defaults poll slowly). */
  maxDrainMs: number;
  workers(count: number): Promise<WorkerPool>;
}

export type Metrics = Record<string, number | string | boolean>;

/**
 * Bulk-inserts `count` jobs in chunks through the library's bulk API, `lanes` calls at a time
 * (one for timed inserts; more to fill a large backlog sooner); returns elapsed ms.
 */
export async function insertJobs(client: BenchClient, count: number, chunk: number, lanes = 1): Promise<number> {
  const started = nowMs();
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const from = next;
      const size = Math.min(chunk, count - from);
      next += size;
      const payloads: BenchPayload[] = Array.from({ length: size }, (_, k) => ({ i: from + k }));
      await client.insertMany(payloads);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return nowMs() - started;
}

export interface DrainResult {
  /** Jobs counted as done: the goal, or what the workers had started when the deadline hit. */
  done: number;
  ms: number;
  jobsPerSec: number;
  /** True when the deadline ended the drain before the store reported the goal finished. */
  capped: boolean;
}

/**
 * Starts the workers and times them until the store itself reports `goal` jobs finished (or, for a
 * library that keeps no finished jobs, at most `remaining` unfinished) after they started `goal`
 * jobs: a handler having run is not enough, its completion must be committed. `finishedBefore` is
 * what earlier drains of the same environment finished (none unless a scenario drains twice).
 */
export async function drain(ctx: ScenarioContext, pool: WorkerPool, goal: number, remaining: number, finishedBefore = 0): Promise<DrainResult> {
  const deadline = Date.now() + ctx.maxDrainMs;
  const { client } = ctx;
  const finished = client.finished
    ? async () => (await client.finished!()) >= finishedBefore + goal
    : async () => (await client.unfinished()) <= remaining;
  const started = nowMs();
  pool.go(goal);
  let capped = !(await pool.waitHandled(goal, deadline));
  // The drain ends when the check that saw everything finished began: its snapshot already held
  // every completion, so the time the check query itself takes (it grows with the finished jobs it
  // counts) is the harness's cost, not the library's.
  let ended = 0;
  while (!capped) {
    const asked = nowMs();
    if (await finished()) {
      ended = asked;
      break;
    }
    if (Date.now() > deadline) capped = true;
    else await sleep(5);
  }
  const ms = (capped ? nowMs() : ended) - started;
  const done = capped ? Math.min(pool.handled, goal) : goal;
  return { done, ms, jobsPerSec: (done / ms) * 1000, capped };
}

export const MB = 1024 * 1024;
