import type { JobDefinition } from '../define/job.js';
import type { Mainspring } from '../mainspring.js';
import type { JobRecord, JobState } from '../store/contract.js';

export interface EnqueuedQuery<P> {
  /** Matches when every field given here equals the job payload's (deep equality). */
  payload?: Partial<P>;
  state?: JobState | JobState[];
  tenant?: string;
  queue?: string;
  key?: string;
}

/**
 * Jobs of one type in the store (any state unless `state` is given), oldest first, filtered by a
 * partial payload.
 */
export async function enqueued<P>(ms: Mainspring, job: JobDefinition<P, any> | string, query: EnqueuedQuery<P> = {}): Promise<JobRecord[]> {
  const name = typeof job === 'string' ? job : job.name;
  const found: JobRecord[] = [];
  for (let cursor: string | null = null; ; ) {
    const page = await ms.listJobs({ name, state: query.state, tenant: query.tenant, queue: query.queue, key: query.key, limit: 1000, cursor });
    found.push(...page.jobs.filter((j) => matches(j.payload, query.payload)));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return found.reverse();
}

/**
 * Throws (failing the test) unless jobs of this type matching the query were enqueued; `count`
 * checks the exact number. Returns the matching jobs.
 *
 * @example await assertEnqueued(ms, sendEmail, { payload: { to: 'ada@example.com' } });
 */
export async function assertEnqueued<P>(
  ms: Mainspring,
  job: JobDefinition<P, any> | string,
  query: EnqueuedQuery<P> & { count?: number } = {},
): Promise<JobRecord[]> {
  const jobs = await enqueued(ms, job, query);
  const name = typeof job === 'string' ? job : job.name;
  const expected = query.count;
  if (expected === undefined ? jobs.length === 0 : jobs.length !== expected) {
    const all = await enqueued(ms, job);
    throw new Error(
      `Expected ${expected ?? 'at least 1'} "${name}" job(s) matching ${JSON.stringify(query)}, found ${jobs.length}. ` +
        `Enqueued "${name}" payloads: ${JSON.stringify(all.map((j) => j.payload))}`,
    );
  }
  return jobs;
}

/** Throws unless no job of this type matches the query. */
export async function assertNotEnqueued<P>(ms: Mainspring, job: JobDefinition<P, any> | string, query: EnqueuedQuery<P> = {}): Promise<void> {
  await assertEnqueued(ms, job, { ...query, count: 0 });
}

function matches(actual: unknown, expected: unknown): boolean {
  if (expected === undefined) return true;
  if (expected === null || typeof expected !== 'object') return Object.is(actual, expected);
  if (actual === null || typeof actual !== 'object') return false;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => matches(actual[i], v));
  }
  return Object.entries(expected as Record<string, unknown>).every(([k, v]) => matches((actual as Record<string, unknown>)[k], v));
}
