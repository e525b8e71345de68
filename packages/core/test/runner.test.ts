import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createMainspring, defineJob, JobAbortedError, memoryStore, NonRetryableError, StoreUnavailableError, TimeoutError,
  ValidationError, silentLogger, type Mainspring,
} from '../src/index.js';
import { flaky, waitFor } from './helpers.js';

const open: Mainspring[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((ms) => ms.close({ timeout: 0 })));
});
function make(...args: Parameters<typeof createMainspring>) {
  const ms = createMainspring({ logger: silentLogger, ...args[0] });
  open.push(ms);
  return ms;
}

describe('runner', () => {
  it('runs a job, records its result, logs and attempt, and emits started/completed', async () => {
    const job = defineJob({
      name: 'greet',
      schema: z.object({ who: z.string() }),
      async handler({ who }, ctx) {
        ctx.log(`hello ${who}`);
        await ctx.progress(50);
        return { greeted: who };
      },
    });
    const ms = make({ store: memoryStore(), jobs: [job] });
    const events: string[] = [];
    ms.on('job:started', () => events.push('started')).on('job:completed', () => events.push('completed'));
    await ms.start({ concurrency: 2 });
    const { id } = await ms.enqueue(job, { who: 'ada' });
    const done = await waitFor(async () => ((await ms.getJob(id))?.state === 'completed' ? ms.getJob(id) : null));
    expect(done!.result).toEqual({ greeted: 'ada' });
    expect(done!.attempts).toBe(1);
    expect(done!.finishedAt).toBeInstanceOf(Date);
    expect(events).toEqual(['started', 'completed']);
    const attempts = await ms.getJobAttempts(id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.outcome).toBe('completed');
    expect(attempts[0]!.logs.map((l) => l.message)).toEqual(['hello ada']);
  });

  it('runs handlers that are not async, many buffered at once, each once and in order, without deep recursion', async () => {
    const seen: number[] = [];
    const job = defineJob<{ i: number }, number>({
      name: 'sync',
      // Not async: returns (or throws) before the runner's call returns.
      handler: ({ i }) => {
        seen.push(i);
        if (i % 100 === 99) throw new NonRetryableError(`no ${i}`);
        return i * 2;
      },
    });
    const ms = make({ store: memoryStore(), jobs: [job] });
    await ms.enqueueMany(job, Array.from({ length: 3_000 }, (_, i) => ({ payload: { i } })));
    await ms.start({ concurrency: 1, prefetch: 2_999 });
    await waitFor(async () => {
      const c = await ms.countJobs();
      return c.completed + c.failed === 3_000 ? c : null;
    }, 20_000);
    expect(seen).toEqual(Array.from({ length: 3_000 }, (_, i) => i));
    expect(await ms.countJobs()).toMatchObject({ completed: 2_970, failed: 30, pending: 0, active: 0 });
    const [last] = (await ms.listJobs({ state: 'completed', limit: 1 })).jobs;
    expect(last!.result).toBe(last!.payload && (last!.payload as { i: number }).i * 2);
  });

  it('retries with backoff, then succeeds; every attempt is in the history with its error and stack', async () => {
    let calls = 0;
    const job = defineJob({
      name: 'flaky',
      retry: { attempts: 3, backoff: { type: 'fixed', delay: 20 } },
      handler: async () => {
        calls++;
        if (calls < 3) throw new Error(`boom ${calls}`);
        return 'ok';
      },
    });
    const ms = make({ store: memoryStore(), jobs: [job] });
    const retrying: { attempt: number; delayMs: number }[] = [];
    ms.on('job:retrying', ({ attempt, delayMs }) => retrying.push({ attempt, delayMs }));
    await ms.start({ pollInterval: 10 });
    const { id } = await ms.enqueue(job, null);
    await waitFor(async () => (await ms.getJob(id))?.state === 'completed');
    expect(retrying).toEqual([{ attempt: 1, delayMs: 20 }, { attempt: 2, delayMs: 20 }]);
    const attempts = await ms.getJobAttempts(id);
    expect(attempts.map((a) => a.outcome)).toEqual(['failed', 'failed', 'completed']);
    expect(attempts[0]!.error?.message).toBe('boom 1');
    expect(attempts[0]!.error?.stack).toContain('boom 1');
    // backoff: the second attempt started no earlier than the first failure plus the delay
    expect(attempts[1]!.startedAt.getTime()).toBeGreaterThanOrEqual(attempts[0]!.finishedAt!.getTime() + 20);
  });

  it('fails for good when attempts are used up, and at once on NonRetryableError', async () => {
    const always = defineJob({ name: 'always', retry: { attempts: 2, backoff: { type: 'fixed', delay: 1 } }, handler: () => { throw new Error('nope'); } });
    const fatal = defineJob({ name: 'fatal', retry: 5, handler: () => { throw new NonRetryableError('account closed'); } });
    const ms = make({ store: memoryStore(), jobs: [always, fatal] });
    const failed: string[] = [];
    ms.on('job:failed', ({ job, error }) => failed.push(`${job.name}:${error.message}`));
    await ms.start({ pollInterval: 10 });
    const a = await ms.enqueue(always, null);
    const f = await ms.enqueue(fatal, null);
    await waitFor(() => failed.length === 2);
    expect((await ms.getJob(a.id))).toMatchObject({ state: 'failed', attempts: 2, error: 'nope' });
    expect((await ms.getJob(f.id))).toMatchObject({ state: 'failed', attempts: 1, error: 'account closed' });
    expect(failed.sort()).toEqual(['always:nope', 'fatal:account closed']);
  });

  it('aborts the handler signal on timeout and fails the attempt with a retryable TimeoutError', async () => {
    const seen: unknown[] = [];
    const job = defineJob({
      name: 'slow',
      timeout: '50ms',
      retry: { attempts: 2, backoff: { type: 'fixed', delay: 1 } },
      handler: (_p, ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener('abort', () => {
            seen.push(ctx.signal.reason);
            reject(ctx.signal.reason);
          });
        }),
    });
    const ms = make({ store: memoryStore(), jobs: [job] });
    const errors: Error[] = [];
    ms.on('job:retrying', ({ error }) => errors.push(error)).on('job:failed', ({ error }) => errors.push(error));
    await ms.start({ pollInterval: 10 });
    const { id } = await ms.enqueue(job, null);
    await waitFor(async () => (await ms.getJob(id))?.state === 'failed');
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBeInstanceOf(TimeoutError);
    expect(errors.map((e) => e.name)).toEqual(['TimeoutError', 'TimeoutError']);
    expect((await ms.getJob(id))!.attempts).toBe(2);
  });

  it('a handler that ignores its signal still times out', async () => {
    const job = defineJob({ name: 'deaf', timeout: 30, retry: 1, handler: () => new Promise(() => {}) });
    const ms = make({ store: memoryStore(), jobs: [job] });
    await ms.start();
    const { id } = await ms.enqueue(job, null);
    await waitFor(async () => (await ms.getJob(id))?.state === 'failed');
    expect((await ms.getJob(id))!.error).toMatch(/timed out after 30ms/);
  });

  it('aborts a handler whose lease was lost and does not settle it', async () => {
    const store = memoryStore();
    let reason: unknown;
    const job = defineJob({
      name: 'held',
      handler: (_p, ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => { reason = ctx.signal.reason; resolve('late'); })),
    });
    const ms = make({ store, jobs: [job] });
    await ms.start({ leaseTime: '1s' });
    const { id } = await ms.enqueue(job, null);
    await waitFor(async () => (await ms.getJob(id))?.state === 'active');
    // Another worker's rescue sees the lease as expired (time passed in, no sleeping for 1s leases).
    const { rescued } = await store.rescueExpired({ now: (await store.now()) + 60_000 });
    expect(rescued.map((j) => j.id)).toEqual([id]);
    await waitFor(() => reason !== undefined);
    expect(reason).toBeInstanceOf(JobAbortedError);
    expect((reason as JobAbortedError).cause).toBe('lease-lost');
    const attempts = await ms.getJobAttempts(id);
    expect(attempts[0]!.outcome).toBe('stalled');
  });

  it('cancelling a running job aborts its signal', async () => {
    let reason: unknown;
    const job = defineJob({
      name: 'cancellable',
      handler: (_p, ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => { reason = ctx.signal.reason; resolve(null); })),
    });
    const ms = make({ store: memoryStore(), jobs: [job] });
    await ms.start();
    const { id } = await ms.enqueue(job, null);
    await waitFor(async () => (await ms.getJob(id))?.state === 'active');
    expect((await ms.cancelJob(id)).state).toBe('cancelled');
    await waitFor(() => reason);
    expect((reason as JobAbortedError).cause).toBe('cancelled');
    expect((await ms.getJob(id))!.state).toBe('cancelled');
  });

  it('stop() lets short jobs finish, aborts the rest after the timeout and hands their leases back', async () => {
    let aborted: unknown;
    const quick = defineJob({ name: 'quick', handler: () => new Promise((r) => setTimeout(() => r('done'), 30)) });
    const stuck = defineJob({
      name: 'stuck',
      handler: (_p, ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => { aborted = ctx.signal.reason; reject(ctx.signal.reason); })),
    });
    const ms = make({ store: memoryStore(), jobs: [quick, stuck] });
    await ms.start({ concurrency: 2 });
    const q = await ms.enqueue(quick, null);
    const s = await ms.enqueue(stuck, null);
    await waitFor(async () => (await ms.countJobs()).active === 2);
    await ms.stop({ timeout: '300ms' });
    expect((await ms.getJob(q.id))!.state).toBe('completed');
    expect((aborted as JobAbortedError).cause).toBe('shutdown');
    const back = (await ms.getJob(s.id))!;
    expect(back.state).toBe('pending');
    expect(back.attempts).toBe(0);
    expect(back.runAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await ms.getJobAttempts(s.id)).map((a) => a.outcome)).toEqual(['released']);
    expect(ms.isRunning).toBe(false);
  });

  it('a stored payload that no longer fits the schema fails that job with the validation error; the worker carries on', async () => {
    const store = memoryStore();
    const job = defineJob({ name: 'typed', schema: z.object({ n: z.number() }), retry: 3, handler: ({ n }) => n * 2 });
    const ms = make({ store, jobs: [job] });
    // Written by an older version of the app: bypasses enqueue validation.
    const [bad] = await store.insert({ jobs: [{ name: 'typed', queue: 'default', payload: { n: 'two' }, priority: 0, maxAttempts: 3 }] });
    const good = await ms.enqueue(job, { n: 2 });
    await ms.start();
    await waitFor(async () => (await ms.getJob(good.id))?.state === 'completed');
    await waitFor(async () => (await ms.getJob(bad!.job.id))?.state === 'failed');
    const failed = (await ms.getJob(bad!.job.id))!;
    expect(failed.attempts).toBe(1); // not retried: the payload will not change
    expect(failed.error).toMatch(/Invalid payload for job "typed": n:/);
    expect((await ms.getJob(good.id))!.result).toBe(4);
  });

  it('survives a store outage: reports errors, backs off, and resumes when the store is back', async () => {
    const store = flaky(memoryStore());
    const job = defineJob({ name: 'resilient', handler: () => 'ok' });
    const ms = make({ store, jobs: [job] });
    const errors: Error[] = [];
    ms.on('error', (e) => errors.push(e));
    await ms.start({ pollInterval: 20 });
    store.down = true;
    await expect(ms.enqueue(job, null)).rejects.toBeInstanceOf(StoreUnavailableError);
    await waitFor(() => errors.length >= 2);
    expect(errors[0]).toBeInstanceOf(StoreUnavailableError);
    store.down = false;
    const { id } = await ms.enqueue(job, null);
    await waitFor(async () => (await ms.getJob(id))?.state === 'completed', 15_000);
    expect(ms.isRunning).toBe(true);
  });

  it('claims in batches and settles in batches, not one store call per job', async () => {
    const store = flaky(memoryStore());
    const job = defineJob({ name: 'many', handler: () => null });
    const ms = make({ store, jobs: [job] });
    await ms.enqueueMany(job, Array.from({ length: 200 }, (_, i) => ({ payload: i })));
    expect(store.calls.insert).toBe(1);
    await ms.start({ concurrency: 50 });
    await waitFor(async () => (await ms.countJobs()).completed === 200);
    expect(store.calls.claim!).toBeLessThan(50);
    expect(store.calls.complete!).toBeLessThan(50);
  });

  it('stops claiming once the store runs dry, until a wake-up or the next poll', async () => {
    // Claims take a moment, as over a network, so the two claim loops overlap.
    const memory = memoryStore();
    const claim = memory.claim.bind(memory);
    memory.claim = async (params) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return claim(params);
    };
    const store = flaky(memory);
    const job = defineJob({ name: 'dry', handler: () => new Promise((resolve) => setTimeout(resolve, 5)) });
    const ms = make({ store, jobs: [job] });
    await ms.enqueueMany(job, Array.from({ length: 1_000 }, (_, i) => ({ payload: i })));
    // Two claim loops (concurrency plus prefetch of 8 or more), the benchmark's shape.
    await ms.start({ concurrency: 50, prefetch: 450, pollInterval: 60_000 });
    await waitFor(async () => (await ms.countJobs()).completed === 1_000);
    // Batches of 125 to 500, and one claim that finds the store empty: no claim per finished handler.
    expect(store.calls.claim!).toBeLessThanOrEqual(10);
    const afterDrain = store.calls.claim!;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(store.calls.claim!).toBe(afterDrain);

    // One new job from another process wakes both loops; one claim finds it, and the other loop
    // does not go looking too.
    const producer = make({ store, jobs: [job] });
    const { id } = await producer.enqueue(job, 1);
    await waitFor(async () => (await ms.getJob(id))?.state === 'completed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.calls.claim! - afterDrain).toBe(1);
  });

  it('runs higher priority first', async () => {
    const order: number[] = [];
    const job = defineJob({ name: 'prio', handler: (p: number) => void order.push(p) });
    const ms = make({ store: memoryStore(), jobs: [job] });
    await ms.enqueue(job, 1, { priority: 1 });
    await ms.enqueue(job, 10, { priority: 10 });
    await ms.enqueue(job, 0);
    await ms.start({ concurrency: 1 });
    await waitFor(() => order.length === 3);
    expect(order).toEqual([10, 1, 0]);
  });

  it('only claims job types it has handlers for', async () => {
    const store = memoryStore();
    const produced = defineJob<{ x: number }>({ name: 'elsewhere' });
    const local = defineJob({ name: 'here', handler: () => 'ok' });
    const ms = make({ store, jobs: [produced, local] });
    const a = await ms.enqueue(produced, { x: 1 });
    const b = await ms.enqueue(local, null);
    await ms.start();
    await waitFor(async () => (await ms.getJob(b.id))?.state === 'completed');
    expect((await ms.getJob(a.id))!.state).toBe('pending');
  });

  it('handlers can enqueue follow-up jobs through ctx', async () => {
    const child = defineJob({ name: 'child', handler: (n: number) => n + 1 });
    const parent = defineJob({ name: 'parent', handler: async (_p, ctx) => (await ctx.enqueue(child, 41)).id });
    const ms = make({ store: memoryStore(), jobs: [parent, child] });
    await ms.start();
    const { id } = await ms.enqueue(parent, null);
    const childId = (await waitFor(async () => (await ms.getJob(id))?.result)) as string;
    await waitFor(async () => (await ms.getJob(childId))?.state === 'completed');
    expect((await ms.getJob(childId))!.result).toBe(42);
  });

  it('a validation failure at enqueue is a ValidationError and nothing is stored', async () => {
    const job = defineJob({ name: 'strict', schema: z.object({ to: z.string().email() }), handler: () => null });
    const ms = make({ store: memoryStore(), jobs: [job] });
    const error = await ms.enqueue(job, { to: 'not-an-email' }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues[0].path).toEqual(['to']);
    expect(error.message).toContain('to:');
    await expect(ms.enqueueMany(job, [{ payload: { to: 'a@b.co' } }, { payload: { to: 'x' } }])).rejects.toThrow(/item 1/);
    expect((await ms.countJobs()).pending).toBe(0);
  });
});
