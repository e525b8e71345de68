import type { Options } from '../cli.js';
import { round } from '../stats.js';
import { num } from './markdown.js';
import { metric, ratio } from './lookup.js';
import type { GoalCheck, MeasurementResult } from './types.js';

const PG = 'mainspring-pg:tuned';
const REDIS = 'mainspring-redis:tuned';

/** The targets issue 6 sets, checked against this run's medians. */
export function checkGoals(ms: MeasurementResult[], opts: Options): GoalCheck[] {
  const goals: GoalCheck[] = [];
  const fmt = (x: number | null, unit = '') => (x === null ? 'not measured' : `${num(x)}${unit}`);
  const atLeast = (x: number | null, min: number) => (x === null ? null : x >= min);
  const atMost = (x: number | null, max: number) => (x === null ? null : x <= max);
  const jps = (id: string) => metric(ms, id, 'throughput', 'jobsPerSec');

  const vsPeer = (ours: string, peer: string, times: number, store: string) => {
    const r = ratio(jps(ours), jps(peer));
    goals.push({
      goal: `${store} store jobs/s ≥ ${times}× ${peer.split(':')[0]}`,
      measured: r === null ? 'not measured' : `${round(r)}× (${fmt(jps(ours))} vs ${fmt(jps(peer))} jobs/s)`,
      met: atLeast(r, times),
    });
  };
  vsPeer(PG, 'graphile-worker:tuned', 1.5, 'Postgres');
  vsPeer(PG, 'pg-boss:tuned', 2, 'Postgres');
  const completed = metric(ms, PG, 'throughput', 'completed');
  const n = metric(ms, PG, 'throughput', 'n');
  goals.push({
    goal: 'Postgres store keeps completed jobs (retention)',
    measured: completed === null ? 'not measured' : `${num(completed)} of ${num(n)} completed jobs kept after the drain`,
    met: completed === null || n === null ? null : completed >= n,
  });
  vsPeer(REDIS, 'bullmq:tuned', 2, 'Redis');

  const latency = (id: string, store: string, p50Max: number, p99Max: number) => {
    const p50 = metric(ms, id, 'latency', 'p50Ms');
    const p99 = metric(ms, id, 'latency', 'p99Ms');
    goals.push({ goal: `${store} enqueue-to-start p50 ≤ ${p50Max} ms`, measured: fmt(p50, ' ms'), met: atMost(p50, p50Max) });
    goals.push({ goal: `${store} enqueue-to-start p99 ≤ ${p99Max} ms`, measured: fmt(p99, ' ms'), met: atMost(p99, p99Max) });
  };
  latency(REDIS, 'Redis', 2, 5);
  latency(PG, 'Postgres', 3, 8);

  for (const [id, store] of [[PG, 'Postgres'], [REDIS, 'Redis']] as const) {
    const rss = metric(ms, id, 'throughput', 'peakRssMb');
    goals.push({
      goal: `${store} worker peak RSS draining ${num(opts.n)} jobs ≤ 100 MB`,
      measured: fmt(rss, ' MB'),
      met: atMost(rss, 100),
    });
  }

  const small = Math.min(...opts.backlog);
  const large = Math.max(...opts.backlog);
  for (const [id, store] of [[PG, 'Postgres'], [REDIS, 'Redis']] as const) {
    const a = metric(ms, id, 'backlog', 'jobsPerSec', `size=${small}`);
    const b = metric(ms, id, 'backlog', 'jobsPerSec', `size=${large}`);
    const r = ratio(b, a);
    const full = small <= 10_000 && large >= 1_000_000;
    goals.push({
      goal: `${store}: throughput with 1M queued within 10% of 10k queued`,
      measured:
        r === null
          ? 'not measured'
          : `${round(r * 100)}% (${fmt(b)} jobs/s at ${num(large)} queued vs ${fmt(a)} at ${num(small)})${full ? '' : ' (sizes differ from the goal)'}`,
      met: r === null || !full ? null : r >= 0.9,
    });
  }
  return goals;
}
