import type { CompleteItem, FailItem, SettleResult, Store } from '../store/contract.js';
import { isTransientStoreError } from '../store/transient.js';

export type Verdict = 'settled' | 'lost';
interface Waiting<T> {
  item: T;
  done: (verdict: Verdict) => void;
}

/**
 * Collects completions and failures and writes them in batches: everything that finishes within
 * one turn of the event loop (or while the previous write is in flight) goes in one store call.
 * A settle is never dropped on a store outage: the batch is retried until the store answers or
 * the runner gives up at shutdown (then the lease expires and the job runs again: at-least-once).
 */
export class Settler {
  private completes: Waiting<CompleteItem>[] = [];
  private fails: Waiting<FailItem>[] = [];
  private scheduled = false;
  private inFlight: Promise<void> | null = null;
  private givingUp = false;

  constructor(
    private readonly store: Store,
    private readonly workerId: string,
    private readonly onError: (error: unknown) => void,
    private readonly maxBatch = 1000,
  ) {}

  /** Queue a completion; `done` is called once it is written (or found lost). A callback, not a promise: one per job. */
  complete(item: CompleteItem, done: (verdict: Verdict) => void): void {
    this.completes.push({ item, done });
    this.schedule();
  }

  fail(item: FailItem, done: (verdict: Verdict) => void): void {
    this.fails.push({ item, done });
    this.schedule();
  }

  /** Resolves once everything queued so far is written (or given up). */
  async flush(): Promise<void> {
    while (this.inFlight || this.completes.length || this.fails.length) {
      if (this.inFlight) await this.inFlight;
      else await this.write();
    }
  }

  /** At shutdown: stop retrying writes after the current round; unwritten settles resolve as lost. */
  giveUp(): void {
    this.givingUp = true;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.inFlight) void this.write();
    });
  }

  private write(): Promise<void> {
    const completes = this.completes.splice(0, this.maxBatch);
    const fails = this.fails.splice(0, this.maxBatch);
    const run = async () => {
      await Promise.all([
        completes.length && this.send(completes, (items) => this.store.complete({ workerId: this.workerId, items })),
        fails.length && this.send(fails, (items) => this.store.fail({ workerId: this.workerId, items })),
      ]);
    };
    this.inFlight = run().finally(() => {
      this.inFlight = null;
      if (this.completes.length || this.fails.length) this.schedule();
    });
    return this.inFlight;
  }

  private async send<T extends { id: string }>(batch: Waiting<T>[], call: (items: T[]) => Promise<SettleResult>): Promise<void> {
    for (let delay = 50; ; delay = Math.min(delay * 2, 5_000)) {
      try {
        const result = await call(batch.map((w) => w.item));
        const lost = new Set(result.lost);
        for (const waiting of batch) waiting.done(lost.has(waiting.item.id) ? 'lost' : 'settled');
        return;
      } catch (error) {
        this.onError(error);
        if (this.givingUp || !isTransientStoreError(error)) {
          for (const waiting of batch) waiting.done('lost');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
