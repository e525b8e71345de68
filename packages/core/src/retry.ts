import { toMs, type Duration } from './duration.js';

/** How long to wait before the next attempt. A function gets the attempt that just failed (1-based). */
export type Backoff =
  | { type: 'fixed'; delay: Duration; jitter?: boolean }
  | { type: 'exponential'; delay: Duration; max?: Duration; jitter?: boolean }
  | ((attempt: number, error: unknown) => Duration);

/**
 * A job's retry policy. `attempts` counts every run, the first included.
 * @example { attempts: 5, backoff: { type: 'exponential', delay: '2s', max: '5m' } }
 */
export interface RetryPolicy {
  attempts?: number;
  backoff?: Backoff;
}

export interface ResolvedRetryPolicy {
  attempts: number;
  backoff: Backoff;
}

const DEFAULT_MAX_DELAY_MS = 3_600_000;

/** Defaults: three attempts, exponential from one second, capped at one hour, with jitter. */
export const DEFAULT_RETRY: ResolvedRetryPolicy = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1_000, max: DEFAULT_MAX_DELAY_MS, jitter: true },
};

/** Fills in defaults and checks a policy once, at definition time. */
export function resolveRetryPolicy(policy: RetryPolicy | number | undefined, jobName: string): ResolvedRetryPolicy {
  const input = typeof policy === 'number' ? { attempts: policy } : policy ?? {};
  const attempts = input.attempts ?? DEFAULT_RETRY.attempts;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new TypeError(`Job "${jobName}": retry.attempts must be an integer >= 1, got ${attempts}`);
  }
  const backoff = input.backoff ?? DEFAULT_RETRY.backoff;
  if (typeof backoff !== 'function') {
    toMs(backoff.delay, `job "${jobName}" retry delay`);
    if (backoff.type === 'exponential' && backoff.max !== undefined) toMs(backoff.max, `job "${jobName}" retry max`);
    if (backoff.type !== 'fixed' && backoff.type !== 'exponential') {
      throw new TypeError(`Job "${jobName}": unknown backoff type ${JSON.stringify((backoff as { type: unknown }).type)}`);
    }
  }
  return { attempts, backoff };
}

/**
 * Delay in ms before retrying after `attempt` failed. Computed in core so every store retries the same way.
 * Jitter keeps half the delay fixed and randomizes the other half, so retries spread out but never come early.
 */
export function retryDelay(backoff: Backoff, attempt: number, error: unknown, random: () => number = Math.random): number {
  if (typeof backoff === 'function') return toMs(backoff(attempt, error), 'retry delay');
  const base = toMs(backoff.delay);
  const max = backoff.type === 'exponential' && backoff.max !== undefined ? toMs(backoff.max) : DEFAULT_MAX_DELAY_MS;
  const raw = backoff.type === 'fixed' ? base : Math.min(base * 2 ** (attempt - 1), max);
  const jitter = backoff.jitter ?? backoff.type === 'exponential';
  return Math.round(jitter ? raw / 2 + (random() * raw) / 2 : raw);
}
