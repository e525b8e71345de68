import type { JobDefinition } from '../define/job.js';
import { buildNewJob } from '../define/new-job.js';
import type { ScheduleDefinition } from '../define/schedule.js';
import type { NewJob, ScheduleRecord, Store } from '../store/contract.js';
import { dueFires, type DueFire } from './catch-up.js';
import { fireKey } from './fire-key.js';
import { nextFireTime } from './fire-times.js';

/** Fire keys outlive the job by a day, so even a re-created schedule cannot enqueue an instant twice. */
const FIRE_KEY_WINDOW_MS = 86_400_000;

export interface FiredJob {
  schedule: string;
  fireTime: Date;
  jobId: string;
  backfill: boolean;
  deduplicated: boolean;
}

/**
 * Fires schedules: reads due schedules from the store, works out the fire instants (catch-up
 * included) and applies them with the store's compare-and-set `fireSchedule`, so any number of
 * processes can tick at once and each instant becomes exactly one job. No leader is needed.
 */
export class Scheduler {
  constructor(
    private readonly store: Store,
    private readonly jobs: ReadonlyMap<string, JobDefinition<any, any>>,
    readonly code: ReadonlyMap<string, ScheduleDefinition<any>>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /**
   * Make the store's code schedules match the definitions: add new ones, update changed ones
   * (a changed cron or zone restarts from the next fire after now), remove ones no longer declared.
   */
  async sync(now?: number): Promise<void> {
    const at = now ?? (await this.store.now());
    const stored = new Map((await this.store.listSchedules({ source: 'code' })).map((s) => [s.name, s]));
    for (const definition of this.code.values()) {
      const existing = stored.get(definition.name) ?? (await this.store.getSchedule({ name: definition.name }));
      const payload = typeof definition.payload === 'function' ? null : (definition.payload ?? null);
      const sameTiming = existing && existing.source === 'code' && existing.cron === definition.cron && existing.timezone === definition.timezone;
      const next = sameTiming ? existing.nextFireAt : nextFireTime(definition, at);
      const unchanged =
        sameTiming &&
        existing.job === definition.job.name &&
        existing.enabled === definition.enabled &&
        existing.tenant === definition.tenant &&
        JSON.stringify(existing.catchUp) === JSON.stringify(definition.catchUp) &&
        JSON.stringify(existing.payload) === JSON.stringify(payload);
      if (unchanged) continue;
      await this.store.upsertSchedule({
        schedule: {
          name: definition.name,
          cron: definition.cron,
          timezone: definition.timezone,
          job: definition.job.name,
          payload,
          catchUp: definition.catchUp,
          tenant: definition.tenant,
          enabled: definition.enabled,
          source: 'code',
          nextFireAt: next,
        },
        now: at,
      });
    }
    for (const name of stored.keys()) {
      if (!this.code.has(name)) await this.store.removeSchedule({ name });
    }
  }

  /** Fire every due schedule this process can build jobs for. Returns the jobs enqueued. */
  async tick(now?: number): Promise<FiredJob[]> {
    const at = now ?? (await this.store.now());
    const fired: FiredJob[] = [];
    for (const schedule of await this.store.listSchedules({})) {
      if (!schedule.enabled || (schedule.nextFireAt && schedule.nextFireAt.getTime() > at)) continue;
      // Another process (one that registers this job, or runs the newer code) fires it.
      if (!this.jobs.has(schedule.job) || (schedule.source === 'code' && !this.code.has(schedule.name))) continue;
      try {
        fired.push(...(await this.fire(schedule, at)));
      } catch (error) {
        this.onError(error);
      }
    }
    return fired;
  }

  /** The job for one fire of a schedule, keyed by (schedule, instant). */
  jobFor(schedule: ScheduleRecord, fireAt: Date, extra: { key?: string; keyWindowMs?: number; meta?: Record<string, unknown> } = {}): NewJob {
    const definition = this.jobs.get(schedule.job)!;
    const declared = this.code.get(schedule.name)?.payload;
    const payload = typeof declared === 'function' ? declared(fireAt) : schedule.payload;
    const row = buildNewJob(definition, payload, {
      key: extra.key ?? fireKey(schedule.name, fireAt),
      tenant: schedule.tenant ?? undefined,
      meta: { schedule: schedule.name, fireTime: fireAt.toISOString(), ...extra.meta },
    });
    return { ...row, keyWindowMs: Math.max(row.keyWindowMs ?? 0, extra.keyWindowMs ?? FIRE_KEY_WINDOW_MS) };
  }

  private async fire(schedule: ScheduleRecord, now: number): Promise<FiredJob[]> {
    const due = dueFires({ ...schedule, now });
    if (!due.due) return [];
    let fires: DueFire[] = due.fires;
    let lastFireAt = due.lastFireAt;
    let jobs: NewJob[];
    try {
      jobs = fires.map((f) => this.jobFor(schedule, f.fireAt, { meta: { backfill: f.backfill } }));
    } catch (error) {
      // A payload that no longer fits its job: report it, but still advance so it is not retried every tick.
      this.onError(error);
      fires = [];
      jobs = [];
      lastFireAt = schedule.lastFireAt;
    }
    const result = await this.store.fireSchedule({
      name: schedule.name,
      expectedNextFireAt: schedule.nextFireAt,
      nextFireAt: due.nextFireAt,
      lastFireAt,
      jobs,
      now,
    });
    if (!result.fired) return [];
    return result.jobs.map(({ job, deduplicated }, i) => ({
      schedule: schedule.name,
      fireTime: fires[i]!.fireAt,
      jobId: job.id,
      backfill: fires[i]!.backfill,
      deduplicated,
    }));
  }
}
