import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Tests import package source, never a stale dist build.
const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@mainspring\/core\/testing$/, replacement: src('./packages/core/src/testing/index.ts') },
      { find: /^@mainspring\/core$/, replacement: src('./packages/core/src/index.ts') },
      { find: /^@mainspring\/adapter-pg$/, replacement: src('./packages/adapter-pg/src/index.ts') },
      { find: /^@mainspring\/adapter-redis$/, replacement: src('./packages/adapter-redis/src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Store suites share one Postgres and one Redis; files isolate by schema/prefix, so they may run in parallel.
    pool: 'forks',
  },
});
