import type { EnqueueResult } from '../define/enqueue-options.js';
import type { JobDefinition } from '../define/job.js';
import { checkScheduleFields } from '../define/schedule.js';
import { validatePayload } from '../define/validate.js';
import { ConfigError } from '../errors.js';
import type { JobRecord, JobState, NewJob, ScheduleRecord, Store } from '../store/contract.js';
import type { CatchUpOption } from './catch-up.js';
import { describeFireTime, type FireTimeDescription } from './describe.js';
import { nextFireTime } from './fire-times.js';
import type { FiredJob, Scheduler } from './scheduler.js';

/** A stored (dynamic) schedule to create or replace, e.g. one digest per recipient in their zone. */
export interface DynamicScheduleInput {
  name: string;
  cron: string;
  timezone?: string;
  /** The job (or its registered name) each fire enqueues. */
  job: JobDefinition<any, any> | string;
  /** JSON payload for every fire; validated against the job's schema now. */
  payload?: unknown;
  catchUp?: CatchUpOption;
  tenant?: string | null;
  enabled?: boolean;
}

/** One past run of a schedule, for execution history. */
export interface ScheduleRun {
  jobId: string;
  fireTime: string | null;
  state: JobState;
  backfill: boolean;
  manual: boolean;
  createdAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

/** A schedule as the API returns it: the stored record plus its next and last fire in UTC and its zone. */
export interface ScheduleInfo extends ScheduleRecord {
  next: FireTimeDescription | null;
  last: FireTimeDescription | null;
}

export interface ScheduleDetails extends ScheduleInfo {
  /** Most recent runs first (up to 20). */
  recentRuns: ScheduleRun[];
}

/** How long a Run Now key is kept after its job finishes, so a double click runs the job once. */
const RUN_NOW_WINDOW_MS = 10_000;

/**
 * `ms.schedules`: create and manage schedules at run time, alongside those declared in code.
 *
 * @example
 * await ms.schedules.upsert({ name: `digest:${user.id}`, cron: '0 8 * * *', timezone: user.timezone,
 *   job: sendDigest, payload: { userId: user.id } });
 */
export class ScheduleApi {
  constructor(
    private readonly store: Store,
    private readonly ready: () => Promise<void>,
    private readonly jobs: ReadonlyMap<string, JobDefinition<any, any>>,
    private readonly scheduler: Scheduler,
    private readonly insert: (rows: NewJob[]) => Promise<EnqueueResult[]>,
    private readonly onFired: (fired: FiredJob[]) => void,
  ) {}

  /** Create or replace a stored schedule. Bad cron, zone, job or payload: `ConfigError`/`ValidationError`, nothing stored. */
  async upsert(input: DynamicScheduleInput): Promise<ScheduleInfo> {
    const timezone = input.timezone ?? 'UTC';
    const catchUp = checkScheduleFields({ ...input, timezone });
    const jobName = typeof input.job === 'string' ? input.job : input.job?.name;
    const definition = jobName === undefined ? undefined : this.jobs.get(jobName);
    if (!definition) throw new ConfigError(`Schedule "${input.name}": unknown job ${JSON.stringify(jobName)}; register it with createMainspring({ jobs })`);
    if (this.scheduler.code.has(input.name)) throw new ConfigError(`Schedule "${input.name}" is declared in code; change it there`);
    const payload = validatePayload(definition, input.payload ?? null);
    await this.ready();
    const now = await this.store.now();
    const existing = await this.store.getSchedule({ name: input.name });
    const cron = input.cron.trim();
    const sameTiming = existing && existing.cron === cron && existing.timezone === timezone && existing.enabled;
    const record = await this.store.upsertSchedule({
      schedule: {
        name: input.name,
        cron,
        timezone,
        job: definition.name,
        payload: payload === undefined ? null : payload,
        catchUp,
        tenant: input.tenant ?? null,
        enabled: input.enabled ?? true,
        source: 'dynamic',
        nextFireAt: sameTiming ? existing.nextFireAt : nextFireTime({ cron, timezone }, now),
      },
      now,
    });
    return describe(record);
  }

  /** A schedule with its next/last fire and recent runs, or null. */
  async get(name: string): Promise<ScheduleDetails | null> {
    await this.ready();
    const record = await this.store.getSchedule({ name });
    if (!record) return null;
    return { ...describe(record), recentRuns: await this.recentRuns(record) };
  }

  async list(filter: { source?: 'code' | 'dynamic' } = {}): Promise<ScheduleInfo[]> {
    await this.ready();
    return (await this.store.listSchedules(filter)).map(describe);
  }

  /** Delete a stored schedule. Jobs it already enqueued stay. */
  async remove(name: string): Promise<boolean> {
    if (this.scheduler.code.has(name)) throw new ConfigError(`Schedule "${name}" is declared in code; remove it there`);
    await this.ready();
    return this.store.removeSchedule({ name });
  }

  /** Resume firing from the next fire after now (fires missed while disabled are not caught up). */
  async enable(name: string): Promise<ScheduleInfo> {
    return this.setEnabled(name, true);
  }

  async disable(name: string): Promise<ScheduleInfo> {
    return this.setEnabled(name, false);
  }

  /**
   * Enqueue the schedule's job now (the dashboard's Run Now). Keyed per schedule, so a double
   * click while the first run is pending, running or just finished enqueues it once.
   */
  async runNow(name: string): Promise<EnqueueResult> {
    const record = await this.required(name);
    if (!this.jobs.has(record.job)) throw new ConfigError(`Schedule "${name}": job "${record.job}" is not registered in this process`);
    const now = new Date(await this.store.now());
    const row = this.scheduler.jobFor(record, now, {
      key: `schedule:${name}:run-now`,
      keyWindowMs: RUN_NOW_WINDOW_MS,
      meta: { manual: true },
    });
    const [result] = await this.insert([row]);
    return result!;
  }

  /**
   * Fire every due schedule now and return what was enqueued. Workers do this every
   * `scheduleInterval`; call it yourself in tests, passing `now` to simulate time.
   */
  async fireDue(options: { now?: Date | number } = {}): Promise<FiredJob[]> {
    await this.ready();
    const now = options.now === undefined ? undefined : new Date(options.now).getTime();
    const fired = await this.scheduler.tick(now);
    this.onFired(fired);
    return fired;
  }

  /** Write the schedules declared in code to the store (workers do this at start). */
  async sync(options: { now?: Date | number } = {}): Promise<void> {
    await this.ready();
    await this.scheduler.sync(options.now === undefined ? undefined : new Date(options.now).getTime());
  }

  private async setEnabled(name: string, enabled: boolean): Promise<ScheduleInfo> {
    const record = await this.required(name);
    if (record.enabled === enabled) return describe(record);
    const now = await this.store.now();
    const { createdAt: _c, updatedAt: _u, ...rest } = record;
    const updated = await this.store.upsertSchedule({
      schedule: { ...rest, enabled, nextFireAt: enabled ? nextFireTime(record, now) : record.nextFireAt },
      now,
    });
    return describe(updated);
  }

  private async required(name: string): Promise<ScheduleRecord> {
    await this.ready();
    const record = await this.store.getSchedule({ name });
    if (!record) throw new ConfigError(`No schedule named "${name}"`);
    return record;
  }

  private async recentRuns(record: ScheduleRecord): Promise<ScheduleRun[]> {
    const runs: ScheduleRun[] = [];
    const page = await this.store.list({ name: record.job, limit: 500 });
    for (const job of page.jobs) {
      if (job.meta?.schedule !== record.name) continue;
      runs.push(toRun(job));
      if (runs.length === 20) break;
    }
    return runs;
  }
}

function describe(record: ScheduleRecord): ScheduleInfo {
  return {
    ...record,
    next: record.enabled && record.nextFireAt ? describeFireTime(record.nextFireAt, record.timezone) : null,
    last: record.lastFireAt ? describeFireTime(record.lastFireAt, record.timezone) : null,
  };
}

function toRun(job: JobRecord): ScheduleRun {
  return {
    jobId: job.id,
    fireTime: typeof job.meta?.fireTime === 'string' ? job.meta.fireTime : null,
    state: job.state,
    backfill: job.meta?.backfill === true,
    manual: job.meta?.manual === true,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    error: job.error,
  };
}
