import { redisStore } from './dist/index.js';
import { Redis } from 'ioredis';
const admin = new Redis(process.env.URL);
await admin.flushall();
const used = async () => Number(/used_memory:(\d+)/.exec(await admin.info('memory'))[1]);
const s = redisStore({ url: process.env.URL, prefix: 'mem' });
await s.migrate();
const N = 100000;
const m0 = await used();
for (let i = 0; i < N; i += 1000) await s.insert({ jobs: Array.from({ length: 1000 }, (_, j) => ({ name: 'email.send', queue: 'default', payload: { to: `user${i + j}@example.com`, template: 'welcome', body: 'x'.repeat(+(process.env.PAD ?? 0)) }, priority: 0, maxAttempts: 3 })) });
const m1 = await used();
for (;;) { const c = await s.claim({ workerId: 'worker-1', names: ['email.send'], limit: 500, leaseMs: 30000 }); if (!c.length) break; await s.complete({ workerId: 'worker-1', items: c.map((j) => ({ id: j.id, attempt: 1, result: { ok: true } })) }); }
const m2 = await used();
console.log(`payload ~${JSON.stringify({ to: 'user12345@example.com', template: 'welcome' }).length}B: pending ${((m1 - m0) / N).toFixed(0)} B/job, completed ${((m2 - m0) / N).toFixed(0)} B/job`);
await s.close(); admin.disconnect();
