import { vitest } from './vitest.js';
import type { JobRecord, NewJob, Store } from '../../store/contract.js';

/** Options of {@link runStoreConformance}. */
export interface StoreConformanceOptions {
  /** Shown in test names, e.g. `'postgres'`. */
  name: string;
  /**
   * A fresh, empty, migrated store, called once per test. Isolate tests here (a new schema or key
   * prefix per call) when they share a server; the suite closes each store after its test.
   */
  create: () => Promise<Store> | Store;
  /**
   * Where each test reads its base time (epoch ms); defaults to `store.now()`. Every time the
   * suite passes as `now` is this base plus an offset, so stores with a server clock work.
   */
  clock?: (store: Store) => number | Promise<number>;
}

/** What an area's tests see: the store of the running test and its base time. */
export interface Harness {
  readonly store: Store;
  /** Base time of the running test, whole epoch ms. */
  readonly t0: number;
}

/** Register per-test set-up and tear-down in the current `describe` and return the live harness. */
export function useStore(options: StoreConformanceOptions): Harness {
  const { afterEach, beforeEach } = vitest();
  let store: Store | null = null;
  let t0 = 0;
  beforeEach(async () => {
    store = await options.create();
    t0 = Math.floor(await (options.clock ? options.clock(store) : store.now()));
  });
  afterEach(async () => {
    const s = store;
    store = null;
    await s?.close();
  });
  return {
    get store(): Store {
      if (!store) throw new Error('The conformance store is only available inside a test');
      return store;
    },
    get t0(): number {
      return t0;
    },
  };
}

/** A job to insert with the suite's defaults; override what a test cares about. */
export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return { name: 'conf-job', queue: 'default', payload: { n: 1 }, priority: 0, maxAttempts: 3, ...overrides };
}

/** Insert jobs at `now` and return the records, in input order. */
export async function insertJobs(store: Store, jobs: NewJob[], now: number): Promise<JobRecord[]> {
  const results = await store.insert({ jobs, now });
  return results.map((r) => r.job);
}

/** Insert one job at `now`. */
export async function insertJob(store: Store, job: Partial<NewJob>, now: number): Promise<JobRecord> {
  return (await insertJobs(store, [newJob(job)], now))[0];
}

/** Claim one specific-name batch with the suite's defaults. */
export async function claim(
  store: Store,
  now: number,
  opts: { names?: string[]; limit?: number; workerId?: string; leaseMs?: number; queues?: string[] } & Pick<
    Parameters<Store['claim']>[0],
    'limits'
  > = {},
): Promise<JobRecord[]> {
  return store.claim({
    workerId: opts.workerId ?? 'w1',
    names: opts.names ?? ['conf-job'],
    queues: opts.queues,
    limit: opts.limit ?? 100,
    leaseMs: opts.leaseMs ?? 30_000,
    limits: opts.limits,
    now,
  });
}

/** Ids sorted as integers, for order-insensitive comparisons. */
export function sortedIds(jobs: Array<{ id: string } | string>): string[] {
  return jobs.map((j) => (typeof j === 'string' ? j : j.id)).sort(compareIds);
}

/** Compare decimal id strings numerically (ids may exceed 2^53 in some stores). */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Epoch ms of a date that must be present. */
export function ms(date: Date | null | undefined): number {
  if (!(date instanceof Date)) throw new Error(`Expected a Date, got ${String(date)}`);
  return date.getTime();
}
