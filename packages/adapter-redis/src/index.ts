// Public API of @mainspring/adapter-redis.
export { redisStore, RedisStore } from './store.js';
export type { RedisStoreOptions } from './store.js';
export { checkEvictionPolicy, readEvictionPolicy } from './eviction.js';
export type { EvictionPolicyMode } from './eviction.js';
