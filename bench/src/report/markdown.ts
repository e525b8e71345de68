import { round } from '../stats.js';
import { metric } from './lookup.js';
import type { BenchResults, MeasurementResult, TargetInfo } from './types.js';

export function num(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const r = round(x);
  return Math.abs(r) >= 1000 ? r.toLocaleString('en-US') : String(r);
}

function times(x: number | null): string {
  return x === null ? '–' : `${num(x)}×`;
}

/** A markdown table; numeric columns (all but the first unless `text`) align right. */
function table(head: string[], rows: string[][], text = 1): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map((_, i) => (i < text ? '---' : '--:'))), ...rows.map(line)].join('\n');
}

/** Metrics a drain cut short by --max-drain makes partial (insert rates and RSS are still whole). */
const CAPPABLE = new Set(['jobsPerSec', 'p50Ms', 'p95Ms', 'p99Ms']);

/** A metric, marked with * when the drain hit --max-drain before finishing. */
function cell(ms: MeasurementResult[], target: string, scenario: string, key: string, label?: string): string {
  const m = ms.find((x) => x.target === target && x.scenario === scenario && (label === undefined || x.label === label));
  if (m && !m.median) return 'failed';
  const v = metric(ms, target, scenario, key, label);
  return `${num(v)}${m?.median?.capped === true && CAPPABLE.has(key) ? '*' : ''}`;
}

function name(t: TargetInfo): string {
  return `${t.id} (${t.version})`;
}

export function toMarkdown(r: BenchResults): string {
  const ms = r.measurements;
  const ts = r.targets.filter((t) => t.available);
  const out: string[] = [];
  const m = r.machine;
  out.push(
    `Run ${r.startedAt} (${r.mode} mode, ${r.options.runs} run${r.options.runs === 1 ? '' : 's'} per measurement, medians shown), ${Math.round(r.durationSec)} s in all.`,
    `Machine: ${m.nproc} cores (${m.cpuModel}), ${m.totalMemGb} GB RAM, ${m.os}, Node ${m.node}, PostgreSQL ${m.postgres}, Redis ${m.redis}.`,
    `Command: \`${r.command}\``,
    '',
    `### Throughput, latency, memory (${num(r.options.n)} jobs; ${r.options.latencyCount} enqueues ${r.options.latencyIntervalMs} ms apart)`,
    '',
    table(
      ['Target', 'Insert/s', 'Jobs/s', 'p50 ms', 'p95 ms', 'p99 ms', 'Peak RSS MB'],
      ts.map((t) => [
        name(t),
        cell(ms, t.id, 'throughput', 'insertPerSec'),
        cell(ms, t.id, 'throughput', 'jobsPerSec'),
        cell(ms, t.id, 'latency', 'p50Ms'),
        cell(ms, t.id, 'latency', 'p95Ms'),
        cell(ms, t.id, 'latency', 'p99Ms'),
        cell(ms, t.id, 'throughput', 'peakRssMb'),
      ]),
    ),
    '',
    '\\* the drain hit `--max-drain` first; the rate is over the jobs done by then.',
    '',
  );
  if (r.comparisons.length > 0) {
    out.push(
      "### Mainspring's ratio to each peer (above 1 means Mainspring is better)",
      '',
      'Jobs/s is Mainspring ÷ peer; latency and RSS are peer ÷ Mainspring.',
      '',
      table(
        ['Mainspring', 'Peer', 'Jobs/s', 'p50', 'p99', 'Peak RSS'],
        r.comparisons.map((c) => [c.mainspring, c.peer, times(c.jobsPerSec), times(c.p50), times(c.p99), times(c.peakRss)]),
        2,
      ),
      '',
    );
  }
  const backlogTargets = ts.filter((t) => t.scenarios.includes('backlog'));
  if (backlogTargets.length > 0) {
    const sizes = r.options.backlog;
    out.push(
      `### Backlog growth (jobs/s over the first ${num(r.options.backlogSample)} jobs of a queued backlog)`,
      '',
      table(
        ['Target', ...sizes.map((s) => `${s.toLocaleString('en-US')} queued`), 'largest ÷ smallest'],
        backlogTargets.map((t) => {
          const first = metric(ms, t.id, 'backlog', 'jobsPerSec', `size=${Math.min(...sizes)}`);
          const last = metric(ms, t.id, 'backlog', 'jobsPerSec', `size=${Math.max(...sizes)}`);
          return [
            name(t),
            ...sizes.map((s) => cell(ms, t.id, 'backlog', 'jobsPerSec', `size=${s}`)),
            first && last ? `${Math.round((last / first) * 100)}%` : '–',
          ];
        }),
      ),
      '',
    );
  }
  const scaleTargets = ts.filter((t) => t.scenarios.includes('scaleout'));
  if (scaleTargets.length > 0) {
    out.push(
      `### Scale-out (jobs/s, ${num(r.options.n)} jobs, worker processes on one store)`,
      '',
      table(
        ['Target', ...r.options.scaleout.map((w) => `${w} worker${w === 1 ? '' : 's'}`)],
        scaleTargets.map((t) => [name(t), ...r.options.scaleout.map((w) => cell(ms, t.id, 'scaleout', 'jobsPerSec', `workers=${w}`))]),
      ),
      '',
    );
  }
  out.push(
    '### Goals from issue 6',
    '',
    table(
      ['Goal', 'Measured', 'Met'],
      r.goals.map((g) => [g.goal, g.measured, g.met === null ? 'not measured' : g.met ? 'yes' : 'no']),
      3,
    ),
    '',
    '### Settings',
    '',
  );
  for (const t of r.targets) {
    if (!t.available) {
      out.push(`- \`${t.id}\`: not run: ${t.error?.split('\n')[0]}`);
      continue;
    }
    const byReason = new Map<string, string[]>();
    for (const [what, why] of Object.entries(t.skipped)) byReason.set(why, [...(byReason.get(why) ?? []), what]);
    const skipped = [...byReason].map(([why, what]) => `${what.join(', ')} skipped: ${why}`);
    out.push(`- \`${t.id}\` ${t.version}: \`${JSON.stringify(t.settings)}\`${skipped.length ? ` (${skipped.join('; ')})` : ''}`);
  }
  const failures = ms.filter((x) => x.errors.length > 0);
  if (failures.length > 0) {
    out.push('', '### Failed runs', '');
    for (const f of failures) out.push(`- ${f.target} ${f.scenario} ${f.label}: ${f.errors[0].split('\n')[0]}`);
  }
  return out.join('\n') + '\n';
}
