import { randomBytes } from 'node:crypto';
import {
  consoleLogger,
  isTransientStoreError,
  StoreUnavailableError,
  JOB_STATES,
  type AttemptRecord,
  type ClaimParams,
  type CompleteItem,
  type FailItem,
  type FireScheduleParams,
  type InsertResult,
  type JobRecord,
  type JobState,
  type ListFilter,
  type ListParams,
  type ListResult,
  type Logger,
  type Metrics,
  type MetricsParams,
  type NewJob,
  type PauseRecord,
  type PruneParams,
  type ScheduleInput,
  type ScheduleRecord,
  type SettleResult,
  type StateCounts,
  type Store,
  type WakeEvent,
} from '@mainspring/core';
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { connect } from './connection.js';
import { clip, dateArg, decodeCursor, encodeCursor, insertResult, logsArg, nowArg, pauseField, pushJobSlots, type Arg, type InsertReply } from './encode.js';
import { claimedJobs, jobFromReply, LATEST_ATTEMPT_FIELDS, type ClaimReply, latestAttempt, pairs, toAttempt, toJob, toSchedule } from './decode.js';
import { checkEvictionPolicy, type EvictionPolicyMode } from './eviction.js';
import { Keys } from './keys.js';
import type { ScriptName } from './lua.js';
import { Scripts } from './scripts.js';
import { quit, Subscriber } from './subscriber.js';

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** Server to connect to; ignored when `client` is given. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** Key prefix; every key is `{prefix}:...` (one hash tag, one cluster slot). Default `mainspring`. */
  prefix?: string;
  /**
   * An ioredis client (or Cluster) to use instead of opening one. The store never closes it; the
   * pub/sub connection it needs is opened with `client.duplicate()`.
   */
  client?: Redis | Cluster;
  /**
   * What to do when `maxmemory-policy` is not `noeviction`: `'error'` (default) refuses to start,
   * `'warn'` logs a warning and runs anyway.
   */
  evictionPolicy?: EvictionPolicyMode;
  /** Name shown by CLIENT LIST for the store's connections (`<name>` and `<name>:sub`). */
  connectionName?: string;
  /** Extra ioredis options for the connections the store opens itself. */
  redisOptions?: RedisOptions;
  /** Where warnings go (default: console). */
  logger?: Pick<Logger, 'warn'>;
}

const INSERT_CHUNK = 1_000;
const RESCUE_BATCH = 1_000;
const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 1_000;
const DEFAULT_PRUNE_BATCH = 500;

/**
 * A Mainspring store on Redis 7. Every state transition is one Lua script (see `lua/`), so each is
 * atomic; times come from Redis `TIME` unless `now` is passed.
 *
 * @example
 * import { redisStore } from '@mainspring/adapter-redis';
 * const store = redisStore({ url: process.env.REDIS_URL, prefix: 'mainspring' });
 * const ms = createMainspring({ store, jobs: [sendEmail] });
 */
export function redisStore(options: RedisStoreOptions = {}): RedisStore {
  return new RedisStore(options);
}

export class RedisStore implements Store {
  readonly name = 'redis';
  readonly capabilities = { transactions: false, push: true } as const;

  /** The command connection (the caller's client, or one this store opened). */
  readonly redis: Redis | Cluster;
  readonly keys: Keys;
  readonly connectionName: string;
  private readonly ownsClient: boolean;
  private readonly scripts: Scripts;
  private readonly subscriber: Subscriber;
  private readonly evictionMode: EvictionPolicyMode;
  private readonly logger: Pick<Logger, 'warn'>;
  private ready: Promise<void> | null = null;
  private closed = false;

  constructor(options: RedisStoreOptions = {}) {
    const prefix = options.prefix ?? 'mainspring';
    this.keys = new Keys(prefix);
    this.connectionName = options.connectionName ?? `mainspring:${prefix}:${randomBytes(4).toString('hex')}`;
    this.evictionMode = options.evictionPolicy ?? 'error';
    this.logger = options.logger ?? consoleLogger;
    this.ownsClient = !options.client;
    this.redis = options.client ?? connect(options.url ?? 'redis://127.0.0.1:6379', this.connectionName, options.redisOptions);
    this.scripts = new Scripts(this.redis);
    const subName = `${this.connectionName}:sub`;
    this.subscriber = new Subscriber(
      () => (this.ownsClient ? connect(options.url ?? 'redis://127.0.0.1:6379', subName, options.redisOptions) : this.redis.duplicate()),
      this.keys.wakeChannel,
    );
  }

  async migrate(): Promise<void> {
    await this.ensureReady();
    // Nothing to create ahead of time: keys appear on first write. Record the layout version so a
    // future layout change can tell old data apart.
    await this.call(() => this.redis.hsetnx(this.keys.key('meta'), 'layout', '1'));
  }

  /** Check the eviction policy and load the scripts, once (again after a failure). */
  private ensureReady(): Promise<void> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('The Redis store is closed'));
    if (!this.ready) {
      this.ready = this.call(async () => {
        await checkEvictionPolicy(this.redis, this.evictionMode, this.logger);
        await this.scripts.loadAll();
      });
      this.ready.catch(() => {
        this.ready = null;
      });
    }
    return this.ready;
  }

  /** Run a command, reporting connection failures as StoreUnavailableError. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof StoreUnavailableError || !isTransientStoreError(error)) throw error;
      throw new StoreUnavailableError(`Redis is unavailable: ${(error as Error).message}`, { cause: error });
    }
  }

  private async run<T>(name: ScriptName, args: Arg[]): Promise<T> {
    await this.ensureReady();
    return this.call(() => this.scripts.run<T>(name, this.keys.forScript(name), args));
  }

  async now(): Promise<number> {
    const [sec, usec] = await this.call(() => this.redis.time());
    return Number(sec) * 1000 + Math.floor(Number(usec) / 1000);
  }

  async insert(params: { jobs: NewJob[]; tx?: unknown; now?: number }): Promise<InsertResult[]> {
    const { jobs } = params;
    if (jobs.length === 0) return [];
    const chunks: Promise<InsertResult[]>[] = [];
    // Chunks go out in order on one connection (pipelined), so dedup across chunks is still in input order.
    for (let i = 0; i < jobs.length; i += INSERT_CHUNK) chunks.push(this.insertChunk(jobs.slice(i, i + INSERT_CHUNK), params.now));
    return (await Promise.all(chunks)).flat();
  }

  private async insertChunk(jobs: NewJob[], now: number | undefined): Promise<InsertResult[]> {
    const args: Arg[] = [nowArg(now), jobs.length];
    for (const job of jobs) pushJobSlots(args, job);
    const reply = await this.run<InsertReply[]>('insert', args);
    return reply.map((r, i) => insertResult(jobs[i], r));
  }

  async claim(params: ClaimParams): Promise<JobRecord[]> {
    if (params.limit <= 0 || params.names.length === 0) return [];
    const reply = await this.run<ClaimReply>('claim', [
      nowArg(params.now),
      params.workerId,
      Math.floor(params.limit),
      Math.floor(params.leaseMs),
      // Each name once: a name listed twice would load its groups twice.
      JSON.stringify([...new Set(params.names)]),
      params.queues ? JSON.stringify(params.queues) : '',
      params.limits ? JSON.stringify(params.limits) : '',
    ]);
    return claimedJobs(reply, params.workerId);
  }

  async extendLeases(params: { workerId: string; ids: string[]; leaseMs: number; now?: number }): Promise<{ lost: string[] }> {
    if (params.ids.length === 0) return { lost: [] };
    const lost = await this.run<string[]>('extend', [nowArg(params.now), params.workerId, Math.floor(params.leaseMs), ...params.ids]);
    return { lost };
  }

  async complete(params: { workerId: string; items: CompleteItem[]; now?: number }): Promise<SettleResult> {
    if (params.items.length === 0) return { settled: [], lost: [] };
    const { items } = params;
    // Items without a result or logs (most of them) take two slots, the others four; see lua/complete.lua.
    const args: Arg[] = [nowArg(params.now), params.workerId, items.length, 0];
    let order: number[] | null = null;
    let extras: Arg[] | null = null;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const result = item.result == null ? '' : (JSON.stringify(item.result) ?? '');
      const logs = logsArg(item.logs);
      if (result === '' && logs === '') {
        args.push(item.id, item.attempt);
        order?.push(i);
      } else {
        if (!order) order = Array.from({ length: i }, (_, k) => k);
        (extras ??= []).push(i, item.id, item.attempt, result, logs);
      }
    }
    if (extras) {
      for (let k = 0; k < extras.length; k += 5) {
        order!.push(extras[k] as number);
        args.push(extras[k + 1], extras[k + 2], extras[k + 3], extras[k + 4]);
      }
      args[3] = extras.length / 5;
    }
    // The script names only the positions of lost items: settled ids need not travel back.
    const lostAt = await this.run<number[]>('complete', args);
    if (lostAt.length === 0) return { settled: items.map((item) => item.id), lost: [] };
    const lostSet = new Set(order ? lostAt.map((p) => order[p]) : lostAt);
    const settled: string[] = [];
    const lost: string[] = [];
    items.forEach((item, i) => (lostSet.has(i) ? lost : settled).push(item.id));
    return { settled, lost };
  }

  async fail(params: { workerId: string; items: FailItem[]; now?: number }): Promise<SettleResult> {
    if (params.items.length === 0) return { settled: [], lost: [] };
    const args: Arg[] = [nowArg(params.now), params.workerId, params.items.length];
    for (const item of params.items) {
      const stack = item.error.stack == null ? null : clip(String(item.error.stack));
      const error = { name: String(item.error.name), message: clip(String(item.error.message)), stack };
      const delay = item.retryDelayMs == null ? '' : Math.max(0, Math.round(item.retryDelayMs));
      args.push(item.id, item.attempt, JSON.stringify(error), error.message, delay, logsArg(item.logs));
    }
    const [settled, lost] = await this.run<[string[], string[]]>('fail', args);
    return { settled, lost };
  }

  async release(params: { workerId: string; ids: string[]; now?: number }): Promise<{ released: string[] }> {
    if (params.ids.length === 0) return { released: [] };
    return { released: await this.run<string[]>('release', [nowArg(params.now), params.workerId, ...params.ids]) };
  }

  async rescueExpired(params: { now?: number; limit?: number }): Promise<{ rescued: JobRecord[] }> {
    const rescued: JobRecord[] = [];
    // Without a limit, rescue everything, a bounded batch per script call.
    for (;;) {
      const want = params.limit === undefined ? RESCUE_BATCH : Math.min(RESCUE_BATCH, params.limit - rescued.length);
      if (want <= 0) break;
      const reply = await this.run<string[][]>('rescue', [nowArg(params.now), want]);
      rescued.push(...reply.map((r) => toJob(pairs(r))));
      if (reply.length < want) break;
    }
    return { rescued };
  }

  async setProgress(params: { id: string; workerId: string; progress: number }): Promise<boolean> {
    const progress = Math.max(0, Math.min(100, Number(params.progress) || 0));
    return (await this.run<number>('progress', [params.id, params.workerId, progress])) === 1;
  }

  async cancel(params: { id: string; now?: number }): Promise<JobRecord | null> {
    return jobFromReply(await this.run<string[]>('cancel', [nowArg(params.now), params.id]));
  }

  async retry(params: { id: string; attempts: number; now?: number }): Promise<JobRecord | null> {
    return jobFromReply(await this.run<string[]>('retry', [nowArg(params.now), params.id, Math.max(0, Math.floor(params.attempts))]));
  }

  async promote(params: { id: string; now?: number }): Promise<JobRecord | null> {
    return jobFromReply(await this.run<string[]>('promote', [nowArg(params.now), params.id]));
  }

  async remove(params: { id: string }): Promise<boolean> {
    return (await this.run<number>('remove', [params.id])) === 1;
  }

  async get(params: { id: string }): Promise<JobRecord | null> {
    if (!/^[0-9]+$/.test(params.id)) return null;
    const h = await this.call(() => this.redis.hgetall(this.keys.job(params.id)));
    return h.id === undefined ? null : toJob(h);
  }

  async list(params: ListParams): Promise<ListResult> {
    const limit = Math.min(Math.max(1, Math.floor(params.limit ?? DEFAULT_LIST_LIMIT)), MAX_LIST_LIMIT);
    const states = params.state === undefined ? null : Array.isArray(params.state) ? params.state : [params.state];
    if (states && states.length === 0) return { jobs: [], nextCursor: null };
    const [cursor, ...rows] = await this.run<[string, ...string[][]]>('list', [
      states ? JSON.stringify(states) : '',
      params.queue ?? '',
      params.name ?? '',
      params.tenant ?? '',
      params.key ?? '',
      limit,
      params.cursor ? decodeCursor(params.cursor) : '',
    ]);
    return { jobs: rows.map((r) => toJob(pairs(r))), nextCursor: cursor ? encodeCursor(cursor) : null };
  }

  async counts(params: Omit<ListFilter, 'state' | 'key'>): Promise<StateCounts> {
    await this.ensureReady();
    const raw = await this.call(() => this.redis.hgetall(this.keys.key('counts')));
    const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as StateCounts;
    for (const [field, value] of Object.entries(raw)) {
      const at = field.indexOf('[');
      const state = field.slice(0, at) as JobState;
      const [queue, name, tenant] = JSON.parse(field.slice(at)) as [string, string, string | false];
      if (params.queue !== undefined && queue !== params.queue) continue;
      if (params.name !== undefined && name !== params.name) continue;
      if (params.tenant !== undefined && tenant !== params.tenant) continue;
      if (state in counts) counts[state] += Number(value);
    }
    return counts;
  }

  async metrics(params: MetricsParams): Promise<Metrics> {
    const [completed, failed, total, n] = await this.run<[number, number, string, number]>('metrics', [
      Math.floor(params.from),
      Math.floor(params.to),
      params.name ?? '',
      params.queue ?? '',
      params.tenant ?? '',
    ]);
    return { completed, failed, avgDurationMs: n === 0 ? null : Number(total) / n };
  }

  async attempts(params: { jobId: string }): Promise<AttemptRecord[]> {
    const id = params.jobId;
    // Finished attempts are in the list; the running one lives in the job hash until it ends.
    // Earlier attempts are in the list; the latest lives in the job hash while it runs, and stays
    // there as the final attempt once the job is finished (see lua/includes/lib.lua).
    const replies = await this.call(() =>
      this.redis.multi().lrange(this.keys.attempts(id), 0, -1).hmget(this.keys.job(id), ...LATEST_ATTEMPT_FIELDS).exec(),
    );
    const history = ((replies?.[0]?.[1] ?? []) as string[]).map((a) => toAttempt(id, a));
    const latest = latestAttempt(id, (replies?.[1]?.[1] ?? []) as (string | null)[]);
    if (latest) history.push(latest);
    return history;
  }

  async upsertSchedule(params: { schedule: ScheduleInput; now?: number }): Promise<ScheduleRecord> {
    const s = params.schedule;
    const reply = await this.run<string[]>('upsertSchedule', [
      nowArg(params.now),
      s.name,
      s.cron,
      s.timezone,
      s.job,
      JSON.stringify(s.payload ?? null),
      JSON.stringify(s.catchUp),
      s.tenant ?? '',
      s.enabled ? '1' : '0',
      s.source,
      dateArg(s.nextFireAt),
      s.lastFireAt === undefined ? '-' : dateArg(s.lastFireAt),
    ]);
    return toSchedule(pairs(reply));
  }

  async getSchedule(params: { name: string }): Promise<ScheduleRecord | null> {
    const h = await this.call(() => this.redis.hgetall(this.keys.schedule(params.name)));
    return h.name === undefined ? null : toSchedule(h);
  }

  async listSchedules(params: { source?: 'code' | 'dynamic' }): Promise<ScheduleRecord[]> {
    const names = (await this.call(() => this.redis.smembers(this.keys.key('schs')))).sort();
    const hashes = await this.call(() => Promise.all(names.map((n) => this.redis.hgetall(this.keys.schedule(n)))));
    return hashes
      .filter((h) => h.name !== undefined)
      .map(toSchedule)
      .filter((s) => params.source === undefined || s.source === params.source)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async removeSchedule(params: { name: string }): Promise<boolean> {
    const replies = await this.call(() =>
      this.redis.multi().del(this.keys.schedule(params.name)).srem(this.keys.key('schs'), params.name).exec(),
    );
    return Number(replies?.[0]?.[1] ?? 0) > 0;
  }

  async fireSchedule(params: FireScheduleParams): Promise<{ fired: boolean; jobs: InsertResult[] }> {
    const args: Arg[] = [
      nowArg(params.now),
      params.name,
      dateArg(params.expectedNextFireAt),
      dateArg(params.nextFireAt),
      dateArg(params.lastFireAt),
      params.jobs.length,
    ];
    for (const job of params.jobs) pushJobSlots(args, job);
    const [fired, ...results] = await this.run<[number, ...InsertReply[]]>('fireSchedule', args);
    if (fired !== 1) return { fired: false, jobs: [] };
    return { fired: true, jobs: results.map((r, i) => insertResult(params.jobs[i], r)) };
  }

  async pause(params: PauseRecord): Promise<void> {
    const record = { scope: params.scope, target: params.target, until: params.until ? params.until.getTime() : null, reason: params.reason ?? null };
    await this.run('pause', [pauseField(params.scope, params.target), JSON.stringify(record)]);
  }

  async resume(params: { scope: 'queue' | 'name'; target: string }): Promise<boolean> {
    return (await this.run<number>('resume', [params.scope, params.target])) === 1;
  }

  async listPauses(params: { now?: number }): Promise<PauseRecord[]> {
    const now = params.now ?? (await this.now());
    const raw = await this.call(() => this.redis.hgetall(this.keys.key('pauses')));
    const out: PauseRecord[] = [];
    for (const value of Object.values(raw)) {
      const p = JSON.parse(value) as { scope: PauseRecord['scope']; target: string; until: number | null; reason: string | null };
      if (p.until !== null && p.until <= now) continue;
      out.push({ scope: p.scope, target: p.target, until: p.until === null ? null : new Date(p.until), reason: p.reason ?? null });
    }
    return out.sort((a, b) => (a.scope + a.target < b.scope + b.target ? -1 : 1));
  }

  async subscribe(listener: (event: WakeEvent) => void): Promise<() => Promise<void>> {
    if (this.closed) throw new StoreUnavailableError('The Redis store is closed');
    return this.call(() => this.subscriber.add(listener));
  }

  async prune(params: PruneParams): Promise<{ jobs: number; attempts: number }> {
    const batch = Math.max(1, Math.floor(params.batchSize ?? DEFAULT_PRUNE_BATCH));
    // One `now` for every batch, so a long prune does not chase a moving cutoff.
    const now = params.now ?? (await this.now());
    let jobs = 0;
    let attempts = 0;
    for (;;) {
      const [j, a, more] = await this.run<[number, number, number]>('prune', [
        now,
        Math.floor(params.completedOlderThanMs),
        Math.floor(params.failedOlderThanMs),
        Math.floor(params.cancelledOlderThanMs),
        Math.floor(params.attemptsOlderThanMs),
        batch,
      ]);
      jobs += j;
      attempts += a;
      if (more !== 1) break;
    }
    return { jobs, attempts };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriber.stop();
    if (this.ownsClient) await quit(this.redis);
  }
}
