import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError, createMainspring, defineJob, JobNotFoundError, memoryStore, retryDelay, silentLogger, toMs,
} from '../src/index.js';
import { assertEnqueued, assertNotEnqueued, drain, performJob } from '../src/testing/index.js';

const email = defineJob({
  name: 'email.send',
  schema: z.object({ to: z.string().email(), template: z.string() }),
  unique: { key: (p) => `${p.template}:${p.to}`, window: '1h' },
  handler: async ({ to }, ctx) => {
    ctx.log(`sent to ${to}`);
    return { delivered: to };
  },
});

describe('durations', () => {
  it('parses numbers and unit strings, and rejects garbage with a clear message', () => {
    expect(toMs(250)).toBe(250);
    expect(toMs('500ms')).toBe(500);
    expect(toMs('2s')).toBe(2000);
    expect(toMs('5m')).toBe(300_000);
    expect(toMs('1h')).toBe(3_600_000);
    expect(toMs('1d')).toBe(86_400_000);
    expect(() => toMs('soon' as never)).toThrow(/Invalid duration: "soon"/);
    expect(() => toMs(-1)).toThrow(/Invalid duration/);
  });
});

describe('retry timing', () => {
  it('exponential doubles per attempt up to max; jitter never goes below half', () => {
    const backoff = { type: 'exponential', delay: '1s', max: '5s', jitter: false } as const;
    expect([1, 2, 3, 4, 5].map((a) => retryDelay(backoff, a, null))).toEqual([1000, 2000, 4000, 5000, 5000]);
    const jittered = { type: 'exponential', delay: 1000 } as const;
    expect(retryDelay(jittered, 1, null, () => 0)).toBe(500);
    expect(retryDelay(jittered, 1, null, () => 1)).toBe(1000);
    expect(retryDelay({ type: 'fixed', delay: '3s' }, 7, null)).toBe(3000);
    expect(retryDelay((attempt) => attempt * 10, 3, null)).toBe(30);
  });
});

describe('definitions and the facade', () => {
  it('rejects bad definitions with ConfigError', () => {
    expect(() => defineJob({ name: '' })).toThrow(ConfigError);
    expect(() => defineJob({ name: 'x', timeout: 'later' as never })).toThrow(/timeout/);
    expect(() => defineJob({ name: 'x', retry: { attempts: 0 } })).toThrow(/attempts/);
    expect(() => createMainspring({ store: memoryStore(), jobs: [email, email] })).toThrow(/registered twice/);
    expect(() => createMainspring({} as never)).toThrow(/store/);
  });

  it('dedups by key: a second enqueue returns the first job, also after completion within the window', async () => {
    const ms = createMainspring({ store: memoryStore(), jobs: [email], logger: silentLogger });
    const first = await ms.enqueue(email, { to: 'ada@example.com', template: 'welcome' });
    const second = await ms.enqueue(email, { to: 'ada@example.com', template: 'welcome' });
    expect(first.deduplicated).toBe(false);
    expect(second).toMatchObject({ id: first.id, deduplicated: true });
    const explicit = await ms.enqueue(email, { to: 'bob@example.com', template: 'welcome' }, { key: 'k1' });
    expect((await ms.enqueue(email, { to: 'eve@example.com', template: 'other' }, { key: 'k1' })).id).toBe(explicit.id);
    await drain(ms);
    const third = await ms.enqueue(email, { to: 'ada@example.com', template: 'welcome' });
    expect(third).toMatchObject({ id: first.id, deduplicated: true, state: 'completed' });
    await ms.close();
  });

  it('accepts the job name as a string and rejects unknown names', async () => {
    const ms = createMainspring({ store: memoryStore(), jobs: [email], logger: silentLogger });
    const r = await ms.enqueue('email.send', { to: 'ada@example.com', template: 't' });
    expect(r.job.name).toBe('email.send');
    await expect(ms.enqueue('nope', {})).rejects.toThrow(/Unknown job "nope"/);
    await ms.close();
  });

  it('delayed and run-at jobs wait; promote runs them now; cancel/retry/remove manage them', async () => {
    const ms = createMainspring({ store: memoryStore(), jobs: [email], logger: silentLogger });
    const later = await ms.enqueue(email, { to: 'a@example.com', template: 't' }, { delay: '1h' });
    const at = await ms.enqueue(email, { to: 'b@example.com', template: 't' }, { runAt: Date.now() + 3_600_000 });
    expect(later.job.runAt.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    expect((await drain(ms)).ran).toBe(0);
    await ms.promoteJob(later.id);
    expect((await drain(ms)).completed).toBe(1);
    expect((await ms.cancelJob(at.id)).state).toBe('cancelled');
    const retried = await ms.retryJob(at.id);
    expect(retried.state).toBe('pending');
    await ms.removeJob(at.id);
    expect(await ms.getJob(at.id)).toBeNull();
    await expect(ms.cancelJob('999999')).rejects.toBeInstanceOf(JobNotFoundError);
    await expect(ms.removeJob(at.id)).rejects.toBeInstanceOf(JobNotFoundError);
    await ms.close();
  });

  it('lists with filters and cursors, and counts by state', async () => {
    const ms = createMainspring({ store: memoryStore(), jobs: [email], logger: silentLogger });
    for (let i = 0; i < 7; i++) await ms.enqueue(email, { to: `u${i}@example.com`, template: 't' }, { tenant: i % 2 ? 'odd' : 'even' });
    const page1 = await ms.listJobs({ limit: 4 });
    const page2 = await ms.listJobs({ limit: 4, cursor: page1.nextCursor });
    expect(page1.jobs).toHaveLength(4);
    expect(page2.jobs).toHaveLength(3);
    expect(page2.nextCursor).toBeNull();
    expect(new Set([...page1.jobs, ...page2.jobs].map((j) => j.id)).size).toBe(7);
    expect((await ms.listJobs({ tenant: 'odd' })).jobs).toHaveLength(3);
    expect(await ms.countJobs()).toMatchObject({ pending: 7, active: 0, completed: 0 });
    await ms.close();
  });
});

describe('testing helpers', () => {
  it('drain runs due jobs inline; assertEnqueued checks what was enqueued', async () => {
    const ms = createMainspring({ store: memoryStore(), jobs: [email], logger: silentLogger });
    await ms.enqueue(email, { to: 'ada@example.com', template: 'welcome' });
    await assertEnqueued(ms, email, { payload: { to: 'ada@example.com' }, count: 1 });
    await assertNotEnqueued(ms, email, { payload: { to: 'bob@example.com' } });
    await expect(assertEnqueued(ms, email, { payload: { template: 'reset' } })).rejects.toThrow(/found 0/);
    const result = await drain(ms);
    expect(result).toMatchObject({ ran: 1, completed: 1, failed: 0 });
    await assertEnqueued(ms, email, { state: 'completed', count: 1 });
    await ms.close();
  });

  it('drain with runDelayed runs backing-off retries until they settle', async () => {
    let calls = 0;
    const flaky = defineJob({ name: 'flaky', retry: { attempts: 3, backoff: { type: 'fixed', delay: '1h' } }, handler: () => { if (++calls < 3) throw new Error('x'); } });
    const ms = createMainspring({ store: memoryStore(), jobs: [flaky], logger: silentLogger });
    await ms.enqueue(flaky, null);
    expect(await drain(ms)).toMatchObject({ ran: 1, retried: 1 });
    expect(await drain(ms, { runDelayed: true })).toMatchObject({ ran: 2, retried: 1, completed: 1 });
    await ms.close();
  });

  it('performJob runs a handler directly with a recording context', async () => {
    const { result, logs } = await performJob(email, { to: 'ada@example.com', template: 'welcome' });
    expect(result).toEqual({ delivered: 'ada@example.com' });
    expect(logs).toEqual(['sent to ada@example.com']);
    await expect(performJob(email, { to: 'bad', template: 'x' })).rejects.toThrow(/Invalid payload/);
  });
});

describe('warm-up, and a stop() while start() gets ready', () => {
  /** A memory store with a warm-up hook that records its calls; the work warm-up (or, with `gated: 'subscribe'`, the subscription) waits for `release`. */
  function warmingStore(gated: 'work' | 'subscribe' = 'work') {
    const store = memoryStore();
    const calls: string[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let claimed = 0;
    let claimedAtWarmUp = -1;
    let subscribed = 0;
    let rescues = 0;
    const rescueExpired = store.rescueExpired.bind(store);
    const claim = store.claim.bind(store);
    const subscribe = store.subscribe.bind(store);
    Object.assign(store, {
      rescueExpired: (params: Parameters<typeof store.rescueExpired>[0]) => {
        rescues++;
        return rescueExpired(params);
      },
      subscribe: async (listener: Parameters<typeof store.subscribe>[0]) => {
        if (gated === 'subscribe') await gate;
        const stop = await subscribe(listener);
        subscribed++;
        return async () => {
          subscribed--;
          await stop();
        };
      },
      warmUp: async ({ role }: { role: string }) => {
        calls.push(role);
        if (role === 'work') claimedAtWarmUp = claimed;
        if (role === 'work' && gated === 'work') await gate;
      },
      claim: async (params: Parameters<typeof store.claim>[0]) => {
        const jobs = await claim(params);
        claimed += jobs.length;
        return jobs;
      },
    });
    return { store, calls, release: () => release(), subscribed: () => subscribed, rescues: () => rescues, claimedAtWarmUp: () => claimedAtWarmUp };
  }

  it('ready() warms the enqueue path once; an enqueue without ready() does not wait for a warm-up', async () => {
    const w = warmingStore();
    const job = defineJob<{ n: number }>({ name: 'warmed', handler: async () => {} });
    const ms = createMainspring({ store: w.store, jobs: [job], logger: silentLogger });
    await ms.enqueue(job, { n: 1 });
    expect(w.calls).toEqual([]);
    await ms.ready();
    await ms.ready();
    expect(w.calls).toEqual(['enqueue']);
    await ms.close();
  });

  it('a worker warms up once it is idle, never while it has work, and start() does not wait for it', async () => {
    const w = warmingStore();
    let finish = () => {};
    const running = new Promise<void>((resolve) => (finish = resolve));
    const job = defineJob<{ n: number }>({ name: 'warmed', handler: () => running });
    const ms = createMainspring({ store: w.store, jobs: [job], logger: silentLogger });
    await ms.enqueue(job, { n: 1 });
    await ms.start({ concurrency: 2 }); // resolves although the warm-up never finishes
    // The first claim came back short, but a job is running: not idle.
    await new Promise((r) => setTimeout(r, 100));
    expect(w.claimedAtWarmUp()).toBe(-1);
    finish();
    // Idle once the job is settled and a claim finds nothing (at the latest the next poll, every second).
    for (let i = 0; i < 600 && !w.calls.includes('work'); i++) await new Promise((r) => setTimeout(r, 5));
    expect(w.calls).toEqual(['work']);
    expect(w.claimedAtWarmUp()).toBe(1);
    expect((await ms.countJobs()).completed).toBe(1);
    await ms.stop();
    w.release();
    await ms.close();
  });

  it('a stop() while the wake-up subscription connects ends it and starts no background task', async () => {
    const w = warmingStore('subscribe');
    const job = defineJob<{ n: number }>({ name: 'warmed', handler: async () => {} });
    const ms = createMainspring({ store: w.store, jobs: [job], logger: silentLogger });
    const starting = ms.start({ concurrency: 1 });
    await new Promise((r) => setTimeout(r, 20));
    await ms.stop();
    w.release();
    await starting;
    await new Promise((r) => setTimeout(r, 50));
    expect(w.subscribed()).toBe(0);
    expect(w.rescues()).toBe(0);
    await ms.close();
  });
});
