import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { parseCron } from '../src/schedule/cron.js';
import { nextFireTimes, previousFireTimes } from '../src/schedule/fire-times.js';

/**
 * Mainspring's own cron reader (src/schedule/cron-syntax.ts). cron-parser 5.10.6, which Mainspring
 * used before, stays a dev dependency as the reference: expressions it accepted must keep their
 * meaning, since stored schedules were written against it.
 */

const AFTER = new Date('2026-01-01T00:00:00Z'); // a Thursday
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const fires = (cron: string, limit: number, timezone = 'UTC', after = AFTER) =>
  iso(nextFireTimes({ cron, timezone, after, limit }));
const days = (cron: string, limit: number, after = AFTER) =>
  nextFireTimes({ cron, after, limit }).map((d) => d.toISOString().slice(0, 10));
const normalized = (cron: string) => parseCron(cron).normalized;

function configError(expression: string): string {
  try {
    parseCron(expression, 'UTC', 'sched');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(`Invalid cron expression ${JSON.stringify(expression.trim())} for schedule "sched"`);
    return message;
  }
  throw new Error(`expected ${JSON.stringify(expression)} to be rejected`);
}

describe('fields', () => {
  it('reads every field of a six-field expression at its position', () => {
    expect(fires('5 4 3 2 1 *', 2)).toEqual(['2026-01-02T03:04:05.000Z', '2027-01-02T03:04:05.000Z']);
    expect(fires('5 4 3 2 1 ?', 1)).toEqual(['2026-01-02T03:04:05.000Z']);
  });

  it('pins seconds to 0 in a five-field expression', () => {
    expect(normalized('4 3 2 1 *')).toBe('0 4 3 2 1 *');
    expect(fires('4 3 2 1 *', 1)).toEqual(['2026-01-02T03:04:00.000Z']);
  });

  it('accepts the edges of every range', () => {
    expect(normalized('0,59 0,59 0,23 1,31 1,12 0,6')).toBe('0,59 0,59 0,23 1,31 1,12 0,6');
  });

  it('tolerates runs of spaces and tabs between fields', () => {
    expect(normalized(' 0  8\t* *   1 ')).toBe('0 0 8 * * 1');
  });

  it('fires every second with six stars', () => {
    expect(fires('* * * * * *', 3)).toEqual(['2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z', '2026-01-01T00:00:03.000Z']);
  });
});

describe('ranges, steps and lists', () => {
  it.each([
    ['*/15 * * * *', '0 */15 * * * *'],
    ['0-30/10 * * * *', '0 0-30/10 * * * *'],
    ['10-20 * * * *', '0 10-20 * * * *'],
    ['5/20 * * * *', '0 5-45/20 * * * *'], // a/s runs from a to the end of the field
    ['1,2,3,7 * * * *', '0 1-3,7 * * * *'],
    ['3,1,2 * * * *', '0 1-3 * * * *'], // sorted
    ['1,1,2 * * * *', '0 1,2 * * * *'], // repeats are harmless
    ['0 */6 * * *', '0 0 */6 * * *'],
    ['0 0 */10 * *', '0 0 0 */10 * *'], // 1, 11, 21, 31
    ['0 0 1-31/10 * *', '0 0 0 */10 * *'],
    ['0 0 * */3 *', '0 0 0 * */3 *'], // 1, 4, 7, 10
    ['0 0 * * */2', '0 0 0 * * */2'], // 0, 2, 4, 6
    ['*/90 * * * *', '0 0 * * * *'], // a step wider than the field leaves its first value
    ['* 9-17/4 * * *', '0 * 9-17/4 * * *'],
  ])('%s', (expression, canonical) => {
    expect(normalized(expression)).toBe(canonical);
  });

  it('fires on stepped ranges and lists', () => {
    expect(fires('*/20 9-10 * * *', 6)).toEqual([
      '2026-01-01T09:00:00.000Z',
      '2026-01-01T09:20:00.000Z',
      '2026-01-01T09:40:00.000Z',
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:20:00.000Z',
      '2026-01-01T10:40:00.000Z',
    ]);
    expect(days('0 0 10-20/5,28 * *', 5)).toEqual(['2026-01-10', '2026-01-15', '2026-01-20', '2026-01-28', '2026-02-10']);
  });

  it('treats ? like * in every field', () => {
    expect(normalized('? ? ? ? ?')).toBe('0 * * * * *');
    expect(fires('0 12 ? * ?', 1)).toEqual(fires('0 12 * * *', 1));
  });
});

describe('names', () => {
  it('reads month and weekday names in any case, in ranges, lists and steps', () => {
    expect(normalized('0 0 * JAN-MAR,jul,Dec MON-FRI')).toBe('0 0 0 * 1-3,7,12 1-5');
    expect(normalized('0 0 * * sun,SAT')).toBe('0 0 0 * * 0,6');
    expect(normalized('0 0 * JAN-DEC/3 *')).toBe('0 0 0 * */3 *');
    expect(normalized('0 0 * FEB/2 *')).toBe('0 0 0 * 2-12/2 *');
  });

  it('fires on the named days', () => {
    expect(days('0 9 * * MON,WED', 3)).toEqual(['2026-01-05', '2026-01-07', '2026-01-12']);
    expect(days('0 9 1 APR *', 2)).toEqual(['2026-04-01', '2027-04-01']);
  });

  it('reads 7 as Sunday, alone and at the end of a range', () => {
    expect(days('0 0 * * 7', 2)).toEqual(['2026-01-04', '2026-01-11']);
    expect(normalized('0 0 * * 7')).toBe('0 0 0 * * 0');
    expect(normalized('0 0 * * 5-7')).toBe('0 0 0 * * 0,5,6');
    expect(normalized('0 0 * * 1-7/2')).toBe('0 0 0 * * 0,1-5/2'); // 1, 3, 5, 7
    expect(normalized('0 0 * * 6-7/2')).toBe('0 0 0 * * 6'); // 7 is not reached
  });
});

describe('day of month and day of week', () => {
  it('fires on a day matching either field when both are restricted (classic cron)', () => {
    // The 13th, or any Friday.
    expect(days('0 0 13 * FRI', 6)).toEqual(['2026-01-02', '2026-01-09', '2026-01-13', '2026-01-16', '2026-01-23', '2026-01-30']);
  });

  it('lets the restricted field decide when the other is * or ?', () => {
    expect(days('0 0 13 * *', 2)).toEqual(['2026-01-13', '2026-02-13']);
    expect(days('0 0 13 * ?', 2)).toEqual(['2026-01-13', '2026-02-13']);
    expect(days('0 0 * * FRI', 2)).toEqual(['2026-01-02', '2026-01-09']);
    expect(days('0 0 ? * FRI', 2)).toEqual(['2026-01-02', '2026-01-09']);
  });

  it('counts a field as unrestricted only when it is exactly * or ?', () => {
    // `*/1` names every day of the month, so with a weekday restricted every day matches one of them.
    const eve = new Date('2025-12-31T12:00:00Z');
    expect(days('0 0 */1 * FRI', 3, eve)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect(normalized('0 0 */1 * FRI')).toBe('0 0 0 1-31 * 5');
    expect(days('0 0 1-31 * 0-6', 2, eve)).toEqual(['2026-01-01', '2026-01-02']);
  });

  it('applies the month field to both day fields', () => {
    expect(days('0 0 1 FEB MON', 6)).toEqual(['2026-02-01', '2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23', '2027-02-01']);
  });

  it('reads L as the last day of each month, leap years included', () => {
    expect(days('0 0 L * *', 4, new Date('2028-01-15T00:00:00Z'))).toEqual(['2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30']);
    expect(days('0 0 1,L * *', 3, new Date('2025-12-31T12:00:00Z'))).toEqual(['2026-01-01', '2026-01-31', '2026-02-01']);
    expect(normalized('0 0 1,15,L * *')).toBe('0 0 0 1,15,L * *');
  });

  it('reads nL as the last such weekday of the month, with a number or a name', () => {
    expect(days('0 0 * * 5L', 3)).toEqual(['2026-01-30', '2026-02-27', '2026-03-27']);
    expect(days('0 0 * * FRIL', 3)).toEqual(days('0 0 * * 5L', 3));
    expect(days('0 0 * * 7L', 2)).toEqual(['2026-01-25', '2026-02-22']); // last Sunday
    expect(days('0 0 * * 1,5L', 4)).toEqual(['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26']);
    expect(normalized('0 0 * * 1,5L')).toBe('0 0 0 * * 1,5L');
  });

  it('reads n#k as the k-th such weekday of the month', () => {
    expect(days('0 0 * * 1#1', 3)).toEqual(['2026-01-05', '2026-02-02', '2026-03-02']);
    expect(days('0 0 * * MON#1', 3)).toEqual(days('0 0 * * 1#1', 3));
    expect(days('0 0 * * 4#5', 3)).toEqual(['2026-01-29', '2026-04-30', '2026-07-30']); // fifth Thursdays
    expect(days('0 0 * * 7#2', 1)).toEqual(['2026-01-11']);
    expect(normalized('0 0 * * FRI#2')).toBe('0 0 0 * * 5#2');
    // As cron-parser read it: `*#2` is any day of the second week.
    expect(days('0 0 * * *#2', 8)).toEqual(['2026-01-08', '2026-01-09', '2026-01-10', '2026-01-11', '2026-01-12', '2026-01-13', '2026-01-14', '2026-02-08']);
    expect(normalized('0 0 * * *#2')).toBe('0 0 0 * * *#2');
  });

  it('ORs L and # with a restricted day of month', () => {
    expect(days('0 0 15 * 1#1', 4)).toEqual(['2026-01-05', '2026-01-15', '2026-02-02', '2026-02-15']);
    expect(days('0 0 L * 0', 4)).toEqual(['2026-01-04', '2026-01-11', '2026-01-18', '2026-01-25']);
  });

  it('finds rare days quickly in both directions', () => {
    expect(days('0 0 29 2 5', 3)).toEqual(['2026-02-06', '2026-02-13', '2026-02-20']); // Fridays OR the 29th
    expect(days('0 0 29 2 *', 3)).toEqual(['2028-02-29', '2032-02-29', '2036-02-29']);
    const before = new Date('2026-01-01T00:00:00Z');
    expect(iso(previousFireTimes({ cron: '0 0 29 2 *', before, limit: 2 }))).toEqual(['2024-02-29T00:00:00.000Z', '2020-02-29T00:00:00.000Z']);
    // A fifth Friday in February needs a leap year whose 29th is a Friday.
    expect(days('0 0 * 2 5#5', 2)).toEqual(['2036-02-29', '2064-02-29']);
  });
});

describe('aliases', () => {
  it.each([
    ['@yearly', '0 0 0 1 1 *'],
    ['@annually', '0 0 0 1 1 *'],
    ['@monthly', '0 0 0 1 * *'],
    ['@weekly', '0 0 0 * * 0'],
    ['@daily', '0 0 0 * * *'],
    ['@midnight', '0 0 0 * * *'],
    ['@hourly', '0 0 * * * *'],
    ['@Hourly', '0 0 * * * *'],
  ])('%s is %s', (alias, canonical) => {
    expect(normalized(alias)).toBe(canonical);
  });
});

describe('the normalized form', () => {
  const expressions = [
    '*/15 9-17 * * MON-FRI',
    '0 0 1,15 * MON',
    '0 0 L * 5L',
    '0 0 */1 * 0-6',
    '0 0 1-31 * *',
    '0 0 * * *#3',
    '0 0 * * 2#4',
    '*/7 1,2,3,5,8,13,21 */3 1-10/3,20 FEB-NOV/2 1,3,6L',
    '0-58/2 0 0 * * *',
    '1-59/2 0 0 * * *',
  ];

  it.each(expressions)('reads back to the same schedule: %s', (expression) => {
    const canonical = normalized(expression);
    expect(normalized(canonical)).toBe(canonical);
    const after = new Date('2025-12-30T22:10:05Z');
    expect(fires(canonical, 100, 'UTC', after)).toEqual(fires(expression, 100, 'UTC', after));
  });
});

describe('invalid expressions', () => {
  it.each([
    ['61 * * * *', 'minute value 61 is out of range (0-59)'],
    ['* 24 * * *', 'hour value 24 is out of range (0-23)'],
    ['60 * * * * *', 'second value 60 is out of range (0-59)'],
    ['0 0 0 * *', 'day-of-month value 0 is out of range (1-31)'],
    ['0 0 32 * *', 'day-of-month value 32 is out of range (1-31)'],
    ['0 0 * 0 *', 'month value 0 is out of range (1-12 or JAN-DEC)'],
    ['0 0 * 13 *', 'month value 13 is out of range'],
    ['0 0 * * 8', 'day-of-week value 8 is out of range (0-7 or SUN-SAT'],
    ['0 0 * * MONDAY', 'unknown day-of-week name "MONDAY"'],
    ['0 0 * FOO *', 'unknown month name "FOO"'],
    ['0 0 * JAN-MON *', 'unknown month name "MON"'],
    ['0 0 * * JAN', 'unknown day-of-week name "JAN"'],
    ['banana * * * *', '"banana" is not a valid minute value'],
    ['1.5 * * * *', '"1.5" is not a valid minute value'],
    ['+5 * * * *', '"+5" is not a valid minute value'],
    ['5-1 * * * *', 'minute range 5-1 runs backwards'],
    ['0 0 * * FRI-MON', 'day-of-week range FRI-MON runs backwards'],
    ['*/0 * * * *', '"*/0" in the minute field has a step of 0'],
    ['1/x * * * *', 'needs a whole-number step'],
    ['*/ * * * *', 'needs a whole-number step'],
    ['1/2/3 * * * *', 'needs a whole-number step'],
    ['1-2-3 * * * *', '"1-2-3" is not a valid minute range'],
    ['- * * * *', '"-" in the minute field is missing a number'],
    ['5- * * * *', '"5-" in the minute field is missing a number'],
    ['/5 * * * *', '"/5" in the minute field is missing a number'],
    ['1,,2 * * * *', 'empty list item'],
    ['1, * * * *', 'empty list item'],
    ['*5 * * * *', '"*" and "?" must stand alone'],
    ['*-5 * * * *', '"*" and "?" must stand alone'],
    ['0 0 LW * *', 'W (nearest weekday) is not supported'],
    ['0 0 15W * *', 'W (nearest weekday) is not supported'],
    ['0 0 L-3 * *', 'L (last day of the month) must stand alone'],
    ['0 0 5L * *', 'L (last day of the month) must stand alone'],
    ['0 0 1#2 * *', '# belongs in the day-of-week field'],
    ['0 0 * * L', 'needs a weekday before it'],
    ['0 0 * * 1-5L', 'L follows a single weekday'],
    ['0 0 * * 5#6', 'the number after # must be 1-5'],
    ['0 0 * * 5#0', 'the number after # must be 1-5'],
    ['0 0 * * 5#', 'the number after # must be 1-5'],
    ['0 0 * * 1,5#2', '# takes a single weekday'],
    ['0 0 * * 1-5#2', '# takes a single weekday'],
    ['0 0 * * 5L#2', '# takes a single weekday'],
    ['0 0 * * 5#2#3', '# takes a single weekday'],
    ['L * * * *', '"L" is not a valid minute value'],
    ['0 0 * L *', 'unknown month name "L"'],
    ['H * * * *', 'hashed values (H) are not supported'],
    ['0 H(0-5) * * *', 'hashed values (H) are not supported'],
    ['0 0 * * H/2', 'hashed values (H) are not supported'],
    ['0 0 30 2 *', 'it never fires'],
    ['0 0 31 4,6,9,11 *', 'it never fires'],
    ['0 0 30,31 FEB *', 'it never fires'],
    [`${'1,'.repeat(600)}1 * * * *`, 'longer than 1024 characters'],
  ])('rejects %j', (expression, fragment) => {
    expect(configError(expression)).toContain(fragment);
  });

  it('accepts what is merely unusual', () => {
    expect(() => parseCron('0 0 31 * *')).not.toThrow(); // months without a 31st are skipped
    expect(() => parseCron('0 0 29,30 2 *')).not.toThrow(); // the 29th in leap years
    expect(() => parseCron('0 0 * * 5#5')).not.toThrow();
    expect(() => parseCron('0 0 l * 5l')).not.toThrow(); // L in either case
  });

  it('never throws anything but a ConfigError, whatever the input', () => {
    const alphabet = ['0', '1', '5', '7', '12', '31', '60', '99', '*', '/', ',', '-', '?', 'L', 'l', '#', 'W', 'H', '(', ')', 'mon', 'FRI', 'jan', 'x', '.', '+'];
    const random = seeded(7);
    for (let i = 0; i < 5000; i++) {
      const parts = ['0', '*', '*', '*', '*', '*'];
      for (let k = 0; k < 2; k++) parts[Math.floor(random() * 6)] = Array.from({ length: 1 + Math.floor(random() * 5) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const expression = parts.join(' ');
      try {
        parseCron(expression);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw new Error(`${expression}: ${String(error)}`);
      }
    }
  });
});

/** A small deterministic generator (mulberry32), so failures reproduce. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('agreement with cron-parser 5.10.6 on generated expressions', () => {
  const random = seeded(20260101);
  const int = (n: number) => Math.floor(random() * n);
  const MONTHS = ['jan', 'FEB', 'Mar', 'apr', 'MAY', 'jun', 'jul', 'AUG', 'sep', 'oct', 'Nov', 'dec'];
  const WEEKDAYS = ['sun', 'MON', 'Tue', 'wed', 'THU', 'fri', 'SAT'];

  function item(min: number, max: number, names?: string[]): string {
    const value = () => (names && int(3) === 0 ? names[int(names.length)]! : String(min + int(max - min + 1)));
    const a = min + int(max - min + 1);
    const b = a + int(max - a + 1);
    switch (int(8)) {
      case 0: return '*';
      case 1: return `*/${1 + int(max)}`;
      case 2: return `${a}-${b}`;
      case 3: return `${a}-${b}/${1 + int(10)}`;
      case 4: return `${a}/${1 + int(10)}`;
      default: return value();
    }
  }
  function field(min: number, max: number, names?: string[]): string {
    if (int(4) === 0) return '*';
    return Array.from({ length: 1 + (int(3) === 0 ? int(3) : 0) }, () => item(min, max, names)).join(',');
  }
  function expression(): string {
    let dom = int(3) === 0 ? '*' : field(1, 31);
    if (int(8) === 0) dom = int(2) ? 'L' : `${int(14) + 1},L`;
    let dow = int(3) === 0 ? '?' : field(0, 7, WEEKDAYS);
    const special = int(10);
    if (special === 0) dow = `${int(8)}L`;
    else if (special === 1) dow = `${['1', '5', 'FRI', '7', '0', 'wed'][int(6)]}#${1 + int(5)}`;
    else if (special === 2) dow = `${int(7)},${WEEKDAYS[int(7)]}L`;
    const month = int(2) ? '*' : field(1, 12, MONTHS);
    return [int(2) ? '0' : field(0, 59), field(0, 59), field(0, 23), dom, month, dow].join(' ');
  }

  // cron-parser rejects repeated values (`1,1`), which Mainspring accepts; skip those.
  const cases: string[] = [];
  while (cases.length < 1500) {
    const candidate = expression();
    try {
      CronExpressionParser.parse(candidate, { tz: 'UTC' });
      cases.push(candidate);
    } catch (error) {
      if (!/duplicate/.test((error as Error).message)) cases.push(candidate);
    }
  }

  it('accepts and rejects the same expressions, and fires at the same instants', () => {
    const start = new Date('2025-12-30T22:10:05Z');
    const problems: string[] = [];
    let compared = 0;
    for (const candidate of cases) {
      let theirs: string[] | null;
      try {
        theirs = CronExpressionParser.parse(candidate, { tz: 'UTC', currentDate: start }).take(12).map((d) => d.toDate().toISOString());
      } catch {
        theirs = null;
      }
      let ours: string[] | null;
      try {
        ours = fires(candidate, 12, 'UTC', start);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        ours = null;
      }
      if (theirs && ours) compared++;
      if (JSON.stringify(theirs) !== JSON.stringify(ours)) problems.push(`${candidate}: theirs ${JSON.stringify(theirs?.slice(0, 2))} ours ${JSON.stringify(ours?.slice(0, 2))}`);
    }
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(1000);
  }, 60_000);

  it('agrees going backwards too', () => {
    const before = new Date('2026-06-15T12:34:56Z');
    const problems: string[] = [];
    let compared = 0;
    for (const candidate of cases.slice(0, 300)) {
      let theirs: string[];
      try {
        const parsed = CronExpressionParser.parse(candidate, { tz: 'UTC', currentDate: before });
        theirs = Array.from({ length: 5 }, () => parsed.prev().toDate().toISOString());
      } catch {
        continue;
      }
      const ours = iso(previousFireTimes({ cron: candidate, before, limit: 5 }));
      compared++;
      if (JSON.stringify(theirs) !== JSON.stringify(ours)) problems.push(`${candidate}: theirs ${theirs[0]} ours ${ours[0]}`);
    }
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(200);
  }, 60_000);
});
