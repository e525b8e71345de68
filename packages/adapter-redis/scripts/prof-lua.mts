// Time a variant of complete.lua (path in argv) against N claimed jobs: Redis usec per job.
import { readFileSync } from 'node:fs';
import { redisStore } from '@mainspring/adapter-redis';
import { Redis } from 'ioredis';
import { expandIncludes } from '../src/scripts.js';

const N = Number(process.env.N ?? 20000);
const B = 250;
const prefix = 'profl' + Date.now();
const url = process.env.PROF_URL ?? 'redis://127.0.0.1:6391/0';
const admin = new Redis(url);
const store = redisStore({ url, prefix });
await store.migrate();
for (let i = 0; i < N; i += 5000)
  await store.insert({ jobs: Array.from({ length: 5000 }, (_, k) => ({ name: 'noop', queue: 'bench', payload: { i: i + k, t: Date.now() }, priority: 0, maxAttempts: 3 })) });
const jobs = [];
for (;;) {
  const got = await store.claim({ workerId: 'w1', names: ['noop'], limit: B, leaseMs: 30000 });
  if (!got.length) break;
  jobs.push(...got);
}
for (const file of process.argv.slice(2)) {
  const src = expandIncludes(readFileSync(file, 'utf8'));
  await admin.config('RESETSTAT');
  for (let i = 0; i < jobs.length; i += B) {
    const args: (string | number)[] = ['', 'w1', Math.min(B, jobs.length - i)];
    for (const j of jobs.slice(i, i + B)) args.push(j.id, j.attempts, 'null', '');
    const keys = store.keys.forScript('complete');
    await admin.eval(src, keys.length, ...keys, ...args);
  }
  const stats = await admin.info('commandstats');
  const m = /cmdstat_eval:calls=(\d+),usec=(\d+)/.exec(stats)!;
  console.log(`${file}: ${(Number(m[2]) / N).toFixed(2)} us/job`);
}
const keys = await admin.keys(`{${prefix}}*`);
for (let i = 0; i < keys.length; i += 1000) await admin.unlink(...keys.slice(i, i + 1000));
await store.close();
admin.disconnect();
