import { afterEach, describe, expect, it } from 'vitest';
import { createMainspring, defineJob, memoryStore, silentLogger, type Mainspring } from '../src/index.js';
import { drain } from '../src/testing/index.js';
import { waitFor } from './helpers.js';

const open: Mainspring[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((ms) => ms.close({ timeout: 0 })));
});
function make(options: Parameters<typeof createMainspring>[0]) {
  const ms = createMainspring({ logger: silentLogger, ...options });
  open.push(ms);
  return ms;
}

describe('flow control', () => {
  it('batch jobs: the handler gets up to `size` payloads and each item succeeds or fails on its own', async () => {
    const batches: number[][] = [];
    const remind = defineJob({
      name: 'remind',
      batch: { size: 50, wait: '20ms' },
      retry: { attempts: 2, backoff: { type: 'fixed', delay: '1h' } },
      handler: async (payloads: number[], ctx) => {
        batches.push(payloads);
        ctx.log(`batch of ${payloads.length}`);
        return payloads.map((n) => (n % 10 === 0 ? new Error(`bad ${n}`) : n * 2));
      },
    });
    const ms = make({ store: memoryStore(), jobs: [remind] });
    await ms.enqueueMany(remind, Array.from({ length: 120 }, (_, i) => ({ payload: i + 1 })));
    await ms.start({ concurrency: 2 });
    await waitFor(async () => {
      const c = await ms.countJobs();
      return c.completed === 108 && c.pending === 12;
    });
    expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(Math.max(...batches.map((b) => b.length))).toBe(50);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    const failed = (await ms.listJobs({ state: 'pending' })).jobs;
    expect(failed.every((j) => j.error === `bad ${j.payload}` && j.attempts === 1)).toBe(true);
    const done = (await ms.listJobs({ state: 'completed', limit: 1 })).jobs[0]!;
    expect(done.result).toBe((done.payload as number) * 2);
    expect((await ms.getJobAttempts(done.id))[0]!.logs[0]!.message).toMatch(/^batch of \d+$/);
  });

  it('a thrown batch error fails every item of that batch', async () => {
    const all = defineJob({ name: 'all-or-nothing', batch: { size: 10 }, retry: 1, handler: async () => { throw new Error('provider down'); } });
    const ms = make({ store: memoryStore(), jobs: [all] });
    await ms.enqueueMany(all, Array.from({ length: 5 }, (_, i) => ({ payload: i })));
    const result = await drain(ms);
    expect(result).toMatchObject({ ran: 5, failed: 5 });
    expect((await ms.listJobs({ state: 'failed' })).jobs.every((j) => j.error === 'provider down')).toBe(true);
  });

  it("a batch handler's signal aborts once every job in the batch is cancelled, not before", async () => {
    let signal: AbortSignal | null = null;
    const held = defineJob({
      name: 'held.batch',
      batch: { size: 3, wait: '200ms' },
      handler: (_payloads: number[], ctx) =>
        new Promise<void>((resolve) => {
          signal = ctx.signal;
          ctx.signal.addEventListener('abort', () => resolve());
        }),
    });
    const ms = make({ store: memoryStore(), jobs: [held] });
    const jobs = await ms.enqueueMany(held, [1, 2, 3].map((payload) => ({ payload })));
    await ms.start({ concurrency: 1 });
    await waitFor(() => signal !== null);
    await ms.cancelJob(jobs[0]!.id);
    await ms.cancelJob(jobs[1]!.id);
    await new Promise((r) => setTimeout(r, 30));
    expect(signal!.aborted).toBe(false);
    await ms.cancelJob(jobs[2]!.id);
    expect(signal!.aborted).toBe(true);
    expect((signal!.reason as Error).message).toMatch(/cancelled/);
    const c = await ms.countJobs();
    expect(c).toMatchObject({ cancelled: 3, active: 0, completed: 0 });
  });

  it('circuit breaker opens after N failures within the window, pauses the type, and closes after a successful probe', async () => {
    let healthy = false;
    const call = defineJob({
      name: 'partner.call',
      retry: 1,
      circuitBreaker: { failures: 3, within: '1m', cooldown: '300ms' },
      handler: () => {
        if (!healthy) throw new Error('partner 503');
        return 'ok';
      },
    });
    const ms = make({ store: memoryStore(), jobs: [call] });
    const events: string[] = [];
    ms.on('breaker:open', ({ name }) => events.push(`open:${name}`)).on('breaker:close', ({ name }) => events.push(`close:${name}`));
    await ms.start({ concurrency: 1, pollInterval: 20 });
    await ms.enqueueMany(call, Array.from({ length: 3 }, (_, i) => ({ payload: i })));
    await waitFor(() => events.includes('open:partner.call'));
    const status = await ms.flowStatus();
    expect(status.breakers['partner.call']!.state).toBe('open');
    expect(status.pauses).toEqual([expect.objectContaining({ scope: 'name', target: 'partner.call', reason: 'circuit-breaker' })]);
    // While open, new jobs of the type wait.
    const waiting = await ms.enqueue(call, 99);
    await new Promise((r) => setTimeout(r, 100));
    expect((await ms.getJob(waiting.id))!.state).toBe('pending');
    healthy = true;
    await waitFor(() => events.includes('close:partner.call'), 10_000);
    await waitFor(async () => (await ms.getJob(waiting.id))!.state === 'completed');
    expect((await ms.flowStatus()).breakers['partner.call']!.state).toBe('closed');
    expect(events).toEqual(['open:partner.call', 'close:partner.call']);
  });

  it('paused queues hold jobs for every process sharing the store, and keep accepting them', async () => {
    const store = memoryStore();
    const job = defineJob({ name: 'q-job', queue: 'mail', handler: () => 'ok' });
    const admin = make({ store, jobs: [job] });
    const worker = make({ store, jobs: [job] });
    await admin.pauseQueue('mail');
    await worker.start({ pollInterval: 20 });
    const { id } = await admin.enqueue(job, null);
    await new Promise((r) => setTimeout(r, 100));
    expect((await worker.getJob(id))!.state).toBe('pending');
    await admin.resumeQueue('mail');
    await waitFor(async () => (await worker.getJob(id))!.state === 'completed');
  });

  it('group concurrency keeps one flooding tenant from starving another', async () => {
    const started: string[] = [];
    const release: (() => void)[] = [];
    const work = defineJob({
      name: 'tenant.work',
      group: { concurrency: 2 },
      handler: (_p, ctx) => new Promise<void>((resolve) => { started.push(ctx.job.tenant!); release.push(resolve); }),
    });
    const ms = make({ store: memoryStore(), jobs: [work] });
    await ms.enqueueMany(work, Array.from({ length: 200 }, () => ({ payload: null, options: { tenant: 'flood' } })));
    await ms.enqueueMany(work, Array.from({ length: 2 }, () => ({ payload: null, options: { tenant: 'quiet' } })));
    await ms.start({ concurrency: 10 });
    await waitFor(() => started.length >= 4);
    // The first claim cycle already started the quiet tenant's jobs.
    expect(started.filter((t) => t === 'quiet')).toHaveLength(2);
    expect(started.filter((t) => t === 'flood')).toHaveLength(2);
    for (const r of release) r();
  });

  it('rate limits cap starts per window across processes', async () => {
    const store = memoryStore();
    const send = defineJob({ name: 'limited', rateLimit: { max: 5, per: '1h' }, handler: () => 'ok' });
    const a = make({ store, jobs: [send] });
    const b = make({ store, jobs: [send] });
    await a.enqueueMany(send, Array.from({ length: 20 }, (_, i) => ({ payload: i })));
    await Promise.all([a.start({ concurrency: 10, pollInterval: 20 }), b.start({ concurrency: 10, pollInterval: 20 })]);
    await waitFor(async () => (await a.countJobs()).completed === 5);
    await new Promise((r) => setTimeout(r, 150));
    expect(await a.countJobs()).toMatchObject({ completed: 5, pending: 15 });
  });
});
