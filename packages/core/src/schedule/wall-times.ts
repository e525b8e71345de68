import type { ParsedCron } from './cron.js';

const DAY_MS = 86_400_000;

const dayOf = (wall: number): number => Math.floor(wall / DAY_MS) * DAY_MS;

/** Smallest index whose value is greater than `x` (length when none). */
function firstAbove(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Wall times (local date and time as UTC epoch ms) matching the expression, strictly after
 * `wall`, ascending. Matching days come from the day rule; times within a day from the time fields,
 * so the cost is one day lookup per matching day plus one step per fire.
 */
export function* wallTimesAfter(cron: ParsedCron, wall: number): Generator<number, void, undefined> {
  const times = cron.timesOfDay;
  const startDay = dayOf(wall);
  let from = startDay;
  for (;;) {
    const day = cron.matchingDay(from, 1);
    if (day === null) return;
    for (let i = day === startDay ? firstAbove(times, wall - day) : 0; i < times.length; i++) yield day + times[i]!;
    from = day + DAY_MS;
  }
}

/** Wall times matching the expression, strictly before `wall`, descending. */
export function* wallTimesBefore(cron: ParsedCron, wall: number): Generator<number, void, undefined> {
  const times = cron.timesOfDay;
  const startDay = dayOf(wall);
  let from = startDay;
  for (;;) {
    const day = cron.matchingDay(from, -1);
    if (day === null) return;
    // Index of the last time of day strictly before `wall` on the starting day.
    const top = day === startDay ? firstAbove(times, wall - day - 1) - 1 : times.length - 1;
    for (let i = top; i >= 0; i--) yield day + times[i]!;
    from = day - DAY_MS;
  }
}
