// Drain profile like the bench's throughput scenario: jobs are inserted by one process, and a
// second one (this script with `drain`) drains them with concurrency 50 / prefetch 450, reporting
// jobs/s, its own CPU, Redis CPU, per-command Redis stats and peak memory.
// Run: bench/node_modules/.bin/tsx --tsconfig tsconfig.json packages/adapter-redis/scripts/prof-drain.mts
// (PROF_URL picks the Redis server; a private one keeps other traffic out of the numbers.)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMainspring, defineJob, silentLogger } from '@mainspring/core';
import { redisStore } from '@mainspring/adapter-redis';
import { Redis } from 'ioredis';
import v8 from 'node:v8';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';

const N = Number(process.env.N ?? 20000);
const url = process.env.PROF_URL ?? 'redis://127.0.0.1:6391/0';
const [mode = 'main', prefix = 'prof' + Date.now()] = process.argv.slice(2);

let done = 0;
let resolveDone: () => void;
const allDone = new Promise<void>((r) => (resolveDone = r));
const job = defineJob<{ i: number; t: number }, void>({ name: 'noop', queue: 'bench', handler: async () => { ++done; if (done === N) resolveDone(); if (done === N / 2 && process.env.SNAPSHOT) v8.writeHeapSnapshot(process.env.SNAPSHOT); } });

if (mode === 'main') {
  const self = fileURLToPath(import.meta.url);
  const run = (m: string) => spawnSync(process.execPath, [...process.execArgv, self, m, prefix], { stdio: 'inherit', env: process.env });
  run('insert');
  run('drain');
  const admin = new Redis(url);
  const keys = await admin.keys(`{${prefix}}*`);
  for (let i = 0; i < keys.length; i += 1000) await admin.unlink(...keys.slice(i, i + 1000));
  admin.disconnect();
} else if (mode === 'insert') {
  const ms = createMainspring({ store: redisStore({ url, prefix }), jobs: [job], logger: silentLogger });
  await ms.ready();
  for (let i = 0; i < N; i += 5000) await ms.enqueueMany(job, Array.from({ length: 5000 }, (_, k) => ({ payload: { i: i + k, t: Date.now() } })));
  await ms.close();
} else {
  const admin = new Redis(url);
  const store = redisStore({ url, prefix });
  // TRACE=1: a timeline of store calls (start, end, jobs) during the drain.
  const trace: [string, number, number, number][] = [];
  if (process.env.TRACE) {
    for (const method of ['claim', 'complete'] as const) {
      const original = store[method].bind(store) as (p: any) => Promise<any>;
      (store as any)[method] = async (p: any) => {
        const t = performance.now();
        const r = await original(p);
        trace.push([method, t, performance.now(), method === 'claim' ? r.length : p.items.length]);
        return r;
      };
    }
  }
  const ms = createMainspring({ store, jobs: [job], logger: silentLogger });
  await ms.ready();
  await admin.config('RESETSTAT');
  const idle = process.memoryUsage();
  const peak = { ...idle };
  const spaces: Record<string, number> = {};
  const sampler = setInterval(() => {
    for (const sp of v8.getHeapSpaceStatistics()) spaces[sp.space_name] = Math.max(spaces[sp.space_name] ?? 0, sp.space_size);
    const m = process.memoryUsage();
    for (const k of Object.keys(peak) as (keyof NodeJS.MemoryUsage)[]) peak[k] = Math.max(peak[k], m[k]);
  }, 20);
  // ALLOC=file: sample every allocation made during the drain, garbage included, into a .heapprofile.
  const session = process.env.ALLOC ? new Session() : null;
  if (session) {
    session.connect();
    await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as any);
  }
  const cpu0 = process.cpuUsage();
  const info0 = await admin.info('cpu');
  const t0 = performance.now();
  await ms.start({ concurrency: 50, prefetch: 450 });
  await allDone;
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const info1 = await admin.info('cpu');
  clearInterval(sampler);
  if (session) writeFileSync(process.env.ALLOC!, JSON.stringify((await session.post('HeapProfiler.stopSampling')).profile));
  await ms.stop();
  const stats = await admin.info('commandstats');
  const rcpu = (s: string) => Number(/used_cpu_sys:([\d.]+)/.exec(s)![1]) + Number(/used_cpu_user:([\d.]+)/.exec(s)![1]);
  const mb = (n: number) => (n / 2 ** 20).toFixed(1);
  console.log(`drain ${(t1 - t0).toFixed(0)} ms, ${((N / (t1 - t0)) * 1000).toFixed(0)} jobs/s, worker cpu ${((cpu.user + cpu.system) / N).toFixed(1)} us/job, redis cpu ${(((rcpu(info1) - rcpu(info0)) * 1e6) / N).toFixed(1)} us/job`);
  console.log(`memory MB idle -> peak: ${(Object.keys(peak) as (keyof NodeJS.MemoryUsage)[]).map((k) => `${k} ${mb(idle[k])} -> ${mb(peak[k])}`).join(', ')}`);
  const per = [...stats.matchAll(/cmdstat_(\w+):calls=(\d+),usec=(\d+)/g)].filter((m) => !['info', 'config'].includes(m[1])).map((m) => `${m[1]} ${(Number(m[2]) / N).toFixed(2)}x ${(Number(m[3]) / N).toFixed(2)}us`);
  console.log(`peak heap spaces MB: ${Object.entries(spaces).map(([k, v]) => `${k} ${mb(v)}`).join(', ')}`);
  console.log(`per job: ${per.join(', ')}`);
  if (process.env.TRACE) {
    const t0 = trace[0]?.[1] ?? 0;
    for (const [m, a, b, n] of trace.sort((x, y) => x[1] - y[1])) console.log(`${m.padEnd(8)} ${(a - t0).toFixed(1).padStart(7)} -> ${(b - t0).toFixed(1).padStart(7)} (${(b - a).toFixed(1).padStart(5)} ms) ${n}`);
  }
  await ms.close();
  admin.disconnect();
}
