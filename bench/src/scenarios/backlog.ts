import { settleDatabase } from '../env/postgres.js';
import { drain, insertJobs, type Metrics, type ScenarioContext } from './context.js';

/** Concurrent bulk-insert calls while filling a backlog: the fill is setup here, not a measurement. */
const FILL_LANES = 4;

/**
 * Scenario 4: with `size` jobs queued, the rate at which one worker claims and completes the
 * first `sample` of them. A store whose claim cost grows with the backlog shows it here.
 */
export async function backlog(ctx: ScenarioContext, p: { size: number; sample: number; chunk: number }): Promise<Metrics> {
  const fillMs = await insertJobs(ctx.client, p.size, p.chunk, FILL_LANES);
  // Every library's database gets the same maintenance pass, so the drain measures claiming from
  // a queued backlog rather than the fill's leftover vacuum and checkpoint work.
  if (ctx.env.pgUrl) await settleDatabase(ctx.env.pgUrl);
  const goal = Math.min(p.sample, p.size);
  const pool = await ctx.workers(1);
  const result = await drain(ctx, pool, goal, p.size - goal);
  await pool.stop();
  return {
    size: p.size,
    sample: goal,
    fillSec: fillMs / 1000,
    jobsPerSec: result.jobsPerSec,
    capped: result.capped,
  };
}
