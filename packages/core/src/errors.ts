/** Base class of every error Mainspring throws on purpose. */
export class MainspringError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One problem found by a payload schema. */
export interface ValidationIssue {
  path: (string | number)[];
  message: string;
}

/**
 * A payload did not match its job's schema. At enqueue nothing is stored; before the handler runs
 * the job fails with this error (not retried: the payload will not change).
 */
export class ValidationError extends MainspringError {
  constructor(
    readonly jobName: string,
    readonly issues: ValidationIssue[],
  ) {
    super(
      `Invalid payload for job "${jobName}": ` +
        issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '),
    );
  }
}

/**
 * Throw from a handler to fail the job at once, without further retries.
 * @example throw new NonRetryableError('account closed');
 */
export class NonRetryableError extends MainspringError {}

/** The handler ran past its job's `timeout`; its signal was aborted. Retryable. */
export class TimeoutError extends MainspringError {
  constructor(readonly timeoutMs: number) {
    super(`Job timed out after ${timeoutMs}ms`);
  }
}

/** No job with this id exists (or it was removed). */
export class JobNotFoundError extends MainspringError {
  constructor(readonly jobId: string) {
    super(`Job ${jobId} not found`);
  }
}

/** The store could not be reached; the runner backs off and retries. */
export class StoreUnavailableError extends MainspringError {}

/** Input to the API itself was wrong (unknown job name, bad option): a programming error. */
export class ConfigError extends MainspringError {}
