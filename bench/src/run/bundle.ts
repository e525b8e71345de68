import { build, type Plugin } from 'esbuild';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SRC = fileURLToPath(new URL('../', import.meta.url));
const PACKAGES = fileURLToPath(new URL('../../../packages/', import.meta.url));

/** `import text from './x.lua?raw'` embeds the file's text (the Redis store's Lua scripts). */
const rawText: Plugin = {
  name: 'raw-text',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: resolve(args.resolveDir, args.path.replace(/\?raw$/, '')),
      namespace: 'raw-text',
    }));
    b.onLoad({ filter: /.*/, namespace: 'raw-text' }, async (args) => ({
      contents: await readFile(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};

/**
 * Mainspring's sources keep their own `import.meta.url`, so code that finds files next to itself
 * (the Postgres store's migrations folder) finds them as it does under tsx or vitest.
 */
const sourceUrls: Plugin = {
  name: 'source-urls',
  setup(b) {
    b.onLoad({ filter: /\/packages\/[^/]+\/src\/.*\.ts$/ }, async (args) => {
      if (!args.path.startsWith(PACKAGES) || args.path.includes('/node_modules/')) return undefined;
      const text = await readFile(args.path, 'utf8');
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

/**
 * Libraries stay outside the bundle, imported by absolute path exactly as each importer would
 * resolve them (so every package keeps its own dependency versions and its own files on disk);
 * Mainspring's packages are bundled from source through tsconfig paths.
 */
const externalLibraries: Plugin = {
  name: 'external-libraries',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.inner || args.path.startsWith('@mainspring/')) return undefined;
      const r = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { inner: true },
      });
      if (r.errors.length > 0) return { errors: r.errors };
      return { path: r.path, external: true };
    });
  },
};

/**
 * Compiles the scenario and worker entry points to plain JavaScript, so those processes run on
 * bare Node: tsx's loader thread would add about 30 MB to every worker's RSS and a second to its
 * start. Returns the directory holding `scenario-child.mjs` and `worker-child.mjs`.
 */
export async function bundleChildren(): Promise<{ dir: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mainspring-bench-'));
  await build({
    entryPoints: {
      'scenario-child': join(SRC, 'run/scenario-child.ts'),
      'worker-child': join(SRC, 'run/worker-child.ts'),
    },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // Each driver (and the library it imports) becomes its own chunk, loaded only by the
    // processes that run it: without splitting, every worker would load every library.
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: join(dirname(SRC), 'tsconfig.json'),
    define: { 'process.env.BENCH_BUNDLED': '"1"' },
    plugins: [rawText, sourceUrls, externalLibraries],
    logLevel: 'silent',
  });
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}
