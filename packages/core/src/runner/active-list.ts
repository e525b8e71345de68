import type { Execution } from './execute.js';

/**
 * The attempts a runner has in flight, in start order, as a list threaded through the executions
 * themselves. Not a Map keyed by job id: a Map with an entry added and removed per job retires its
 * hash table every few hundred jobs, and a retired table keeps pointing at every execution it held
 * until the next full GC. Those stale pointers kept finished jobs alive through young-generation
 * collections, which grew the heap by tens of MB during a drain. An unlinked execution points at
 * nothing, so a finished job dies young.
 */
export class ActiveList implements Iterable<Execution> {
  private head: Execution | null = null;
  private tail: Execution | null = null;

  /** Whether no attempt is in flight. */
  get empty(): boolean {
    return this.head === null;
  }

  add(exec: Execution): void {
    if (exec.listed) return;
    exec.listed = true;
    exec.prev = this.tail;
    exec.next = null;
    if (this.tail) this.tail.next = exec;
    else this.head = exec;
    this.tail = exec;
  }

  /** Unlinks `exec`; a no-op when it is not listed (an outcome may be reported more than once). */
  delete(exec: Execution): void {
    if (!exec.listed) return;
    const { prev, next } = exec;
    if (prev) prev.next = next;
    else this.head = next;
    if (next) next.prev = prev;
    else this.tail = prev;
    exec.prev = exec.next = null;
    exec.listed = false;
  }

  /**
   * A snapshot, so callers may delete while they go through it. Lookups by job id walk it too: only
   * cancels, lost leases and shutdown need them, never the per-job path.
   */
  [Symbol.iterator](): Iterator<Execution> {
    const all: Execution[] = [];
    for (let exec = this.head; exec; exec = exec.next) all.push(exec);
    return all[Symbol.iterator]();
  }
}
