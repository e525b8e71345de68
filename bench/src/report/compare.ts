import { round } from '../stats.js';
import { metric, ratio } from './lookup.js';
import type { Comparison, MeasurementResult, TargetInfo } from './types.js';

/** Mainspring's ratio to every peer run with the same variant (tuned to tuned, defaults to defaults). */
export function compare(targets: TargetInfo[], ms: MeasurementResult[]): Comparison[] {
  const out: Comparison[] = [];
  const ours = targets.filter((t) => t.lib === 'mainspring' && t.available);
  const peers = targets.filter((t) => t.lib !== 'mainspring' && t.available);
  const r = (x: number | null) => (x === null ? null : round(x));
  for (const m of ours) {
    for (const p of peers.filter((x) => x.variant === m.variant)) {
      const get = (id: string, scenario: string, key: string) => metric(ms, id, scenario, key);
      out.push({
        mainspring: m.id,
        peer: p.id,
        jobsPerSec: r(ratio(get(m.id, 'throughput', 'jobsPerSec'), get(p.id, 'throughput', 'jobsPerSec'))),
        p50: r(ratio(get(p.id, 'latency', 'p50Ms'), get(m.id, 'latency', 'p50Ms'))),
        p99: r(ratio(get(p.id, 'latency', 'p99Ms'), get(m.id, 'latency', 'p99Ms'))),
        peakRss: r(ratio(get(p.id, 'throughput', 'peakRssMb'), get(m.id, 'throughput', 'peakRssMb'))),
      });
    }
  }
  return out;
}
