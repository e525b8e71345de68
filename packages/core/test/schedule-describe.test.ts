import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { describeFireTime, describeNext } from '../src/schedule/describe.js';
import { fireKey } from '../src/schedule/fire-key.js';

describe('fireKey', () => {
  it('is the schedule name and the UTC instant, whatever form the instant takes', () => {
    const instant = new Date('2026-03-08T07:00:00Z');
    expect(fireKey('nightly', instant)).toBe('schedule:nightly:2026-03-08T07:00:00.000Z');
    expect(fireKey('nightly', instant.getTime())).toBe(fireKey('nightly', new Date(instant)));
  });

  it('differs between schedules and between instants', () => {
    const a = fireKey('a', Date.UTC(2026, 0, 1));
    expect(fireKey('b', Date.UTC(2026, 0, 1))).not.toBe(a);
    expect(fireKey('a', Date.UTC(2026, 0, 1, 0, 1))).not.toBe(a);
  });

  it('rejects a missing name or an invalid instant', () => {
    expect(() => fireKey('', 0)).toThrow(ConfigError);
    expect(() => fireKey('x', Number.NaN)).toThrow(ConfigError);
    expect(() => fireKey('x', new Date('nope'))).toThrow(ConfigError);
  });
});

describe('describeNext', () => {
  it('computes the next fire after now and shows it on both clocks', () => {
    expect(describeNext({ cron: '30 2 * * *', timezone: 'America/New_York' }, Date.UTC(2026, 2, 8))).toEqual({
      utc: '2026-03-08T07:00:00.000Z',
      local: '2026-03-08T03:00:00.000-04:00',
      timezone: 'America/New_York',
      zoneAbbreviation: 'EDT',
    });
  });

  it('shows a stored nextFireAt as it is', () => {
    const d = describeNext({ cron: '0 8 * * *', timezone: 'Asia/Kolkata', nextFireAt: new Date('2026-05-01T02:30:00Z') }, 0);
    expect(d).toMatchObject({ utc: '2026-05-01T02:30:00.000Z', local: '2026-05-01T08:00:00.000+05:30', timezone: 'Asia/Kolkata' });
  });

  it('defaults to UTC', () => {
    expect(describeNext({ cron: '@daily' }, Date.UTC(2026, 0, 1, 12))).toMatchObject({
      utc: '2026-01-02T00:00:00.000Z',
      local: '2026-01-02T00:00:00.000Z',
      timezone: 'UTC',
    });
  });

  it('describes any instant in a zone, and rejects an unknown zone', () => {
    expect(describeFireTime(Date.UTC(2026, 9, 25, 0, 30), 'Europe/Berlin').local).toBe('2026-10-25T02:30:00.000+02:00');
    expect(describeFireTime(Date.UTC(2026, 9, 25, 1, 30), 'Europe/Berlin').local).toBe('2026-10-25T02:30:00.000+01:00');
    expect(() => describeFireTime(0, 'Atlantis/Capital')).toThrow(ConfigError);
  });
});
