import type { Options } from './cli.js';
import type { Driver } from './drivers/types.js';
import type { ScenarioName } from './run/protocol.js';

/** One measurement: a target, a scenario and its parameters; repeated `runs` times. */
export interface Measurement {
  targetId: string;
  scenario: ScenarioName;
  params: Record<string, number>;
  /** Stable key grouping the runs of the same measurement. */
  key: string;
  /** Short human label of the parameters, e.g. `size=100000`. */
  label: string;
}

/** The scenarios a target takes part in, and why it skips the others. */
export function scenariosFor(driver: Driver, opts: Options): { run: ScenarioName[]; skipped: Record<string, string> } {
  const skipped: Record<string, string> = {};
  const run = opts.scenarios.filter((s) => {
    if (driver.variant === 'defaults' && (s === 'backlog' || s === 'scaleout')) {
      skipped[s] = 'defaults are measured for throughput and latency only';
      return false;
    }
    if (driver.inProcess && opts.quick && s === 'backlog') {
      skipped[s] = 'quick mode: an embedded database is slow to open, and throughput runs the same path';
      return false;
    }
    if (driver.inProcess && s === 'backlog' && opts.backlog.some((x) => x > EMBEDDED_MAX_BACKLOG)) {
      skipped['backlog above 100k'] = 'an embedded database takes many minutes to fill it';
    }
    if (driver.inProcess && s === 'scaleout') {
      skipped[s] = 'an embedded database lives in one process';
      return false;
    }
    return true;
  });
  return { run, skipped };
}

/** Backlogs an embedded database fills in reasonable time (it inserts at about a thousand jobs/s). */
export const EMBEDDED_MAX_BACKLOG = 100_000;

/** A drain with default settings that poll slowly only needs long enough to show its rate. */
const DEFAULTS_MAX_DRAIN_MS = 30_000;

/** Every measurement for one target, in report order. */
export function measurementsFor(driver: Driver, opts: Options): Measurement[] {
  const maxDrainMs = driver.variant === 'defaults' ? Math.min(opts.maxDrainMs, DEFAULTS_MAX_DRAIN_MS) : opts.maxDrainMs;
  const common = { maxDrainMs };
  const out: Measurement[] = [];
  const add = (scenario: ScenarioName, params: Record<string, number>, label: string) =>
    out.push({ targetId: driver.id, scenario, params: { ...params, ...common }, key: `${driver.id}|${scenario}|${label}`, label });
  for (const s of scenariosFor(driver, opts).run) {
    if (s === 'throughput') add(s, { n: opts.n, chunk: opts.chunk }, `n=${opts.n}`);
    if (s === 'latency') add(s, { count: opts.latencyCount, intervalMs: opts.latencyIntervalMs }, `count=${opts.latencyCount}`);
    if (s === 'backlog')
      for (const size of opts.backlog.filter((x) => !driver.inProcess || x <= EMBEDDED_MAX_BACKLOG)) add(s, { size, sample: opts.backlogSample, windows: opts.backlogWindows, chunk: opts.chunk }, `size=${size}`);
    if (s === 'scaleout')
      for (const workers of opts.scaleout) add(s, { workers, n: opts.n, chunk: opts.chunk }, `workers=${workers}`);
  }
  return out;
}

/** A hard limit for one scenario process, generous enough for slow inserts (at least 1,000 jobs/s). */
export function timeoutMs(m: Measurement): number {
  const p = m.params;
  const jobs = (p.n ?? 0) + (p.size ?? 0) + (p.count ?? 0) * 2 + (p.sample ?? 0) * ((p.windows ?? 1) - 1);
  return 90_000 + p.maxDrainMs * (p.windows ?? 1) + jobs + (p.count ?? 0) * (p.intervalMs ?? 0);
}
