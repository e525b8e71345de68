import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'tsup';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dropKeys, REDIS_URL, uniquePrefix } from './helpers.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const out = `${pkg}build-test-${process.pid}`;
const run = promisify(execFile);
const prefixes: string[] = [];

// The published outputs must carry the Lua scripts inside them (nothing is read from lua/ at run time).
beforeAll(async () => {
  await build({
    config: false,
    entry: { index: `${pkg}src/index.ts` },
    outDir: out,
    format: ['esm', 'cjs'],
    target: 'node20',
    silent: true,
    external: ['ioredis'],
    // Core from source, so the test does not depend on core having been built.
    esbuildOptions(options) {
      options.alias = { '@mainspring/core': fileURLToPath(new URL('../../core/src/index.ts', import.meta.url)) };
    },
  });
}, 120_000);
afterAll(async () => {
  rmSync(out, { recursive: true, force: true });
  for (const p of prefixes) await dropKeys(`{${p}}:`);
});

function script(load: string): string {
  const prefix = uniquePrefix('build');
  prefixes.push(prefix);
  return `
${load}
const store = redisStore({ url: ${JSON.stringify(REDIS_URL)}, prefix: ${JSON.stringify(prefix)} });
await store.migrate();
await store.insert({ jobs: [{ name: 'a', queue: 'q', payload: 1, priority: 0, maxAttempts: 1 }] });
const [job] = await store.claim({ workerId: 'w', names: ['a'], limit: 1, leaseMs: 1000 });
console.log(job.state);
await store.close();
`;
}

it('the built ESM output runs its scripts', async () => {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script(`import { redisStore } from '${out}/index.js';`)], { cwd: pkg });
  expect(stdout.trim()).toBe('active');
});

it('the built CJS output runs its scripts', async () => {
  const code = `(async () => {${script(`const { redisStore } = require('${out}/index.cjs');`)}})()`;
  const { stdout } = await run(process.execPath, ['-e', code], { cwd: pkg });
  expect(stdout.trim()).toBe('active');
});
