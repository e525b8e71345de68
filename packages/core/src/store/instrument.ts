import type { Logger } from '../logger.js';
import type { Store } from './contract.js';
import { toStoreError } from './transient.js';

/** Observes each store call: method, duration, error. Used for logging and tracing hooks. */
export type StoreCallObserver = (call: { method: string; durationMs: number; error?: unknown }) => void;

/**
 * Wraps every method of a store so that core, not each store, logs calls, reports them to an
 * observer and turns connection failures into `StoreUnavailableError`.
 */
export function instrumentStore(store: Store, logger: Logger, observe?: StoreCallObserver): Store {
  // One wrapper per method, made on first use: this sits on every store call.
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const cached = wrappers.get(property);
      if (cached) return cached;
      const wrapper = property === 'subscribe' ? value.bind(target) : wrap(target, String(property), value);
      wrappers.set(property, wrapper);
      return wrapper;
    },
  });

  function wrap(target: Store, method: string, value: (...args: unknown[]) => Promise<unknown>) {
    return async (...args: unknown[]) => {
      const started = performance.now();
      try {
        const result = await value.apply(target, args);
        observe?.({ method, durationMs: performance.now() - started });
        return result;
      } catch (error) {
        const durationMs = performance.now() - started;
        observe?.({ method, durationMs, error });
        logger.debug(`store.${method} failed`, { store: target.name, durationMs, error: (error as Error)?.message });
        throw toStoreError(error, target.name);
      }
    };
  }
}
