// Store-level profile: Redis CPU and Node CPU per job for claim and complete, separately.
// Run: bench/node_modules/.bin/tsx --tsconfig tsconfig.json packages/adapter-redis/scripts/prof-store.mts
import { claimAll, filledStore, N } from './prof-fixture.mjs';

const B = Number(process.env.B ?? 250);
const { store, admin, cleanup } = await filledStore('profs');
const rcpu = async () => {
  const s = await admin.info('cpu');
  return (Number(/used_cpu_sys:([\d.]+)/.exec(s)![1]) + Number(/used_cpu_user:([\d.]+)/.exec(s)![1])) * 1000;
};
async function phase<T>(label: string, fn: () => Promise<T>): Promise<T> {
  await admin.config('RESETSTAT');
  const r0 = await rcpu();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await fn();
  const t = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const r = (await rcpu()) - r0;
  const stats = await admin.info('commandstats');
  const per = (cmd: string) => { const m = new RegExp(`cmdstat_${cmd}:calls=(\\d+),usec=(\\d+)`).exec(stats); return m ? Number(m[2]) / N : 0; };
  const cmds = [...stats.matchAll(/cmdstat_(\w+):calls=(\d+),usec=(\d+)/g)].filter((m) => m[1] !== 'evalsha' && m[1] !== 'info' && m[1] !== 'config').map((m) => `${m[1]} ${(Number(m[2]) / N).toFixed(2)}x ${(Number(m[3]) / N).toFixed(2)}us`);
  console.log(`  evalsha ${per('evalsha').toFixed(1)} us/job; ${cmds.join(', ')}`);
  console.log(`${label}: ${t.toFixed(0)} ms wall, redis ${((r / N) * 1000).toFixed(1)} us/job, node ${(((c.user + c.system) / 1000 / N) * 1000).toFixed(1)} us/job`);
  return out;
}
const jobs = await phase('claim', () => claimAll(store, B));
await phase('complete', async () => {
  for (let i = 0; i < jobs.length; i += B)
    await store.complete({ workerId: 'w1', items: jobs.slice(i, i + B).map((j) => ({ id: j.id, attempt: j.attempts, result: null, logs: [] })) });
});
console.log('claimed', jobs.length);
await cleanup();
