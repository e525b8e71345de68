import { describe, expect, it } from 'vitest';
import type { NewJob } from '../src/store/contract.js';
import { memoryStore } from '../src/store/memory.js';

const job = (overrides: Partial<NewJob> = {}): NewJob => ({
  name: 'mem-job',
  queue: 'default',
  payload: { list: [1, 2], nested: { a: 'b' } },
  priority: 0,
  maxAttempts: 3,
  ...overrides,
});

describe('memoryStore: what only the memory store promises', () => {
  it('names itself and states its capabilities', () => {
    const store = memoryStore();
    expect(store.name).toBe('memory');
    expect(store.capabilities).toEqual({ transactions: false, push: true });
  });

  it('hands out copies: mutating a returned record never changes the store', async () => {
    const store = memoryStore();
    const input = job({ meta: { tag: 'x' } });
    const [{ job: inserted }] = await store.insert({ jobs: [input], now: 1_000 });
    (input.payload as { list: number[] }).list.push(99);
    (inserted.payload as { list: number[] }).list.push(3);
    (inserted.meta as { tag: string }).tag = 'changed';
    inserted.runAt.setTime(0);
    inserted.state = 'completed';

    const stored = await store.get({ id: inserted.id });
    expect(stored?.payload).toEqual({ list: [1, 2], nested: { a: 'b' } });
    expect(stored?.meta).toEqual({ tag: 'x' });
    expect(stored?.runAt.getTime()).toBe(1_000);
    expect(stored?.state).toBe('pending');

    const [claimed] = await store.claim({ workerId: 'w', names: ['mem-job'], limit: 1, leaseMs: 1_000, now: 1_000 });
    claimed.attempts = 10;
    claimed.lockedUntil?.setTime(0);
    await store.complete({
      workerId: 'w',
      items: [{ id: claimed.id, attempt: 1, result: { ok: true }, logs: [{ at: new Date(1_050), message: 'hi' }] }],
      now: 1_100,
    });
    const done = await store.get({ id: claimed.id });
    expect(done?.attempts).toBe(1);
    (done?.result as { ok: boolean }).ok = false;
    expect((await store.get({ id: claimed.id }))?.result).toEqual({ ok: true });

    const [attempt] = await store.attempts({ jobId: claimed.id });
    attempt.logs.push({ at: new Date(0), message: 'injected' });
    attempt.outcome = 'failed';
    const again = await store.attempts({ jobId: claimed.id });
    expect(again[0].outcome).toBe('completed');
    expect(again[0].logs.map((l) => l.message)).toEqual(['hi']);

    const listed = await store.list({});
    listed.jobs[0].name = 'renamed';
    expect((await store.get({ id: claimed.id }))?.name).toBe('mem-job');
  });

  it('copies schedules and pauses too', async () => {
    const store = memoryStore();
    const schedule = await store.upsertSchedule({
      schedule: {
        name: 's',
        cron: '* * * * *',
        timezone: 'UTC',
        job: 'mem-job',
        payload: { a: 1 },
        catchUp: { max: 2, withinMs: 1_000 },
        tenant: null,
        enabled: true,
        source: 'dynamic',
        nextFireAt: new Date(60_000),
      },
      now: 0,
    });
    (schedule.payload as { a: number }).a = 2;
    schedule.nextFireAt?.setTime(0);
    const stored = await store.getSchedule({ name: 's' });
    expect(stored?.payload).toEqual({ a: 1 });
    expect(stored?.nextFireAt?.getTime()).toBe(60_000);

    const until = new Date(10_000);
    await store.pause({ scope: 'queue', target: 'q', until, reason: null });
    until.setTime(0);
    const [pause] = await store.listPauses({ now: 5_000 });
    expect(pause.until?.getTime()).toBe(10_000);
  });

  it('stores payloads as JSON, as the server stores do', async () => {
    const store = memoryStore();
    const when = new Date(5_000);
    const [{ job: inserted }] = await store.insert({ jobs: [job({ payload: { when, skip: undefined } })], now: 0 });
    expect(inserted.payload).toEqual({ when: when.toISOString() });
    const [{ job: bare }] = await store.insert({ jobs: [job({ payload: undefined })], now: 0 });
    expect(bare.payload).toBeNull();
  });

  it('reads time from the clock option wherever `now` is omitted', async () => {
    let clock = 1_000_000;
    const store = memoryStore({ clock: () => clock });
    expect(await store.now()).toBe(1_000_000);

    const [{ job: delayed }] = await store.insert({ jobs: [job({ delayMs: 5_000 })] });
    expect(delayed.createdAt.getTime()).toBe(1_000_000);
    expect(delayed.runAt.getTime()).toBe(1_005_000);
    expect(await store.claim({ workerId: 'w', names: ['mem-job'], limit: 1, leaseMs: 1_000 })).toEqual([]);

    clock += 5_000;
    const [claimed] = await store.claim({ workerId: 'w', names: ['mem-job'], limit: 1, leaseMs: 1_000 });
    expect(claimed.lockedUntil?.getTime()).toBe(1_006_000);
    expect((await store.rescueExpired({})).rescued).toEqual([]);

    clock += 2_000;
    const { rescued } = await store.rescueExpired({});
    expect(rescued.map((j) => j.id)).toEqual([claimed.id]);
    expect(rescued[0].runAt.getTime()).toBe(1_007_000);
  });

  it('defaults to the wall clock', async () => {
    const store = memoryStore();
    const before = Date.now();
    const now = await store.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('keeps working when a listener throws, and calls listeners after the operation returns', async () => {
    const store = memoryStore();
    const heard: string[] = [];
    await store.subscribe(() => {
      throw new Error('listener bug');
    });
    await store.subscribe((e) => heard.push(`${e.queue}/${e.name}`));
    const pending = store.insert({ jobs: [job(), job()], now: 0 });
    expect(heard).toEqual([]);
    await pending;
    await Promise.resolve();
    // Two jobs of one (queue, name) make one wake-up.
    expect(heard).toEqual(['default/mem-job']);
  });

  it('does not wake listeners for jobs that are not runnable yet', async () => {
    const store = memoryStore();
    const heard: string[] = [];
    await store.subscribe((e) => heard.push(e.name));
    await store.insert({ jobs: [job({ delayMs: 60_000 })], now: 0 });
    await Promise.resolve();
    await Promise.resolve();
    expect(heard).toEqual([]);
  });

  it('close() drops listeners and can be called twice', async () => {
    const store = memoryStore();
    const heard: string[] = [];
    await store.subscribe((e) => heard.push(e.name));
    await store.close();
    await store.close();
    await store.insert({ jobs: [job()], now: 0 });
    await Promise.resolve();
    expect(heard).toEqual([]);
  });

  it('does not claim a job for a caller whose `now` is earlier than its run time, even after a later caller saw it due', async () => {
    const store = memoryStore();
    const [{ job: later }] = await store.insert({ jobs: [job({ runAt: new Date(100) })], now: 0 });
    // A claim for another name at 200 moves the job into the ready queue.
    expect(await store.claim({ workerId: 'w', names: ['other'], limit: 5, leaseMs: 1_000, now: 200 })).toEqual([]);
    expect(await store.claim({ workerId: 'w', names: ['mem-job'], limit: 5, leaseMs: 1_000, now: 50 })).toEqual([]);
    const [claimed] = await store.claim({ workerId: 'w', names: ['mem-job'], limit: 5, leaseMs: 1_000, now: 100 });
    expect(claimed.id).toBe(later.id);
  });

  it('always claims the first due jobs in claim order (randomized against a plain sort)', async () => {
    // A small seeded generator keeps the run reproducible.
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      // High bits: the low bits of this generator repeat with a short period.
      return Math.floor((seed / 2_147_483_648) * n);
    };
    const store = memoryStore();
    const pending = new Map<string, { id: number; priority: number; runAt: number }>();
    let now = 0;
    let total = 0;
    for (let round = 0; round < 200; round++) {
      const inserts = Array.from({ length: rand(6) }, () => job({ priority: rand(4), runAt: new Date(now + rand(50)) }));
      for (const r of await store.insert({ jobs: inserts, now })) {
        pending.set(r.job.id, { id: Number(r.job.id), priority: r.job.priority, runAt: r.job.runAt.getTime() });
      }
      now += rand(20);
      const limit = 1 + rand(4);
      const expected = [...pending.values()]
        .filter((j) => j.runAt <= now)
        .sort((a, b) => b.priority - a.priority || a.runAt - b.runAt || a.id - b.id)
        .slice(0, limit)
        .map((j) => String(j.id));
      const claimed = await store.claim({ workerId: 'w', names: ['mem-job'], limit, leaseMs: 1_000_000, now });
      expect(claimed.map((j) => j.id)).toEqual(expected);
      for (const id of expected) pending.delete(id);
      total += claimed.length;
      // Send some back: a retry with a delay, a release, a cancel.
      for (const c of claimed) {
        const pick = rand(3);
        if (pick === 0) {
          await store.fail({ workerId: 'w', items: [{ id: c.id, attempt: c.attempts, error: { name: 'E', message: 'e' }, retryDelayMs: rand(30) }], now });
          const back = (await store.get({ id: c.id }))!;
          pending.set(c.id, { id: Number(c.id), priority: back.priority, runAt: back.runAt.getTime() });
        } else if (pick === 1) {
          await store.release({ workerId: 'w', ids: [c.id], now });
          pending.set(c.id, { id: Number(c.id), priority: c.priority, runAt: now });
        } else {
          await store.cancel({ id: c.id, now });
        }
      }
    }
    expect(total).toBeGreaterThan(200);
  });

  it('rejects a cursor it did not make', async () => {
    const store = memoryStore();
    await expect(store.list({ cursor: 'not-a-cursor' })).rejects.toThrow(/cursor/);
  });
});
