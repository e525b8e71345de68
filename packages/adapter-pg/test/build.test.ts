import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'tsup';
import { afterAll, beforeAll, expect, it } from 'vitest';

const pkg = fileURLToPath(new URL('..', import.meta.url));
// Next to src/ and dist/, so the build finds ../migrations exactly as the published dist/ does.
const out = `${pkg}build-test-${process.pid}`;
const run = promisify(execFile);

beforeAll(async () => {
  await build({
    config: false,
    entry: { index: `${pkg}src/index.ts` },
    outDir: out,
    format: ['esm', 'cjs'],
    shims: true,
    target: 'node20',
    silent: true,
    external: ['pg', '@electric-sql/pglite'],
    // Core from source, so the test does not depend on core having been built.
    esbuildOptions(options) {
      options.alias = { '@mainspring/core': fileURLToPath(new URL('../../core/src/index.ts', import.meta.url)) };
    },
  });
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const script = (load: string) => `
${load}
const store = pgStore.embedded('memory://');
await store.migrate();
const [r] = await store.insert({ jobs: [{ name: 'a', queue: 'q', payload: 1, priority: 0, maxAttempts: 1 }] });
console.log(r.job.state);
await store.close();
`;

it('the built ESM output finds its migrations', async () => {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script(`import { pgStore } from '${out}/index.js';`)], { cwd: pkg });
  expect(stdout.trim()).toBe('pending');
});

it('the built CJS output finds its migrations', async () => {
  const code = `(async () => {${script(`const { pgStore } = require('${out}/index.cjs');`)}})()`;
  const { stdout } = await run(process.execPath, ['-e', code], { cwd: pkg });
  expect(stdout.trim()).toBe('pending');
});
