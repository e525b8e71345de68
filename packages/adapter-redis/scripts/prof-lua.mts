// Time a variant of complete.lua (path in argv) against N claimed jobs: Redis usec per job.
import { readFileSync } from 'node:fs';
import { expandIncludes } from '../src/scripts.js';
import { claimAll, filledStore, N } from './prof-fixture.mjs';

const B = 250;
const { store, admin, cleanup } = await filledStore('profl');
const jobs = await claimAll(store, B);
for (const file of process.argv.slice(2)) {
  const src = expandIncludes(readFileSync(file, 'utf8'));
  await admin.config('RESETSTAT');
  for (let i = 0; i < jobs.length; i += B) {
    // complete.lua's ARGV: now, worker, item count, items with extras (none), then id and attempt per item.
    const args: (string | number)[] = ['', 'w1', Math.min(B, jobs.length - i), 0];
    for (const j of jobs.slice(i, i + B)) args.push(j.id, j.attempts);
    const keys = store.keys.forScript('complete');
    await admin.eval(src, keys.length, ...keys, ...args);
  }
  const stats = await admin.info('commandstats');
  const m = /cmdstat_eval:calls=(\d+),usec=(\d+)/.exec(stats)!;
  console.log(`${file}: ${(Number(m[2]) / N).toFixed(2)} us/job`);
}
await cleanup();
