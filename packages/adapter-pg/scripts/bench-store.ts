// Rough store-level throughput check (not a test): bulk insert N jobs, then drain them with
// `loops` concurrent claim→complete loops of `batch` jobs. Usage: tsx scripts/bench-store.ts [n] [batch] [loops]
import pg from 'pg';
import { pgStore } from '../src/index.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const [n = 20000, batch = 100, loops = 4] = process.argv.slice(2).map(Number);
const schema = `ms_bench_${process.pid}`;
const store = pgStore({ connectionString: url, schema, max: loops + 2 });
await store.migrate();
const jobs = Array.from({ length: n }, (_, i) => ({ name: 'bench', queue: 'default', payload: { i }, priority: 0, maxAttempts: 3 }));
let t = performance.now();
for (let i = 0; i < n; i += 5000) await store.insert({ jobs: jobs.slice(i, i + 5000) });
const insertS = (performance.now() - t) / 1000;
t = performance.now();
let done = 0;
await Promise.all(
  Array.from({ length: loops }, async (_, w) => {
    for (;;) {
      const got = await store.claim({ workerId: `w${w}`, names: ['bench'], limit: batch, leaseMs: 30_000 });
      if (got.length === 0) return;
      await store.complete({ workerId: `w${w}`, items: got.map((j) => ({ id: j.id, attempt: j.attempts, result: null })) });
      done += got.length;
    }
  }),
);
const drainS = (performance.now() - t) / 1000;
console.log(JSON.stringify({ n, batch, loops, insertPerS: Math.round(n / insertS), jobsPerS: Math.round(done / drainS), done }));
await store.close();
const c = new pg.Client({ connectionString: url });
await c.connect();
await c.query(`drop schema "${schema}" cascade`);
await c.end();
