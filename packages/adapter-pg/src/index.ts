// Public API of @mainspring/adapter-pg. Only exports live here.
export { pgStore } from './create.js';
export type { PgStoreOptions, EmbeddedStoreOptions } from './create.js';
export { PgStore } from './store.js';
export { quoteSchema } from './schema-name.js';
