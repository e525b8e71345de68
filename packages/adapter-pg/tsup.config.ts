import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // The CJS build needs import.meta.url to find migrations/ next to dist/.
  shims: true,
  external: ['pg', '@electric-sql/pglite', '@mainspring/core'],
});
