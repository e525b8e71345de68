import { toMs, type Duration } from '../duration.js';
import { ConfigError } from '../errors.js';
import type { CatchUpPolicy } from '../store/contract.js';
import { firesAfter, firesBefore, resolveCron, toEpoch, type CronSource, type Instant } from './fire-times.js';

/**
 * What a schedule does about fire times missed while no process was firing it:
 * - `'none'`: skip them;
 * - `'latest'`: run the most recent missed fire once;
 * - `{ max, within }`: run at most `max` missed fires no older than `within`, the most recent ones.
 *
 * Fires at most the grace period late (see {@link DEFAULT_CATCH_UP_GRACE_MS}) are never "missed".
 */
export type CatchUpOption = 'none' | 'latest' | { max: number; within: Duration };

/**
 * How late a fire may be enqueued and still count as on time rather than missed. A tick that comes
 * a few seconds (or a store hiccup's worth) late fires normally under every policy.
 */
export const DEFAULT_CATCH_UP_GRACE_MS = 60_000;

function label(scheduleName: string | undefined): string {
  return scheduleName === undefined ? '' : ` for schedule "${scheduleName}"`;
}

/**
 * Turn the public `catchUp` option (or an already stored policy) into the stored form.
 * `undefined` means `'none'`.
 *
 * @example normalizeCatchUp({ max: 3, within: '1d' }) // { max: 3, withinMs: 86400000 }
 * @throws ConfigError for anything else.
 */
export function normalizeCatchUp(option: CatchUpOption | CatchUpPolicy | undefined, scheduleName?: string): CatchUpPolicy {
  if (option === undefined || option === 'none') return 'none';
  if (option === 'latest') return 'latest';
  const fail = (why: string): never => {
    throw new ConfigError(`Invalid catchUp${label(scheduleName)}: ${why}`);
  };
  if (typeof option !== 'object' || option === null) {
    return fail(`expected 'none', 'latest' or { max, within }, got ${JSON.stringify(option)}`);
  }
  const { max } = option;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 0) fail(`max must be a whole number >= 0, got ${String(max)}`);
  let withinMs: number;
  if ('within' in option && option.within !== undefined) {
    try {
      withinMs = toMs(option.within, 'catchUp.within');
    } catch (error) {
      return fail((error as Error).message);
    }
  } else if ('withinMs' in option && typeof option.withinMs === 'number' && Number.isFinite(option.withinMs) && option.withinMs >= 0) {
    withinMs = option.withinMs;
  } else {
    return fail('within is required, e.g. { max: 3, within: "1d" }');
  }
  return { max, withinMs };
}

/** One fire instant to enqueue now. */
export interface DueFire {
  fireAt: Date;
  /** True for a missed fire enqueued by the catch-up policy (more than the grace period late). */
  backfill: boolean;
}

export interface DueFiresParams extends CronSource {
  catchUp: CatchUpOption | CatchUpPolicy;
  /** The schedule's stored next fire; fires from it (inclusive) up to `now` are due. */
  nextFireAt?: Instant | null;
  /** Used only when `nextFireAt` is null: fires after it (exclusive) up to `now` are due. */
  lastFireAt?: Instant | null;
  /** The store's clock. */
  now: Instant;
  /** Default {@link DEFAULT_CATCH_UP_GRACE_MS}. */
  graceMs?: number;
}

export interface DueFiresResult {
  /**
   * True when the caller should call `store.fireSchedule` with this result: the stored
   * `nextFireAt` has come (even if every due fire was skipped, it must advance) or was never set.
   */
  due: boolean;
  /** Fires to enqueue, oldest first; each becomes a job keyed by `fireKey(name, fireAt)`. */
  fires: DueFire[];
  /** The first fire strictly after `now`: the new `nextFireAt`. Null when the expression never fires again. */
  nextFireAt: Date | null;
  /** The new `lastFireAt`: the latest of `fires`, else the `lastFireAt` given. */
  lastFireAt: Date | null;
  /** The first and last missed fire instants that were dropped by the policy, if any. */
  skipped: { first: Date; last: Date } | null;
}

/**
 * Decide which fire instants of a schedule to enqueue at `now` and where its next fire is.
 * Pure: the caller reads the schedule, calls this, and applies the result with the store's
 * compare-and-set `fireSchedule`, so concurrent processes fire each instant once.
 *
 * Due fires are those in `[nextFireAt, now]` (or `(lastFireAt, now]` when `nextFireAt` is null;
 * neither means a new schedule, which starts after `now`). Fires at most `graceMs` old are on time
 * and always enqueued; older ones are missed and handled by the policy: `'none'` drops them,
 * `'latest'` enqueues the most recent one when nothing is on time, `{ max, withinMs }` enqueues the
 * most recent `max` no older than `withinMs`. Missed fires enqueued are marked `backfill`.
 *
 * @example
 * const r = dueFires({ ...record, now: await store.now() });
 * if (r.due) await store.fireSchedule({ name: record.name, expectedNextFireAt: record.nextFireAt,
 *   nextFireAt: r.nextFireAt, lastFireAt: r.lastFireAt, jobs: r.fires.map(toJob) });
 */
export function dueFires(params: DueFiresParams): DueFiresResult {
  const cron = resolveCron(params);
  const policy = normalizeCatchUp(params.catchUp, params.name);
  const now = toEpoch(params.now, 'now');
  const graceMs = params.graceMs ?? DEFAULT_CATCH_UP_GRACE_MS;
  if (!(graceMs >= 0) || !Number.isFinite(graceMs)) throw new ConfigError(`graceMs must be >= 0, got ${graceMs}`);
  const stored = params.nextFireAt == null ? null : toEpoch(params.nextFireAt, 'nextFireAt');
  const previous = params.lastFireAt == null ? null : new Date(toEpoch(params.lastFireAt, 'lastFireAt'));

  if (stored !== null && stored > now) {
    return { due: false, fires: [], nextFireAt: new Date(stored), lastFireAt: previous, skipped: null };
  }
  const upcoming = firesAfter(cron, now, Number.POSITIVE_INFINITY, 1)[0];
  const nextFireAt = upcoming === undefined ? null : new Date(upcoming);
  // First due instant (inclusive); a schedule with no history starts after `now`.
  const start = stored ?? (previous ? previous.getTime() + 1 : null);
  if (start === null) return { due: true, fires: [], nextFireAt, lastFireAt: null, skipped: null };

  const cutoff = now - graceMs; // fires before this are missed
  const onTime = firesAfter(cron, Math.max(start, cutoff) - 1, now, Number.POSITIVE_INFINITY);
  let backfill: number[] = [];
  if (policy === 'latest') {
    if (onTime.length === 0) backfill = firesBefore(cron, cutoff, start, 1);
  } else if (policy !== 'none') {
    backfill = firesBefore(cron, cutoff, Math.max(start, now - policy.withinMs), policy.max).reverse();
  }

  // Dropped: the missed fires older than the oldest one backfilled.
  const dropEnd = backfill.length > 0 ? backfill[0]! : cutoff;
  const firstDropped = firesAfter(cron, start - 1, dropEnd - 1, 1)[0];
  const lastDropped = firstDropped === undefined ? undefined : firesBefore(cron, dropEnd, start, 1)[0];

  const fires: DueFire[] = [
    ...backfill.map((t) => ({ fireAt: new Date(t), backfill: true })),
    ...onTime.map((t) => ({ fireAt: new Date(t), backfill: false })),
  ];
  return {
    due: true,
    fires,
    nextFireAt,
    lastFireAt: fires.length > 0 ? fires[fires.length - 1]!.fireAt : previous,
    skipped:
      firstDropped === undefined || lastDropped === undefined
        ? null
        : { first: new Date(firstDropped), last: new Date(lastDropped) },
  };
}
