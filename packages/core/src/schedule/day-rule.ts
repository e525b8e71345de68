import type { CronFieldCollection } from 'cron-parser';

const DAY_MS = 86_400_000;
/** The Gregorian calendar repeats every 400 years: a day rule matching nothing in that span never matches. */
const HORIZON_DAYS = 146_097;

/**
 * Which calendar days an expression fires on, read from cron-parser's parsed fields and matched
 * with the same rules cron-parser applies (its `#matchDayOfMonth`), but in plain arithmetic:
 * cron-parser steps one luxon date per day, far too slow for monthly or yearly schedules.
 */
export interface DayRule {
  months: ReadonlySet<number>;
  dayOfMonth: readonly (number | string)[];
  dayOfMonthWildcard: boolean;
  dayOfMonthLast: boolean;
  dayOfWeek: readonly (number | string)[];
  dayOfWeekWildcard: boolean;
  dayOfWeekLast: boolean;
  /** `#n` of the day-of-week field; 0 when absent. */
  nth: number;
}

export function dayRuleOf(fields: CronFieldCollection): DayRule {
  const { dayOfMonth, dayOfWeek, month } = fields;
  return {
    months: new Set(month.values as number[]),
    dayOfMonth: [...dayOfMonth.values],
    dayOfMonthWildcard: dayOfMonth.isWildcard,
    dayOfMonthLast: dayOfMonth.hasLastChar,
    dayOfWeek: [...dayOfWeek.values],
    dayOfWeekWildcard: dayOfWeek.isWildcard,
    dayOfWeekLast: dayOfWeek.hasLastChar,
    nth: dayOfWeek.nthDay,
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether a calendar day (month 1-12) matches, by cron-parser's three rules. */
function matches(rule: DayRule, year: number, month: number, date: number, weekday: number): boolean {
  const last = daysInMonth(year, month);
  const domMatch = rule.dayOfMonth.includes(date) || (rule.dayOfMonthLast && date === last);
  const dowMatch =
    (rule.dayOfWeek.includes(weekday) && (rule.nth <= 0 || Math.ceil(date / 7) === rule.nth)) ||
    (rule.dayOfWeekLast && date > last - 7 && rule.dayOfWeek.some((v) => weekday === parseInt(String(v).charAt(0), 10) % 7));
  if (!rule.dayOfMonthWildcard && !rule.dayOfWeekWildcard) return domMatch || dowMatch;
  if (rule.dayOfWeekWildcard) return domMatch;
  return rule.dayOfMonthWildcard && dowMatch;
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
    if (!rule.months.has(month)) {
      // Jump to the first day of the next month (or the last day of the previous one).
      current = direction === 1 ? Date.UTC(year, month, 1) : Date.UTC(year, month - 1, 0);
      steps += 27;
      continue;
    }
    if (matches(rule, year, month, d.getUTCDate(), d.getUTCDay())) return current;
    current += direction * DAY_MS;
  }
  return null;
}
