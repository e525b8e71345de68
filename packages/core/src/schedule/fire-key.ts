import { ConfigError } from '../errors.js';

/**
 * The idempotency key of one fire of a schedule: the same in every process, so the store's
 * (job name, key) dedup turns racing fires of one instant into one job.
 *
 * @example fireKey('hearing-reminders', new Date('2026-03-02T02:30:00Z'))
 * // 'schedule:hearing-reminders:2026-03-02T02:30:00.000Z'
 */
export function fireKey(scheduleName: string, instant: Date | number): string {
  if (typeof scheduleName !== 'string' || scheduleName === '') {
    throw new ConfigError(`fireKey needs a schedule name, got ${JSON.stringify(scheduleName)}`);
  }
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) throw new ConfigError(`fireKey: invalid instant ${String(instant)} for schedule "${scheduleName}"`);
  return `schedule:${scheduleName}:${date.toISOString()}`;
}
