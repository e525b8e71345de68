import { serverCpuMs } from '../server-cpu.js';
import { insertJobs, drain, MB, type Metrics, type ScenarioContext } from './context.js';

/**
 * Scenarios 1 and 3: bulk-insert `n` jobs, then one worker process drains them with a no-op
 * handler; reports insert/s, jobs/s and the worker's peak RSS during the drain.
 */
export async function throughput(ctx: ScenarioContext, p: { n: number; chunk: number }): Promise<Metrics> {
  const insertMs = await insertJobs(ctx.client, p.n, p.chunk);
  const pool = await ctx.workers(1);
  const server = { postgres: 'postgres', redis: 'redis-server', embedded: null }[ctx.driver.backend] as 'postgres' | 'redis-server' | null;
  const serverBefore = server && serverCpuMs(server);
  const result = await drain(ctx, pool, p.n, 0);
  const serverAfter = server && serverCpuMs(server);
  const [report] = await pool.stop();
  const facts = (await ctx.client.inspect?.()) ?? {};
  return {
    n: p.n,
    insertPerSec: (p.n / insertMs) * 1000,
    jobsPerSec: result.jobsPerSec,
    drainMs: result.ms,
    capped: result.capped,
    peakRssMb: report.peakRss / MB,
    idleRssMb: report.idleRss / MB,
    // Worker CPU per 1,000 jobs: where a drain's time goes when the worker, not the store, is the limit.
    workerCpuMsPer1k: (report.cpuMs / Math.max(1, report.handled)) * 1000,
    // The database server's CPU over the drain per 1,000 jobs (local server only; it includes
    // whatever else the server did meanwhile, so read it as an estimate).
    ...(serverBefore != null && serverAfter != null ? { serverCpuMsPer1k: ((serverAfter - serverBefore) / p.n) * 1000 } : {}),
    ...facts,
  };
}
