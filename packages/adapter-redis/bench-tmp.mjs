import { redisStore } from './dist/index.js';
const N = 20000;
const s = redisStore({ url: process.env.URL, prefix: 'bench-' + Date.now() });
await s.migrate();
let t = performance.now();
const jobs = Array.from({ length: N }, (_, i) => ({ name: 'b', queue: 'default', payload: { i }, priority: 0, maxAttempts: 3 }));
await s.insert({ jobs });
const ins = performance.now() - t;
t = performance.now();
const cpu0 = process.cpuUsage();
let done = 0;
const BATCH = +(process.env.BATCH ?? 100), PAR = +(process.env.PAR ?? 2);
async function loop() {
  for (;;) {
    const c = await s.claim({ workerId: 'w', names: ['b'], limit: BATCH, leaseMs: 30000 });
    if (c.length === 0) return;
    await s.complete({ workerId: 'w', items: c.map((j) => ({ id: j.id, attempt: j.attempts, result: null })) });
    done += c.length;
  }
}
await Promise.all(Array.from({ length: PAR }, loop));
const dr = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
console.log(`node cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)}ms of ${dr.toFixed(0)}ms wall`);
console.log(`insert ${(N / ins * 1000).toFixed(0)}/s, drain ${(done / dr * 1000).toFixed(0)} jobs/s (${done}) batch=${BATCH} par=${PAR}`);
console.log(await s.counts({}));
await s.close();
