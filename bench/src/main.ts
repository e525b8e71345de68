/**
 * `pnpm bench`: runs every target through every scenario, each run in a fresh process against a
 * fresh database or Redis prefix, and writes bench/results/<timestamp>.json plus a markdown report.
 */
import './hooks/register.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs, USAGE } from './cli.js';
import { loadDriver, TARGET_IDS } from './drivers/index.js';
import type { Driver } from './drivers/types.js';
import { disposeEmbeddedTemplate, prewarmEmbedded } from './env/embedded.js';
import { machineInfo } from './machine.js';
import { measurementsFor, scenariosFor, type Measurement } from './plan.js';
import { bundleChildren } from './run/bundle.js';
import { executeOnce } from './run/execute.js';
import { BENCH_DIR } from './run/spawn.js';
import { compare } from './report/compare.js';
import { writeDocs } from './report/docs.js';
import { checkGoals } from './report/goals.js';
import { toMarkdown } from './report/markdown.js';
import type { BenchResults, MeasurementResult, TargetInfo } from './report/types.js';
import type { Metrics } from './scenarios/context.js';
import { medianRecord, round } from './stats.js';

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function summary(metrics: Metrics): string {
  const keys = ['jobsPerSec', 'insertPerSec', 'p50Ms', 'p99Ms', 'peakRssMb', 'capped'];
  return keys
    .filter((k) => k in metrics)
    .map((k) => `${k}=${typeof metrics[k] === 'number' ? round(metrics[k] as number) : metrics[k]}`)
    .join(' ');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2).filter((a) => a !== '--');
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const opts = parseArgs(argv);
  if (opts.report) return rerender(fromCaller(opts.report), opts.writeDocs);
  const started = new Date();
  const machine = await machineInfo();

  const wanted = TARGET_IDS.filter(
    (id) => (opts.defaults || id.endsWith(':tuned')) && (opts.targets.length === 0 || opts.targets.some((t) => id.includes(t))),
  );
  const targets: TargetInfo[] = [];
  const drivers = new Map<string, Driver>();
  for (const id of wanted) {
    const [lib, variant] = id.split(':');
    try {
      const d = await loadDriver(id);
      drivers.set(id, d);
      const { run, skipped } = scenariosFor(d, opts);
      targets.push({ id, lib: d.lib, backend: d.backend, variant, version: d.version(), settings: d.settings, scenarios: run, skipped, available: true });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      log(`${id}: not available: ${error.split('\n')[0]}`);
      targets.push({ id, lib: lib.startsWith('mainspring') ? 'mainspring' : lib, backend: '', variant, version: 'unknown', settings: {}, scenarios: [], skipped: {}, available: false, error });
    }
  }

  // Runs go round-robin (run 1 of everything, then run 2 ...) so a noisy stretch on the machine
  // spreads over all libraries instead of landing on one.
  // Embedded targets go last, giving their template (below) time to initialise.
  const ordered = [...drivers.values()].sort((a, b) => Number(a.inProcess) - Number(b.inProcess));
  const plan: Measurement[] = ordered.flatMap((d) => measurementsFor(d, opts));
  const bundle = await bundleChildren();
  process.env.BENCH_BUNDLE_DIR = bundle.dir;
  const byKey = new Map<string, { m: Measurement; runs: Metrics[]; errors: string[] }>();
  for (const m of plan) byKey.set(m.key, { m, runs: [], errors: [] });
  // The embedded template takes seconds to initialise: in a full run before any timing starts,
  // in quick mode alongside the first measurements.
  if ([...drivers.values()].some((d) => d.inProcess)) {
    const warm = prewarmEmbedded();
    warm.catch(() => {}); // a failure surfaces in the embedded runs themselves
    if (!opts.quick) await warm;
  }
  const total = plan.length * opts.runs;
  let step = 0;
  const execute = async (m: Measurement, run: number) => {
    const t0 = Date.now();
    const outcome = await executeOnce(m, drivers.get(m.targetId)!, opts.verbose);
    step += 1;
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    const entry = byKey.get(m.key)!;
    const head = `[${step}/${total}] ${m.targetId} ${m.scenario} ${m.label} run ${run}/${opts.runs} (${secs} s):`;
    if (outcome.ok) {
      entry.runs.push(outcome.metrics);
      log(`${head} ${summary(outcome.metrics)}`);
    } else {
      entry.errors.push(outcome.error);
      log(`${head} FAILED ${outcome.error.split('\n').slice(0, 3).join(' | ')}`);
    }
  };
  for (let run = 1; run <= opts.runs; run++) {
    const queue = [...plan];
    const lane = async () => {
      for (let m = queue.shift(); m; m = queue.shift()) await execute(m, run);
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.parallel) }, lane));
  }

  await bundle.dispose();
  await disposeEmbeddedTemplate();

  const measurements: MeasurementResult[] = [...byKey.values()].map(({ m, runs, errors }) => ({
    target: m.targetId,
    scenario: m.scenario,
    label: m.label,
    params: m.params,
    runs,
    errors,
    median: runs.length > 0 ? medianRecord(runs) : null,
  }));
  const finished = new Date();
  const results: BenchResults = {
    schema: 'mainspring-bench/1',
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationSec: Math.round((finished.getTime() - started.getTime()) / 100) / 10,
    mode: opts.quick ? 'quick' : 'full',
    command: ['npx -y pnpm@12.4.2 bench', ...argv].join(' '),
    machine,
    options: opts,
    targets,
    measurements,
    comparisons: compare(targets, measurements),
    goals: checkGoals(measurements, opts),
  };
  const markdown = toMarkdown(results);

  const outDir = opts.out ? fromCaller(opts.out) : join(BENCH_DIR, 'results');
  await mkdir(outDir, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-') + (opts.quick ? '-quick' : '');
  await writeFile(join(outDir, `${stamp}.json`), JSON.stringify(results, null, 2) + '\n');
  await writeFile(join(outDir, `${stamp}.md`), markdown);
  if (opts.writeDocs) await writeDocs(join(BENCH_DIR, '..', 'docs', 'benchmarks.md'), markdown);
  process.stdout.write(`\n${markdown}\nWrote ${join(outDir, `${stamp}.json`)}\n`);
}

/**
 * A path given on the command line, relative to where the user ran the command: `pnpm bench` runs
 * this script from bench/, and pnpm keeps the caller's directory in INIT_CWD.
 */
function fromCaller(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

/** Rebuilds the ratios, goals and markdown of a results file with this version of the report code. */
async function rerender(path: string, docs: boolean): Promise<void> {
  const results = JSON.parse(await readFile(path, 'utf8')) as BenchResults;
  results.comparisons = compare(results.targets, results.measurements);
  results.goals = checkGoals(results.measurements, results.options);
  const markdown = toMarkdown(results);
  await writeFile(path.replace(/\.json$/, '.md'), markdown);
  if (docs) await writeDocs(join(BENCH_DIR, '..', 'docs', 'benchmarks.md'), markdown);
  process.stdout.write(markdown);
}

main().catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
