import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { IANAZone } from 'luxon';
import { ConfigError } from '../errors.js';
import { dayRuleOf, matchingDay, type DayRule } from './day-rule.js';

/** The `@` aliases Mainspring accepts, as the five-field expressions they stand for. */
export const CRON_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
});

/**
 * A validated cron expression bound to a time zone, ready for fire-time math.
 * Build one with {@link parseCron}; the fire-time functions also accept the raw strings.
 */
export class ParsedCron {
  readonly #days: DayRule;

  /** @internal */
  constructor(
    /** The expression as given, trimmed. */
    readonly expression: string,
    /** The IANA zone the expression is read in. */
    readonly timezone: string,
    /** The six-field form (seconds first) cron-parser resolved the expression to, e.g. `'0 30 2 * * *'`. */
    readonly normalized: string,
    /** @internal Milliseconds after local midnight of every matching time of day, ascending. */
    readonly timesOfDay: readonly number[],
    days: DayRule,
  ) {
    this.#days = days;
  }

  /**
   * @internal The first matching local day (as UTC-midnight wall milliseconds) at or after
   * `day` (`direction` 1), or at or before it (`direction` -1); null when there is none.
   */
  matchingDay(day: number, direction: 1 | -1): number | null {
    return matchingDay(this.#days, day, direction);
  }
}

const cache = new Map<string, ParsedCron>();
const CACHE_LIMIT = 1000;

function label(scheduleName: string | undefined): string {
  return scheduleName === undefined ? '' : ` for schedule "${scheduleName}"`;
}

/**
 * Throw a {@link ConfigError} unless `timezone` is an IANA zone name luxon (and so the runtime's
 * Intl data) knows, such as `'Europe/Berlin'` or `'UTC'`.
 */
export function assertTimeZone(timezone: string, scheduleName?: string): void {
  if (typeof timezone !== 'string' || timezone.trim() === '' || !IANAZone.isValidZone(timezone)) {
    throw new ConfigError(
      `Unknown time zone ${JSON.stringify(timezone)}${label(scheduleName)} (expected an IANA name such as "Europe/Berlin" or "UTC")`,
    );
  }
}

/** Expand an alias and check the field count; cron-parser alone would accept `''` or `'* *'`. */
function toFields(expression: string, scheduleName: string | undefined): string {
  const fail = (why: string): never => {
    throw new ConfigError(`Invalid cron expression ${JSON.stringify(expression)}${label(scheduleName)}: ${why}`);
  };
  if (expression.startsWith('@')) {
    const expanded = CRON_ALIASES[expression.toLowerCase()];
    if (expanded === undefined) fail(`unknown alias (supported: ${Object.keys(CRON_ALIASES).join(', ')})`);
    return expanded as string;
  }
  const count = expression === '' ? 0 : expression.split(/\s+/).length;
  if (count !== 5 && count !== 6) {
    fail(`expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got ${count}`);
  }
  // Hashed values would need a seed every process agrees on; plain values say the same thing explicitly.
  if (/h/i.test(expression.replace(/\b(mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b/gi, ''))) {
    fail('hashed values (H) are not supported');
  }
  return expression;
}

function sortedNumbers(values: readonly (number | string)[]): number[] {
  return values.filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
}

/**
 * Validate a cron expression and time zone, returning the parsed form the fire-time functions use.
 *
 * Accepts five fields (`minute hour day-of-month month day-of-week`), six with a leading seconds
 * field, and the aliases `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`,
 * `@hourly`. Ranges, steps, lists, names (`MON`, `JAN`), `L` and `#` follow cron-parser; when both
 * day fields are restricted a day matching either fires, as in classic cron. Results are cached.
 *
 * @example
 * parseCron('0 8 * * *', 'Asia/Kolkata').normalized // '0 0 8 * * *'
 * @throws ConfigError naming the expression, zone and (when given) the schedule.
 */
export function parseCron(expression: string, timezone = 'UTC', scheduleName?: string): ParsedCron {
  if (typeof expression !== 'string') {
    throw new ConfigError(`Cron expression${label(scheduleName)} must be a string, got ${typeof expression}`);
  }
  const trimmed = expression.trim();
  const cacheKey = `${timezone}\n${trimmed}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;

  assertTimeZone(timezone, scheduleName);
  const fields = toFields(trimmed, scheduleName);
  let parsed: CronExpression;
  try {
    parsed = CronExpressionParser.parse(fields, { tz: 'UTC', currentDate: new Date(0) });
  } catch (error) {
    throw new ConfigError(
      `Invalid cron expression ${JSON.stringify(trimmed)}${label(scheduleName)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const f = parsed.fields;
  const timesOfDay: number[] = [];
  for (const h of sortedNumbers(f.hour.values)) {
    for (const m of sortedNumbers(f.minute.values)) {
      for (const s of sortedNumbers(f.second.values)) timesOfDay.push(h * 3_600_000 + m * 60_000 + s * 1000);
    }
  }
  // Fire times are computed on the local wall clock; the zone clock maps them to instants afterwards.
  const result = new ParsedCron(trimmed, timezone, parsed.stringify(true), timesOfDay, dayRuleOf(f));
  if (result.matchingDay(0, 1) === null) {
    throw new ConfigError(`Invalid cron expression ${JSON.stringify(trimmed)}${label(scheduleName)}: it never fires`);
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(cacheKey, result);
  return result;
}
