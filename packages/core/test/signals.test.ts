import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const worker = fileURLToPath(new URL('./fixtures/signal-worker.ts', import.meta.url));

it('start({ handleSignals: true }) finishes the running job on SIGTERM, then exits', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', worker], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('started')) resolve();
    });
    child.on('exit', () => reject(new Error(`worker exited early: ${out}`)));
  });
  child.kill('SIGTERM');
  const { signal } = await exited;
  expect(out).toContain('completed:finished');
  expect(signal).toBe('SIGTERM');
});
