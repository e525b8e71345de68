import type { Mainspring } from '../mainspring.js';

export interface DrainOptions {
  /** Jobs run at once per round; default 10. */
  concurrency?: number;
  /** Safety stop for jobs that keep enqueueing more; default 10,000. */
  maxJobs?: number;
  /** Also run delayed jobs and retries that are backing off, as if their time had come. Default false. */
  runDelayed?: boolean;
}

export interface DrainResult {
  /** Attempts run. */
  ran: number;
  completed: number;
  failed: number;
  retried: number;
}

/**
 * Run every due job inline and resolve when nothing is left to do: the way to test code that
 * enqueues jobs without starting workers or sleeping.
 *
 * @example
 * await signUp('ada@example.com');
 * const { completed } = await drain(ms);
 * expect(completed).toBe(1);
 */
export async function drain(ms: Mainspring, options: DrainOptions = {}): Promise<DrainResult> {
  const result: DrainResult = { ran: 0, completed: 0, failed: 0, retried: 0 };
  const onCompleted = () => result.completed++;
  const onFailed = () => result.failed++;
  const onRetrying = () => result.retried++;
  ms.on('job:completed', onCompleted).on('job:failed', onFailed).on('job:retrying', onRetrying);
  try {
    result.ran = await ms.drainJobs(options);
  } finally {
    ms.off('job:completed', onCompleted).off('job:failed', onFailed).off('job:retrying', onRetrying);
  }
  return result;
}
