import type { ScenarioName } from './run/protocol.js';

export interface Options {
  quick: boolean;
  n: number;
  runs: number;
  chunk: number;
  backlog: number[];
  backlogSample: number;
  /** Timed drains per backlog fill, the backlog topped up to its size before each (the fill is the slow part). */
  backlogWindows: number;
  scaleout: number[];
  latencyCount: number;
  latencyIntervalMs: number;
  maxDrainMs: number;
  /** Substrings; a target runs when its id contains any of them (all when empty). */
  targets: string[];
  scenarios: ScenarioName[];
  /** Also run every library with its defaults (full mode does, quick mode does not). */
  defaults: boolean;
  /** Measurements run at once; above 1 only makes sense in quick mode, where speed is not the point. */
  parallel: number;
  out: string | null;
  /** Re-render this results JSON (tables, ratios, goals) instead of measuring. */
  report: string | null;
  writeDocs: boolean;
  verbose: boolean;
}

export const USAGE = `Usage: pnpm bench [options]
  --quick                 small sizes, tuned settings only, one run (checks the harness works; < 2 min)
  --n <int>               jobs inserted and drained in throughput and scale-out (default 20000; quick 500)
  --runs <int>            runs of every measurement; the report shows medians (default 3; quick 1)
  --backlog <list>        queued sizes for the backlog scenario (default 10000,100000,1000000; quick 500,1500)
  --backlog-sample <int>  jobs timed from each backlog (default 10000; quick 250)
  --backlog-windows <int> timed drains per backlog fill, topped up in between; the median counts (default 3; quick 1)
  --scaleout <list>       worker process counts (default 1,2,4; quick 2)
  --latency-count <int>   single enqueues in the latency scenario (default 300; quick 30)
  --latency-interval <ms> gap between them (default 10)
  --chunk <int>           jobs per bulk-insert call (default 5000; quick 1000)
  --max-drain <s>         a drain still running after this reports the rate it reached (default 60; quick 20)
  --targets <list>        only targets whose id contains one of these, e.g. mainspring,bullmq:tuned
  --scenarios <list>      throughput,latency,backlog,scaleout (default all)
  --no-defaults           skip the runs with each library's default settings
  --parallel <int>        measurements run at once (default 1; quick 2, since quick numbers are not compared)
  --out <dir>             where the JSON and markdown go (default bench/results)
  --write-docs            also put the tables into docs/benchmarks.md
  --report <file.json>    measure nothing: re-render a results file's markdown (with --write-docs, into the docs too)
  --verbose               echo every child process's output`;

const SCENARIOS: ScenarioName[] = ['throughput', 'latency', 'backlog', 'scaleout'];

function int(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer, got ${v}`);
  return n;
}

function list(flag: string, v: string | undefined): number[] {
  if (!v) throw new Error(`${flag} needs a comma-separated list`);
  return v.split(',').map((x) => int(flag, x.replace(/_/g, '')));
}

export function parseArgs(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const o: Options = {
    quick,
    n: quick ? 500 : 20_000,
    runs: quick ? 1 : 3,
    chunk: quick ? 1000 : 5000,
    backlog: quick ? [500, 1500] : [10_000, 100_000, 1_000_000],
    backlogSample: quick ? 250 : 10_000,
    backlogWindows: quick ? 1 : 3,
    scaleout: quick ? [2] : [1, 2, 4],
    latencyCount: quick ? 30 : 300,
    latencyIntervalMs: 10,
    maxDrainMs: (quick ? 20 : 60) * 1000,
    targets: [],
    scenarios: [...SCENARIOS],
    defaults: !quick,
    parallel: quick ? 2 : 1,
    out: null,
    report: null,
    writeDocs: false,
    verbose: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = () => argv[++i];
    switch (flag) {
      case '--quick':
        break;
      case '--n': o.n = int(flag, next()); break;
      case '--runs': o.runs = int(flag, next()); break;
      case '--chunk': o.chunk = int(flag, next()); break;
      case '--backlog': o.backlog = list(flag, next()); break;
      case '--backlog-sample': o.backlogSample = int(flag, next()); break;
      case '--backlog-windows': o.backlogWindows = int(flag, next()); break;
      case '--scaleout': o.scaleout = list(flag, next()); break;
      case '--latency-count': o.latencyCount = int(flag, next()); break;
      case '--latency-interval': o.latencyIntervalMs = int(flag, next()); break;
      case '--max-drain': o.maxDrainMs = int(flag, next()) * 1000; break;
      case '--targets': o.targets = (next() ?? '').split(',').filter(Boolean); break;
      case '--scenarios': {
        const names = (next() ?? '').split(',').filter(Boolean);
        for (const s of names) if (!SCENARIOS.includes(s as ScenarioName)) throw new Error(`unknown scenario ${s}`);
        o.scenarios = names as ScenarioName[];
        break;
      }
      case '--defaults': o.defaults = true; break;
      case '--no-defaults': o.defaults = false; break;
      case '--parallel': o.parallel = int(flag, next()); break;
      case '--out': o.out = next() ?? null; break;
      case '--report': o.report = next() ?? null; break;
      case '--write-docs': o.writeDocs = true; break;
      case '--verbose': o.verbose = true; break;
      case '--': break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return o;
}
