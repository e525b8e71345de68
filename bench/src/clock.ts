/**
 * Milliseconds on the system-wide monotonic clock (CLOCK_MONOTONIC via hrtime).
 * Every process on the machine reads the same clock, so a timestamp taken in the
 * producer can be subtracted from one taken in a worker process with sub-ms precision,
 * which `Date.now()` (1 ms steps, wall clock) cannot do.
 */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
