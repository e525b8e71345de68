import { nowMs, sleep } from '../clock.js';
import { percentile } from '../stats.js';
import type { Metrics, ScenarioContext } from './context.js';

/** Time a started worker gets to settle (LISTEN, first empty poll) before the first enqueue. */
const SETTLE_MS = 300;

/**
 * Scenario 2: an idle worker; `count` single enqueues `intervalMs` apart from another process;
 * enqueue-to-handler-start percentiles. Each payload carries its enqueue time on the machine-wide
 * monotonic clock, taken just before the enqueue call, so the insert's own round trip counts.
 */
export async function latency(ctx: ScenarioContext, p: { count: number; intervalMs: number }): Promise<Metrics> {
  const pool = await ctx.workers(1);
  pool.go(p.count);
  await pool.started();
  await sleep(SETTLE_MS);
  const start = nowMs();
  for (let i = 0; i < p.count; i++) {
    const wait = start + i * p.intervalMs - nowMs();
    if (wait > 0) await sleep(wait);
    await ctx.client.insertOne({ i, t: nowMs() });
  }
  const complete = await pool.waitHandled(p.count, Date.now() + ctx.maxDrainMs);
  const [report] = await pool.stop();
  const xs = report.latencies;
  return {
    count: p.count,
    received: xs.length,
    capped: !complete,
    p50Ms: percentile(xs, 50),
    p95Ms: percentile(xs, 95),
    p99Ms: percentile(xs, 99),
    maxMs: Math.max(...xs),
  };
}
