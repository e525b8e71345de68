// Time variants of claim.lua (paths in argv) against N fresh pending jobs each: Redis usec per job.
import { readFileSync } from 'node:fs';
import { redisStore } from '@mainspring/adapter-redis';
import { Redis } from 'ioredis';
import { expandIncludes } from '../src/scripts.js';

const N = Number(process.env.N ?? 20000);
const B = Number(process.env.B ?? 250);
const url = process.env.PROF_URL ?? 'redis://127.0.0.1:6391/0';
const admin = new Redis(url);
for (const file of process.argv.slice(2)) {
  const prefix = 'profc' + Date.now();
  const store = redisStore({ url, prefix });
  await store.migrate();
  for (let i = 0; i < N; i += 5000)
    await store.insert({ jobs: Array.from({ length: 5000 }, (_, k) => ({ name: 'noop', queue: 'bench', payload: { i: i + k, t: Date.now() }, priority: 0, maxAttempts: 3 })) });
  const src = expandIncludes(readFileSync(file, 'utf8'));
  const sha = (await admin.script('LOAD', src)) as string;
  const keys = store.keys.forScript('claim');
  await admin.config('RESETSTAT');
  const cpu = async () => { const t = await admin.info('cpu'); return Number(/used_cpu_user:([\d.]+)/.exec(t)![1]) + Number(/used_cpu_sys:([\d.]+)/.exec(t)![1]); };
  const c0 = await cpu();
  let got = 0;
  for (let i = 0; i < N / B + 2; i++) {
    const r = (await admin.evalsha(sha, keys.length, ...keys, '', 'w1', B, 30000, '["noop"]', '', '')) as unknown[];
    got += Array.isArray(r[3]) ? (r[3] as unknown[]).length / 12 : r.length;
  }
  const cpuUs = ((await cpu()) - c0) * 1e6 / N;
  const stats = await admin.info('commandstats');
  const per = [...stats.matchAll(/cmdstat_(\w+):calls=(\d+),usec=(\d+)/g)].filter((m) => !['info', 'config'].includes(m[1])).map((m) => `${m[1]} ${(Number(m[3]) / N).toFixed(2)}`);
  console.log(`${file}: got ${got}; cpu ${cpuUs.toFixed(1)} us/job; ${per.join(', ')}`);
  const all = await admin.keys(`{${prefix}}*`);
  for (let i = 0; i < all.length; i += 1000) await admin.unlink(...all.slice(i, i + 1000));
  await store.close();
}
admin.disconnect();
