// Test helpers for users of Mainspring and for store authors.
export { drain } from './drain.js';
export type { DrainOptions, DrainResult } from './drain.js';
export { assertEnqueued, assertNotEnqueued, enqueued } from './assertions.js';
export type { EnqueuedQuery } from './assertions.js';
export { performJob } from './perform.js';
export type { PerformResult } from './perform.js';
export * from './conformance/index.js';
