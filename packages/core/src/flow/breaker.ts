import type { JobDefinition } from '../define/job.js';
import type { Store } from '../store/contract.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerStatus {
  state: BreakerState;
  /** While open: when the cooldown ends. */
  until: Date | null;
}

export interface BreakerEvents {
  open(event: { name: string; failures: number; until: Date }): void;
  close(event: { name: string }): void;
}

/** Reason stored on the pause a breaker places, so every process can tell it from a manual pause. */
export const BREAKER_REASON = 'circuit-breaker';

interface Breaker {
  state: BreakerState;
  until: Date | null;
  /** Failures before this instant no longer count (set when the breaker closes). */
  countFrom: number;
  /** When the cooldown ended: a success after it closes the breaker. */
  halfOpenAt: number;
  checking: boolean;
  recheck: boolean;
}

/**
 * Circuit breakers for job types that declare `circuitBreaker`. State lives in the store so every
 * process agrees: opening places a timed pause on the job name (claims skip it everywhere); when
 * the pause expires the breaker is half-open and only one job of the type may run at a time (a
 * store-enforced concurrency of 1); a success closes it, a failure opens it again.
 */
export class CircuitBreakers {
  private readonly breakers = new Map<string, Breaker>();

  constructor(
    private readonly store: Store,
    private readonly definitions: ReadonlyMap<string, JobDefinition<any, any>>,
    private readonly events: BreakerEvents,
  ) {
    for (const definition of definitions.values()) {
      if (definition.circuitBreaker) this.breakers.set(definition.name, { state: 'closed', until: null, countFrom: 0, halfOpenAt: 0, checking: false, recheck: false });
    }
  }

  get enabled(): boolean {
    return this.breakers.size > 0;
  }

  /** Job names whose breaker is half-open: claims allow one running job of each. */
  halfOpen(): string[] {
    return [...this.breakers].filter(([, b]) => b.state === 'half-open').map(([name]) => name);
  }

  status(): Record<string, BreakerStatus> {
    return Object.fromEntries([...this.breakers].map(([name, b]) => [name, { state: b.state, until: b.until }]));
  }

  /** An attempt of `name` failed: open the breaker if failures within the window reached the threshold. */
  async failed(name: string): Promise<void> {
    const breaker = this.breakers.get(name);
    const config = this.definitions.get(name)?.circuitBreaker;
    if (!breaker || !config || breaker.state === 'open') return;
    // One check at a time per type; failures arriving meanwhile ask for one more check after it.
    if (breaker.checking) {
      breaker.recheck = true;
      return;
    }
    breaker.checking = true;
    try {
      do {
        breaker.recheck = false;
        const now = await this.store.now();
        if (breaker.state === 'half-open') return await this.open(name, now, 1);
        const from = Math.max(now - config.withinMs, breaker.countFrom);
        const { failed } = await this.store.metrics({ name, from, to: now });
        if (failed >= config.failures) return await this.open(name, now, failed);
      } while (breaker.recheck);
    } finally {
      breaker.checking = false;
    }
  }

  /**
   * An attempt of `name` succeeded: a half-open breaker closes. So does an open one whose cooldown
   * is over (the probe ran before this process noticed the cooldown end).
   */
  succeeded(name: string): void {
    const breaker = this.breakers.get(name);
    if (!breaker) return;
    const cooledDown = breaker.state === 'open' && breaker.until !== null && breaker.until.getTime() <= Date.now();
    if (breaker.state === 'half-open' || cooledDown) this.close(name, breaker, Date.now());
  }

  /** Sync with the store: pauses placed by other processes open breakers here; expired ones go half-open. */
  async refresh(): Promise<void> {
    if (!this.enabled) return;
    const now = await this.store.now();
    const pauses = await this.store.listPauses({ now });
    for (const [name, breaker] of this.breakers) {
      const pause = pauses.find((p) => p.scope === 'name' && p.target === name && p.reason === BREAKER_REASON);
      if (pause) {
        breaker.state = 'open';
        breaker.until = pause.until;
      } else if (breaker.state === 'open') {
        breaker.state = 'half-open';
        breaker.halfOpenAt = Math.min(now, breaker.until?.getTime() ?? now);
        breaker.until = null;
      } else if (breaker.state === 'half-open') {
        // Another process's probe may have succeeded.
        const { completed } = await this.store.metrics({ name, from: breaker.halfOpenAt, to: now });
        if (completed > 0) this.close(name, breaker, now);
      }
    }
  }

  private async open(name: string, now: number, failures: number): Promise<void> {
    const breaker = this.breakers.get(name)!;
    const until = new Date(now + this.definitions.get(name)!.circuitBreaker!.cooldownMs);
    await this.store.pause({ scope: 'name', target: name, until, reason: BREAKER_REASON });
    breaker.state = 'open';
    breaker.until = until;
    this.events.open({ name, failures, until });
  }

  private close(name: string, breaker: Breaker, now: number): void {
    breaker.state = 'closed';
    breaker.until = null;
    breaker.countFrom = now;
    this.events.close({ name });
  }
}
