import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { WakeEvent } from '@mainspring/core';
import { pgStore } from '@mainspring/adapter-pg';

const dir = mkdtempSync(join(tmpdir(), 'mainspring-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('keeps jobs on disk across a reopen, and wakes subscribers in the same process', async () => {
  const first = pgStore.embedded(dir);
  expect(first.name).toBe('pglite');
  expect(first.capabilities).toEqual({ transactions: true, push: true, singleConnection: true });
  let woke!: (e: WakeEvent) => void;
  const wake = new Promise<WakeEvent>((r) => (woke = r));
  const stop = await first.subscribe((e) => woke(e));
  const [{ job }] = await first.insert({ jobs: [{ name: 'disk', queue: 'q', payload: { a: 1 }, priority: 0, maxAttempts: 1, key: 'k' }] });
  expect(await wake).toEqual({ queue: 'q', name: 'disk' });
  await stop();
  await first.close();

  const second = pgStore.embedded(dir);
  try {
    expect((await second.get({ id: job.id }))?.payload).toEqual({ a: 1 });
    const [again] = await second.insert({ jobs: [{ name: 'disk', queue: 'q', payload: null, priority: 0, maxAttempts: 1, key: 'k' }] });
    expect(again).toMatchObject({ deduplicated: true, job: { id: job.id } });
  } finally {
    await second.close();
  }
});
