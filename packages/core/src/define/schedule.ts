import { ConfigError } from '../errors.js';
import type { CatchUpPolicy } from '../store/contract.js';
import { normalizeCatchUp, type CatchUpOption } from '../schedule/catch-up.js';
import { parseCron } from '../schedule/cron.js';
import type { JobDefinition } from './job.js';

/** A payload for each fire: fixed, or computed from the fire instant. */
export type SchedulePayload<P> = P | ((fireTime: Date) => P);

/** Everything `defineSchedule` accepts. */
export interface ScheduleOptions<P> {
  /** Unique schedule name; part of each fire's idempotency key. */
  name: string;
  /** Five fields, six with seconds, or an alias such as `@daily`. */
  cron: string;
  /** IANA zone the expression is read in; default `'UTC'`. */
  timezone?: string;
  /** The job each fire enqueues. */
  job: JobDefinition<P, any>;
  payload?: NoInfer<SchedulePayload<P>>;
  /** Missed fires after downtime: `'none'` (default), `'latest'`, or `{ max, within }`. */
  catchUp?: CatchUpOption;
  tenant?: string;
  /** Default true. */
  enabled?: boolean;
}

export interface ScheduleDefinition<P = unknown> {
  readonly kind: 'schedule';
  readonly name: string;
  readonly cron: string;
  readonly timezone: string;
  readonly job: JobDefinition<P, any>;
  readonly payload: SchedulePayload<P> | undefined;
  readonly catchUp: CatchUpPolicy;
  readonly tenant: string | null;
  readonly enabled: boolean;
}

const NAME = /^[A-Za-z0-9_.:\-/]{1,200}$/;

/** Checks the parts shared by code and stored schedules; throws `ConfigError` on the first problem. */
export function checkScheduleFields(fields: { name: string; cron: string; timezone: string; catchUp?: unknown }): CatchUpPolicy {
  if (typeof fields.name !== 'string' || !NAME.test(fields.name)) {
    throw new ConfigError(`Schedule name must be 1-200 characters of letters, digits and _ . : - /, got ${JSON.stringify(fields.name)}`);
  }
  parseCron(fields.cron, fields.timezone, fields.name);
  return normalizeCatchUp(fields.catchUp as CatchUpOption | undefined, fields.name);
}

/**
 * Declare a cron schedule in code. It is synced to the store when workers start (added, changed or
 * removed as the code changes) and fires exactly once per fire time across every process.
 *
 * @example
 * const hearingReminders = defineSchedule({
 *   name: 'hearing-reminders', cron: '0 8 * * *', timezone: 'Asia/Kolkata',
 *   job: sendHearingReminders, catchUp: 'latest',
 * });
 */
export function defineSchedule<P>(options: ScheduleOptions<P>): ScheduleDefinition<P> {
  const timezone = options.timezone ?? 'UTC';
  const catchUp = checkScheduleFields({ ...options, timezone });
  if (!options.job || options.job.kind !== 'job') {
    throw new ConfigError(`Schedule "${options.name}": job must be a defineJob(...) result`);
  }
  return Object.freeze({
    kind: 'schedule' as const,
    name: options.name,
    cron: options.cron.trim(),
    timezone,
    job: options.job,
    payload: options.payload,
    catchUp,
    tenant: options.tenant ?? null,
    enabled: options.enabled ?? true,
  });
}
