import { vitest } from './vitest.js';
import type { Store, WakeEvent } from '../../store/contract.js';
import { claim, insertJob, useStore, type StoreConformanceOptions } from './harness.js';

/** A generous ceiling on waiting for a pushed event: a failure guard, not a latency target. */
const EVENT_TIMEOUT_MS = 15_000;

/** Collects wake events and lets a test wait for one that matches. */
class Inbox {
  readonly events: WakeEvent[] = [];
  private waiters: Array<{ match: (e: WakeEvent) => boolean; resolve: (e: WakeEvent) => void }> = [];

  push = (event: WakeEvent): void => {
    this.events.push(event);
    for (const w of this.waiters.filter((x) => x.match(event))) {
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(event);
    }
  };

  /** Resolve with the first event (already received or coming) that matches. */
  next(match: (e: WakeEvent) => boolean): Promise<WakeEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('No matching wake event arrived')), EVENT_TIMEOUT_MS);
      this.waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  clear(): void {
    this.events.length = 0;
  }
}

/**
 * subscribe: listeners hear that jobs became claimable. Delivery is only required of stores that
 * declare `capabilities.push`; for the others those tests report as skipped, not passed.
 */
export function notificationTests(options: StoreConformanceOptions): void {
  const { describe, expect, it } = vitest();
  describe('notifications', () => {
    const h = useStore(options);

    async function listen(store: Store): Promise<{ inbox: Inbox; stop: () => Promise<void> }> {
      const inbox = new Inbox();
      const stop = await store.subscribe(inbox.push);
      return { inbox, stop };
    }

    const isFor = (queue: string, name: string) => (e: WakeEvent) => e.queue === queue && e.name === name;

    /** Skip a delivery test on a store that does not push (it may only be polled). */
    const needsPush = (ctx: { skip: (note?: string) => void }) => {
      if (!h.store.capabilities.push) ctx.skip('store does not push wake-ups (capabilities.push is false)');
    };

    it('wakes listeners after a runnable job is inserted', async (ctx) => {
      needsPush(ctx);
      const { inbox, stop } = await listen(h.store);
      try {
        await insertJob(h.store, { name: 'conf-wake', queue: 'q-wake' }, h.t0);
        expect(await inbox.next(isFor('q-wake', 'conf-wake'))).toEqual({ queue: 'q-wake', name: 'conf-wake' });
      } finally {
        await stop();
      }
    });

    it('wakes listeners after retry, promote and release', async (ctx) => {
      needsPush(ctx);
      const { inbox, stop } = await listen(h.store);
      try {
        const failed = await insertJob(h.store, { name: 'conf-retry', queue: 'q1', maxAttempts: 1 }, h.t0);
        await claim(h.store, h.t0, { names: ['conf-retry'] });
        await h.store.fail({
          workerId: 'w1',
          items: [{ id: failed.id, attempt: 1, error: { name: 'Error', message: 'x' }, retryDelayMs: null }],
          now: h.t0 + 1,
        });
        await inbox.next(isFor('q1', 'conf-retry'));
        inbox.clear();
        await h.store.retry({ id: failed.id, attempts: 1, now: h.t0 + 2 });
        await inbox.next(isFor('q1', 'conf-retry'));

        const delayed = await insertJob(h.store, { name: 'conf-promote', queue: 'q2', delayMs: 3_600_000 }, h.t0);
        await h.store.promote({ id: delayed.id, now: h.t0 + 3 });
        await inbox.next(isFor('q2', 'conf-promote'));

        const held = await insertJob(h.store, { name: 'conf-release', queue: 'q3' }, h.t0);
        await claim(h.store, h.t0, { names: ['conf-release'] });
        await inbox.next(isFor('q3', 'conf-release'));
        inbox.clear();
        await h.store.release({ workerId: 'w1', ids: [held.id], now: h.t0 + 4 });
        await inbox.next(isFor('q3', 'conf-release'));
      } finally {
        await stop();
      }
    });

    it('delivers to every subscriber', async (ctx) => {
      needsPush(ctx);
      const one = await listen(h.store);
      const two = await listen(h.store);
      try {
        await insertJob(h.store, { name: 'conf-fan', queue: 'q-fan' }, h.t0);
        await one.inbox.next(isFor('q-fan', 'conf-fan'));
        await two.inbox.next(isFor('q-fan', 'conf-fan'));
      } finally {
        await one.stop();
        await two.stop();
      }
    });

    it('unsubscribes cleanly and may be called twice', async () => {
      const { stop } = await listen(h.store);
      await stop();
      await stop();
      // The store keeps working after the listener is gone.
      await insertJob(h.store, {}, h.t0);
      expect((await h.store.counts({})).pending).toBe(1);
    });
  });
}
