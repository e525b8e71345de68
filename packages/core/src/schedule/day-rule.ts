const DAY_MS = 86_400_000;
/** The Gregorian calendar repeats every 400 years: a day rule matching nothing in that span never matches. */
const HORIZON_DAYS = 146_097;

/**
 * Which calendar days an expression fires on, as bit sets (bit `n` set = value `n` allowed).
 * Built by `readCronFields`; matched in plain arithmetic, one calendar day at a time, skipping
 * whole months the expression excludes.
 */
export interface DayRule {
  /** Bits 1-12. */
  months: number;
  /** Bits 1-31: the listed days of the month. */
  dayOfMonth: number;
  /** `L` in the day-of-month field: the month's last day. */
  dayOfMonthLast: boolean;
  /** The day-of-month field is exactly `*` or `?`. */
  dayOfMonthWildcard: boolean;
  /** Bits 0-6 (Sunday = 0): the listed weekdays. */
  dayOfWeek: number;
  /** Bits 0-6: weekdays given as `nL`, matching their last occurrence in the month. */
  dayOfWeekLast: number;
  /** The day-of-week field is exactly `*` or `?`. */
  dayOfWeekWildcard: boolean;
  /** `#k` of the day-of-week field (the listed weekdays match only their k-th occurrence); 0 when absent. */
  nth: number;
}

/** Epoch ms of UTC midnight of a date; unlike `Date.UTC`, years 0-99 are not read as 1900-1999. */
function utcDay(year: number, monthIndex: number, date: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, date);
  return d.getTime();
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1-12) of the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_LENGTHS[month - 1]!;
}

const has = (mask: number, bit: number): boolean => ((mask >>> bit) & 1) === 1;

/**
 * Whether a calendar day (month 1-12, weekday 0-6) matches. With both day fields restricted a day
 * matching either fires; with one restricted, that one decides; with neither, every day fires.
 */
function matches(rule: DayRule, year: number, month: number, date: number, weekday: number): boolean {
  let domMatch = false;
  let dowMatch = false;
  const needLast = rule.dayOfMonthLast || rule.dayOfWeekLast !== 0;
  const last = needLast ? daysInMonth(year, month) : 0;
  if (!rule.dayOfMonthWildcard || rule.dayOfWeekWildcard) {
    domMatch = has(rule.dayOfMonth, date) || (rule.dayOfMonthLast && date === last);
  }
  if (!rule.dayOfWeekWildcard) {
    dowMatch =
      (has(rule.dayOfWeek, weekday) && (rule.nth === 0 || Math.ceil(date / 7) === rule.nth)) ||
      (has(rule.dayOfWeekLast, weekday) && date > last - 7);
  }
  if (rule.dayOfWeekWildcard) return domMatch;
  if (rule.dayOfMonthWildcard) return dowMatch;
  return domMatch || dowMatch;
}

/**
 * The first matching day (UTC midnight epoch ms of the local date) at or after `day` when
 * `direction` is 1, at or before it when -1; null when none within 400 years.
 */
export function matchingDay(rule: DayRule, day: number, direction: 1 | -1): number | null {
  let current = day;
  for (let steps = 0; steps < HORIZON_DAYS; steps++) {
    const d = new Date(current);
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth() + 1;
    if (!has(rule.months, month)) {
      // Jump to the first day of the next month (or the last day of the previous one).
      current = direction === 1 ? utcDay(year, month, 1) : utcDay(year, month - 1, 0);
      steps += 27;
      continue;
    }
    if (matches(rule, year, month, d.getUTCDate(), d.getUTCDay())) return current;
    current += direction * DAY_MS;
  }
  return null;
}
