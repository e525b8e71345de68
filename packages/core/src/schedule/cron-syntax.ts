import type { DayRule } from './day-rule.js';

/**
 * Mainspring's own reader for the six cron fields (seconds first). It has no dependencies, so a
 * worker that never defines a schedule pays nothing for cron support.
 *
 * The grammar, per field, is a comma-separated list of items:
 *
 * - `*` or `?`: every value (`?` is customary in the day fields; both mean the same everywhere);
 * - `n`, `a-b`: a value, an inclusive range;
 * - `*\/s`, `a-b/s`, `a/s`: every `s`-th value of the whole field, of the range, or from `a` to the end;
 * - month (`JAN`-`DEC`) and weekday (`SUN`-`SAT`) names, any case, wherever a number may stand;
 * - day of month: `L`, the last day of the month;
 * - day of week: `7` is Sunday like `0`; `nL` is the last weekday `n` of the month (`5L`, `FRIL`);
 *   `n#k` (a single weekday, `k` 1-5) is its `k`-th occurrence in the month (`1#1`, `MON#1`).
 *
 * When both day fields are restricted a day matching either fires (classic cron); a day field
 * counts as unrestricted only when it is exactly `*` or `?` (so `*\/1` restricts).
 */

/** The parsed form of one expression, in plain numbers. */
export interface CronFields {
  seconds: number[];
  minutes: number[];
  hours: number[];
  days: DayRule;
}

/** A problem with the expression, worded to follow `Invalid cron expression "...": `. */
export class CronSyntaxError extends Error {}

interface FieldSpec {
  /** How error messages name the field. */
  label: string;
  min: number;
  max: number;
  /** Three-letter names, lowercase, in value order. */
  names?: readonly string[];
  /** The value `names[0]` stands for (January is 1, Sunday is 0). */
  nameBase?: number;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const SECOND: FieldSpec = { label: 'second', min: 0, max: 59 };
const MINUTE: FieldSpec = { label: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { label: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { label: 'day-of-month', min: 1, max: 31 };
const MONTH: FieldSpec = { label: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 };
const DAY_OF_WEEK: FieldSpec = { label: 'day-of-week', min: 0, max: 7, names: WEEKDAY_NAMES, nameBase: 0 };

/** Longer than listing every value of every field; anything longer is a mistake or an attack. */
const MAX_LENGTH = 1024;

const fail = (message: string): never => {
  throw new CronSyntaxError(message);
};

function hint(spec: FieldSpec): string {
  if (spec === MONTH) return ' (1-12 or JAN-DEC)';
  if (spec === DAY_OF_WEEK) return ' (0-7 or SUN-SAT, 0 and 7 are Sunday)';
  return ` (${spec.min}-${spec.max})`;
}

/** One value: digits or (in the month and weekday fields) a three-letter name. */
function valueOf(text: string, spec: FieldSpec, item: string = text): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < spec.min || n > spec.max) fail(`${spec.label} value ${text} is out of range${hint(spec)}`);
    return n;
  }
  if (text === '') fail(`${JSON.stringify(item)} in the ${spec.label} field is missing a number`);
  const index = spec.names?.indexOf(text.toLowerCase() as never) ?? -1;
  if (index >= 0) return index + (spec.nameBase ?? 0);
  if (/^[a-z]+$/i.test(text)) {
    return spec.names
      ? fail(`unknown ${spec.label} name ${JSON.stringify(text)}${hint(spec)}`)
      : fail(`${JSON.stringify(text)} is not a valid ${spec.label} value${hint(spec)}`);
  }
  return fail(`${JSON.stringify(text)} is not a valid ${spec.label} value${hint(spec)}`);
}

/** Mark `from..to` every `step` in `into`. */
function mark(into: boolean[], from: number, to: number, step: number): void {
  for (let v = from; v <= to; v += step) into[v] = true;
}

/** One list item without the day-field specials: `*`, `?`, `n`, `a-b`, each with an optional `/s`. */
function readItem(item: string, spec: FieldSpec, into: boolean[]): void {
  const slash = item.indexOf('/');
  const base = slash === -1 ? item : item.slice(0, slash);
  let step = 1;
  if (slash !== -1) {
    const stepText = item.slice(slash + 1);
    if (!/^\d+$/.test(stepText)) fail(`${JSON.stringify(item)} in the ${spec.label} field needs a whole-number step after "/"`);
    step = Number(stepText);
    if (step === 0) fail(`${JSON.stringify(item)} in the ${spec.label} field has a step of 0`);
  }
  if (base === '*' || base === '?') {
    mark(into, spec.min, spec.max, step);
    return;
  }
  if (base.includes('*') || base.includes('?')) fail(`${JSON.stringify(item)} in the ${spec.label} field: "*" and "?" must stand alone (or as "*/step")`);
  const dash = base.indexOf('-');
  if (dash === -1) {
    const from = valueOf(base, spec, item);
    // `a/s` runs from `a` to the end of the field, as in most crons.
    mark(into, from, slash === -1 ? from : spec.max, step);
    return;
  }
  if (base.indexOf('-', dash + 1) !== -1) fail(`${JSON.stringify(item)} is not a valid ${spec.label} range (expected a-b)`);
  const from = valueOf(base.slice(0, dash), spec, item);
  const to = valueOf(base.slice(dash + 1), spec, item);
  if (from > to) fail(`${spec.label} range ${base} runs backwards (write the smaller value first)`);
  mark(into, from, to, step);
}

function items(text: string, spec: FieldSpec): string[] {
  const list = text.split(',');
  if (list.some((item) => item === '')) fail(`the ${spec.label} field ${JSON.stringify(text)} has an empty list item`);
  return list;
}

function values(marks: readonly boolean[], min: number, max: number): number[] {
  const out: number[] = [];
  for (let v = min; v <= max; v++) if (marks[v]) out.push(v);
  return out;
}

/** Reject hashed `H` values (`H`, `H/5`, `H(0-29)`) with a reason, before they read as something else. */
function checkHashed(text: string): void {
  const withoutNames = text.replace(/[a-z]{3}/gi, (m) => {
    const name = m.toLowerCase();
    return (MONTH_NAMES as readonly string[]).includes(name) || (WEEKDAY_NAMES as readonly string[]).includes(name) ? '' : m;
  });
  if (/h/i.test(withoutNames)) fail('hashed values (H) are not supported; write the value you want');
}

function plainField(text: string, spec: FieldSpec): number[] {
  checkHashed(text);
  const marks: boolean[] = [];
  for (const item of items(text, spec)) readItem(item, spec, marks);
  return values(marks, spec.min, spec.max);
}

function bits(list: readonly number[]): number {
  let mask = 0;
  for (const v of list) mask |= 1 << v;
  return mask >>> 0;
}

function dayOfMonthField(text: string): { mask: number; last: boolean } {
  checkHashed(text);
  const marks: boolean[] = [];
  let last = false;
  for (const item of items(text, DAY_OF_MONTH)) {
    if (item === 'L' || item === 'l') {
      last = true;
      continue;
    }
    if (/w/i.test(item)) fail(`${JSON.stringify(item)}: W (nearest weekday) is not supported`);
    if (/l/i.test(item)) fail(`${JSON.stringify(item)}: in the day-of-month field L (last day of the month) must stand alone`);
    if (item.includes('#')) fail(`${JSON.stringify(item)}: # belongs in the day-of-week field (e.g. 5#2, the second Friday)`);
    readItem(item, DAY_OF_MONTH, marks);
  }
  return { mask: bits(values(marks, 1, 31)), last };
}

function dayOfWeekField(text: string): { mask: number; last: number; nth: number } {
  checkHashed(text);
  let body = text;
  let nth = 0;
  const hash = text.indexOf('#');
  if (hash !== -1) {
    body = text.slice(0, hash);
    const count = text.slice(hash + 1);
    if (/[,\-/#]|l(?![a-z])/i.test(body.replace(/[a-z]{3}/gi, '')) || count.includes('#')) {
      fail(`${JSON.stringify(text)}: # takes a single weekday, without lists, ranges, steps or L (e.g. 5#2, the second Friday)`);
    }
    if (!/^[1-5]$/.test(count)) fail(`${JSON.stringify(text)}: the number after # must be 1-5 (which occurrence in the month)`);
    nth = Number(count);
  }
  const marks: boolean[] = [];
  let last = 0;
  for (const item of items(body, DAY_OF_WEEK)) {
    if (/w/i.test(item.replace(/wed/gi, ''))) fail(`${JSON.stringify(item)}: W is only meaningful in the day-of-month field and is not supported`);
    const lastOf = /^(\d+|[a-z]{3})l$/i.exec(item);
    if (lastOf) {
      last |= 1 << valueOf(lastOf[1]!, DAY_OF_WEEK) % 7;
      continue;
    }
    if (/^l$/i.test(item)) fail('"L" in the day-of-week field needs a weekday before it (e.g. 5L, the last Friday)');
    if (/l/i.test(item.replace(/[a-z]{3}/gi, ''))) {
      fail(`${JSON.stringify(item)}: in the day-of-week field L follows a single weekday (e.g. 5L, the last Friday)`);
    }
    readItem(item, DAY_OF_WEEK, marks);
  }
  // 7 is another name for Sunday.
  if (marks[7]) marks[0] = true;
  return { mask: bits(values(marks, 0, 6)), last: last >>> 0, nth };
}

/**
 * Read six fields (seconds first). Five-field expressions and aliases are turned into six by the
 * caller. Throws {@link CronSyntaxError} naming the field and the offending part.
 */
export function readCronFields(fields: readonly string[]): CronFields {
  if (fields.join(' ').length > MAX_LENGTH) fail(`longer than ${MAX_LENGTH} characters`);
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string, string];
  const dom = dayOfMonthField(dayOfMonth);
  const dow = dayOfWeekField(dayOfWeek);
  return {
    seconds: plainField(second, SECOND),
    minutes: plainField(minute, MINUTE),
    hours: plainField(hour, HOUR),
    days: {
      months: bits(plainField(month, MONTH)),
      dayOfMonth: dom.mask,
      dayOfMonthLast: dom.last,
      dayOfMonthWildcard: dayOfMonth === '*' || dayOfMonth === '?',
      dayOfWeek: dow.mask,
      dayOfWeekLast: dow.last,
      dayOfWeekWildcard: dayOfWeek === '*' || dayOfWeek === '?',
      nth: dow.nth,
    },
  };
}

/** Write a set of values as short cron list items: single values, `a-b`, `a-b/s` or `*\/s`. */
function compact(list: readonly number[], min: number, max: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < list.length) {
    const first = list[i]!;
    const step = i + 2 < list.length ? list[i + 1]! - first : 0;
    if (step > 0 && list[i + 2]! - list[i + 1]! === step) {
      let j = i + 2;
      while (j + 1 < list.length && list[j + 1]! - list[j]! === step) j++;
      const lastValue = list[j]!;
      if (step === 1) out.push(`${first}-${lastValue}`);
      else if (first === min && lastValue + step > max) out.push(`*/${step}`);
      else out.push(`${first}-${lastValue}/${step}`);
      i = j + 1;
    } else {
      out.push(String(first));
      i++;
    }
  }
  return out;
}

function listOf(mask: number, min: number, max: number): number[] {
  const out: number[] = [];
  for (let v = min; v <= max; v++) if ((mask >>> v) & 1) out.push(v);
  return out;
}

function plainText(list: readonly number[], spec: FieldSpec): string {
  return list.length === spec.max - spec.min + 1 ? '*' : compact(list, spec.min, spec.max).join(',');
}

/**
 * The canonical six-field text of parsed fields: numbers only, sorted, with runs compacted
 * (`'0 *\/15 9-17 * * 1-5'`). Reading it back gives the same schedule.
 */
export function formatCronFields(fields: CronFields): string {
  const d = fields.days;
  let dom: string;
  if (d.dayOfMonthWildcard) dom = '*';
  else {
    const parts = compact(listOf(d.dayOfMonth, 1, 31), 1, 31);
    if (d.dayOfMonthLast) parts.push('L');
    dom = parts.join(',');
  }
  let dow: string;
  if (d.dayOfWeekWildcard) dow = '*';
  else {
    const weekdays = listOf(d.dayOfWeek, 0, 6);
    if (d.nth > 0) dow = `${weekdays.length === 7 ? '*' : weekdays[0]}#${d.nth}`;
    else {
      const parts = compact(weekdays, 0, 6);
      for (const v of listOf(d.dayOfWeekLast, 0, 6)) parts.push(`${v}L`);
      dow = parts.join(',');
    }
  }
  return [
    plainText(fields.seconds, SECOND),
    plainText(fields.minutes, MINUTE),
    plainText(fields.hours, HOUR),
    dom,
    plainText(listOf(d.months, 1, 12), MONTH),
    dow,
  ].join(' ');
}
