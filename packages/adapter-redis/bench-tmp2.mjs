import { redisStore } from './dist/index.js';
import { Redis } from 'ioredis';
const N = 20000;
const admin = new Redis(process.env.URL ?? 'redis://127.0.0.1:6379');
async function stat(label) {
  const info = await admin.info('commandstats');
  const m = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(info);
  console.log(label, m ? `${m[1]} calls, ${(m[2] / N).toFixed(1)} us/job` : 'none');
  if (process.env.DETAIL) console.log(info.split('\n').filter((l) => l.includes('calls') && !l.includes('evalsha')).map((l) => { const x = /cmdstat_(\S+):calls=(\d+),usec=(\d+)/.exec(l); return x ? `  ${x[1]} ${(x[2] / N).toFixed(2)}/job ${(x[3] / N).toFixed(1)}us/job` : ''; }).join('\n'));
  await admin.config('RESETSTAT');
}
const s = redisStore({ url: process.env.URL, prefix: 'bench2-' + Date.now() });
await s.migrate();
await admin.config('RESETSTAT');
const jobs = Array.from({ length: N }, (_, i) => ({ name: 'b', queue: 'default', payload: { i }, priority: 0, maxAttempts: 3 }));
await s.insert({ jobs });
await stat('insert');
const claimed = [];
for (;;) { const c = await s.claim({ workerId: 'w', names: ['b'], limit: 200, leaseMs: 30000 }); if (!c.length) break; claimed.push(...c); }
await stat('claim');
for (let i = 0; i < claimed.length; i += 200) await s.complete({ workerId: 'w', items: claimed.slice(i, i + 200).map((j) => ({ id: j.id, attempt: j.attempts })) });
await stat('complete');
await s.close(); admin.disconnect();
