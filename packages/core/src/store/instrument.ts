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
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'subscribe') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      const method = String(property);
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
    },
  });
}
