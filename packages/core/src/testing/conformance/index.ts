import { vitest } from './vitest.js';
import { attemptsTests } from './attempts.js';
import { claimTests } from './claim.js';
import { flowControlTests } from './flow-control.js';
import type { StoreConformanceOptions } from './harness.js';
import { insertAndDedupTests } from './insert-and-dedup.js';
import { leaseTests } from './leases.js';
import { lifecycleTests } from './lifecycle.js';
import { listAndCountsTests } from './list-and-counts.js';
import { manageTests } from './manage.js';
import { metricsTests } from './metrics.js';
import { notificationTests } from './notifications.js';
import { pruneTests } from './prune.js';
import { scheduleTests } from './schedules.js';
import { settleTests } from './settle.js';

export type { StoreConformanceOptions } from './harness.js';

/**
 * The executable form of the Store contract: registers vitest suites that every store must pass.
 * Each test gets a fresh store from `create` and passes `now` explicitly, so nothing sleeps.
 *
 * @example
 * // packages/adapter-redis/test/conformance.test.ts
 * import { runStoreConformance } from '@mainspring/core/testing';
 * import { redisStore } from '../src/index.js';
 *
 * let n = 0;
 * runStoreConformance({
 *   name: 'redis',
 *   create: async () => {
 *     const store = redisStore({ url: 'redis://127.0.0.1:6379', prefix: `conf-${process.pid}-${n++}` });
 *     await store.migrate();
 *     return store;
 *   },
 * });
 */
export function runStoreConformance(options: StoreConformanceOptions): void {
  const { describe } = vitest();
  describe(`Store conformance: ${options.name}`, () => {
    insertAndDedupTests(options);
    claimTests(options);
    leaseTests(options);
    settleTests(options);
    manageTests(options);
    listAndCountsTests(options);
    attemptsTests(options);
    metricsTests(options);
    scheduleTests(options);
    flowControlTests(options);
    notificationTests(options);
    pruneTests(options);
    lifecycleTests(options);
  });
}
