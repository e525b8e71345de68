import { defineConfig, type Options } from 'tsup';
import { fileURLToPath } from 'node:url';

const shared: Options = {
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  dts: true,
  sourcemap: true,
  target: 'node20',
  external: ['vitest'],
};

export default defineConfig([
  { ...shared, format: ['esm'], clean: true },
  {
    ...shared,
    format: ['cjs'],
    // vitest cannot be require()d and the ESM loader uses top-level await; CJS gets a stub that explains.
    esbuildPlugins: [
      {
        name: 'conformance-vitest-cjs',
        setup(build) {
          build.onResolve({ filter: /^\.\/vitest\.js$/ }, (args) =>
            args.resolveDir.endsWith('conformance')
              ? { path: fileURLToPath(new URL('./src/testing/conformance/vitest-cjs.ts', import.meta.url)) }
              : undefined,
          );
        },
      },
    ],
  },
]);
