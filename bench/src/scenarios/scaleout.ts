import { drain, insertJobs, type Metrics, type ScenarioContext } from './context.js';

/** Scenario 5: `workers` worker processes on one store drain `n` jobs together. */
export async function scaleout(ctx: ScenarioContext, p: { workers: number; n: number; chunk: number }): Promise<Metrics> {
  await insertJobs(ctx.client, p.n, p.chunk);
  const pool = await ctx.workers(p.workers);
  const result = await drain(ctx, pool, p.n, 0);
  const reports = await pool.stop();
  return {
    workers: p.workers,
    n: p.n,
    jobsPerSec: result.jobsPerSec,
    capped: result.capped,
    // How evenly the work spread: the busiest worker's share.
    maxShare: Math.max(...reports.map((r) => r.handled)) / Math.max(1, p.n),
  };
}
