import { ConfigError } from '../errors.js';
import { CronSyntaxError, formatCronFields, readCronFields, type CronFields } from './cron-syntax.js';
import { matchingDay, type DayRule } from './day-rule.js';
import { isTimeZone } from './zone-clock.js';

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
    /** The canonical six-field form (seconds first, numbers only), e.g. `'0 30 2 * * *'`. */
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
 * Throw a {@link ConfigError} unless `timezone` is an IANA zone name the runtime's Intl data
 * knows, such as `'Europe/Berlin'` or `'UTC'`.
 */
export function assertTimeZone(timezone: string, scheduleName?: string): void {
  if (!isTimeZone(timezone)) {
    throw new ConfigError(
      `Unknown time zone ${JSON.stringify(timezone)}${label(scheduleName)} (expected an IANA name such as "Europe/Berlin" or "UTC")`,
    );
  }
}

/** Expand an alias, check the field count and return six fields, seconds first. */
function toFields(expression: string, scheduleName: string | undefined): string[] {
  const fail = (why: string): never => {
    throw new ConfigError(`Invalid cron expression ${JSON.stringify(expression)}${label(scheduleName)}: ${why}`);
  };
  if (expression.startsWith('@')) {
    const expanded = CRON_ALIASES[expression.toLowerCase()];
    if (expanded === undefined) fail(`unknown alias (supported: ${Object.keys(CRON_ALIASES).join(', ')})`);
    return ['0', ...(expanded as string).split(' ')];
  }
  const fields = expression === '' ? [] : expression.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    fail(`expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got ${fields.length}`);
  }
  return fields.length === 5 ? ['0', ...fields] : fields;
}

/**
 * Validate a cron expression and time zone, returning the parsed form the fire-time functions use.
 *
 * Accepts five fields (`minute hour day-of-month month day-of-week`), six with a leading seconds
 * field, and the aliases `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`,
 * `@hourly`. Ranges, steps, lists, names (`MON`, `JAN`), `?`, `L` (`L`, `5L`) and `#` (`1#1`); when
 * both day fields are restricted a day matching either fires, as in classic cron (see
 * `cron-syntax.ts` for the grammar). Results are cached.
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
  let parsed: CronFields;
  try {
    parsed = readCronFields(fields);
  } catch (error) {
    if (!(error instanceof CronSyntaxError)) throw error;
    throw new ConfigError(`Invalid cron expression ${JSON.stringify(trimmed)}${label(scheduleName)}: ${error.message}`);
  }
  const timesOfDay: number[] = [];
  for (const h of parsed.hours) {
    for (const m of parsed.minutes) {
      for (const s of parsed.seconds) timesOfDay.push(h * 3_600_000 + m * 60_000 + s * 1000);
    }
  }
  // Fire times are computed on the local wall clock; the zone clock maps them to instants afterwards.
  const result = new ParsedCron(trimmed, timezone, formatCronFields(parsed), timesOfDay, parsed.days);
  if (result.matchingDay(0, 1) === null) {
    throw new ConfigError(`Invalid cron expression ${JSON.stringify(trimmed)}${label(scheduleName)}: it never fires (no day matches it in the months it names)`);
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(cacheKey, result);
  return result;
}
