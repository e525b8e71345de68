import type { Store } from '../src/store/contract.js';

/** Polls until `check` returns a truthy value; fails after `ms` (a bound, not a timing assertion). */
export async function waitFor<T>(check: () => T | Promise<T>, ms = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A store wrapper that fails every call with a connection error while `down` is true, and counts
 * calls per method: for outage and batching tests.
 */
export function flaky(store: Store): Store & { down: boolean; calls: Record<string, number> } {
  const state = { down: false, calls: {} as Record<string, number> };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'down' || property === 'calls') return state[property];
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const method = String(property);
        state.calls[method] = (state.calls[method] ?? 0) + 1;
        if (state.down && method !== 'close' && method !== 'subscribe') {
          return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
        }
        return value.apply(target, args);
      };
    },
    set(_target, property, value) {
      if (property === 'down') {
        state.down = value;
        return true;
      }
      return false;
    },
  }) as Store & { down: boolean; calls: Record<string, number> };
}
