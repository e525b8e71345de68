import { createMainspring, defineJob, silentLogger } from '@mainspring/core';
import { redisStore } from './dist/index.js';
const lat = [];
const job = defineJob({ name: 'lat', handler: async (p) => { lat.push(performance.now() - p.t); } });
const ms = createMainspring({ store: redisStore({ url: process.env.URL, prefix: 'lat-' + Date.now() }), jobs: [job], logger: silentLogger });
await ms.start({ concurrency: 5 });
await new Promise((r) => setTimeout(r, 300));
for (let i = 0; i < 300; i++) { await ms.enqueue(job, { t: performance.now() }); await new Promise((r) => setTimeout(r, 10)); }
await new Promise((r) => setTimeout(r, 500));
lat.sort((a, b) => a - b);
const q = (p) => lat[Math.floor(p * (lat.length - 1))].toFixed(2);
console.log(`n=${lat.length} p50 ${q(0.5)}ms p95 ${q(0.95)}ms p99 ${q(0.99)}ms`);
await ms.close();
