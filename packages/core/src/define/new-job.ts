import { toMs } from '../duration.js';
import { ConfigError } from '../errors.js';
import type { NewJob } from '../store/contract.js';
import type { EnqueueOptions } from './enqueue-options.js';
import type { JobDefinition } from './job.js';
import { validatePayload } from './validate.js';

/**
 * Turns a payload and options into the row a store inserts: validates the payload (throws
 * `ValidationError`, nothing is stored) and resolves every default from the job definition.
 */
export function buildNewJob(definition: JobDefinition<any, any>, payload: unknown, options: EnqueueOptions = {}): NewJob {
  const data = validatePayload(definition, payload);
  const where = `enqueue "${definition.name}"`;
  if (options.runAt !== undefined && options.delay !== undefined) {
    throw new ConfigError(`${where}: give runAt or delay, not both`);
  }
  const runAt = options.runAt === undefined ? null : toDate(options.runAt, where);
  const priority = options.priority ?? definition.priority;
  if (!Number.isInteger(priority)) throw new ConfigError(`${where}: priority must be an integer`);
  const maxAttempts = options.attempts ?? definition.retry.attempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new ConfigError(`${where}: attempts must be an integer >= 1`);
  const key = options.key ?? (definition.unique ? definition.unique.key(data) : null);
  if (key !== null && (typeof key !== 'string' || key.length === 0 || key.length > 512)) {
    throw new ConfigError(`${where}: key must be a non-empty string of at most 512 characters`);
  }
  const tenant = options.tenant ?? definition.group?.key?.(data) ?? null;
  return {
    name: definition.name,
    queue: options.queue ?? definition.queue,
    payload: data === undefined ? null : data,
    priority,
    maxAttempts,
    runAt,
    delayMs: options.delay === undefined ? null : wrapMs(options.delay, where),
    key,
    keyWindowMs: definition.unique?.windowMs ?? null,
    tenant: tenant === null ? null : String(tenant),
    meta: options.meta ?? null,
  };
}

function toDate(value: Date | number | string, where: string): Date {
  const date = value instanceof Date ? new Date(value.getTime()) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new ConfigError(`${where}: runAt is not a valid date: ${String(value)}`);
  return date;
}

function wrapMs(value: Parameters<typeof toMs>[0], where: string): number {
  try {
    return toMs(value, 'delay');
  } catch (error) {
    throw new ConfigError(`${where}: ${(error as Error).message}`);
  }
}
