import { settleDatabase } from '../env/postgres.js';
import { median } from '../stats.js';
import { drain, insertJobs, type Metrics, type ScenarioContext } from './context.js';

/** Concurrent bulk-insert calls while filling a backlog: the fill is setup here, not a measurement. */
const FILL_LANES = 4;

/**
 * Scenario 4: with `size` jobs queued, the rate at which one worker claims and completes the
 * first `sample` of them. A store whose claim cost grows with the backlog shows it here.
 * One fill serves `windows` timed drains: between them the backlog is topped up to `size` again
 * (and settled), and each drain gets a fresh worker process. A drain of 10,000 jobs lasts well
 * under a second, so one window is at the mercy of a noisy moment on the machine; the median of
 * several is not, and the slow part, filling a million jobs, is paid once.
 */
export async function backlog(ctx: ScenarioContext, p: { size: number; sample: number; windows: number; chunk: number }): Promise<Metrics> {
  const fillMs = await insertJobs(ctx.client, p.size, p.chunk, FILL_LANES);
  const goal = Math.min(p.sample, p.size);
  const rates: number[] = [];
  let capped = false;
  for (let w = 0; w < Math.max(1, p.windows); w++) {
    if (w > 0) await insertJobs(ctx.client, goal, p.chunk, FILL_LANES);
    // Every library's database gets the same maintenance pass, so the drain measures claiming from
    // a queued backlog rather than the fill's leftover vacuum and checkpoint work.
    if (ctx.env.pgUrl) await settleDatabase(ctx.env.pgUrl);
    const pool = await ctx.workers(1);
    const result = await drain(ctx, pool, goal, p.size - goal, w * goal);
    await pool.stop();
    rates.push(result.jobsPerSec);
    capped ||= result.capped;
    if (result.capped) break;
  }
  return {
    size: p.size,
    sample: goal,
    fillSec: fillMs / 1000,
    jobsPerSec: median(rates),
    windows: rates.map((r) => Math.round(r)).join(' '),
    capped,
  };
}
