import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli.js';
import { checkGoals } from '../src/report/goals.js';
import type { MeasurementResult } from '../src/report/types.js';
import { median, medianRecord, percentile } from '../src/stats.js';

describe('stats', () => {
  it('takes medians and nearest-rank percentiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
  });

  it('medians every numeric field of several runs and ORs the capped flags', () => {
    const m = medianRecord([
      { jobsPerSec: 100, capped: false, note: 'a' },
      { jobsPerSec: 300, capped: true, note: 'b' },
      { jobsPerSec: 200, capped: false, note: 'c' },
    ]);
    expect(m).toEqual({ jobsPerSec: 200, capped: true, note: 'a' });
  });
});

describe('options', () => {
  it('uses the full sizes by default and small ones with --quick', () => {
    const full = parseArgs([]);
    expect(full).toMatchObject({ n: 20_000, runs: 3, backlog: [10_000, 100_000, 1_000_000], scaleout: [1, 2, 4], defaults: true });
    const quick = parseArgs(['--quick']);
    expect(quick.quick).toBe(true);
    expect(quick.runs).toBe(1);
    expect(quick.defaults).toBe(false);
    expect(quick.n).toBeLessThan(full.n);
  });

  it('reads lists and rejects unknown options', () => {
    expect(parseArgs(['--backlog', '10_000,100000', '--targets', 'mainspring,bullmq:tuned']).backlog).toEqual([10_000, 100_000]);
    expect(() => parseArgs(['--n', '0'])).toThrow(/positive integer/);
    expect(() => parseArgs(['--scenarios', 'nope'])).toThrow(/unknown scenario/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option/);
  });
});

describe('goals', () => {
  const row = (target: string, scenario: string, median: Record<string, number>, label = ''): MeasurementResult => ({
    target, scenario, label, params: {}, runs: [median], errors: [], median,
  });

  it('checks the ratios and limits issue 6 sets', () => {
    const ms = [
      row('mainspring-pg:tuned', 'throughput', { jobsPerSec: 30_000, peakRssMb: 80, completed: 20_000, n: 20_000 }),
      row('graphile-worker:tuned', 'throughput', { jobsPerSec: 12_000 }),
      row('pg-boss:tuned', 'throughput', { jobsPerSec: 16_000 }),
      row('mainspring-pg:tuned', 'latency', { p50Ms: 2.5, p99Ms: 9 }),
      row('mainspring-pg:tuned', 'backlog', { jobsPerSec: 10_000 }, 'size=10000'),
      row('mainspring-pg:tuned', 'backlog', { jobsPerSec: 9_500 }, 'size=1000000'),
    ];
    const goals = checkGoals(ms, parseArgs([]));
    const met = (prefix: string) => goals.find((g) => g.goal.startsWith(prefix))?.met;
    expect(met('Postgres store jobs/s ≥ 1.5× graphile-worker')).toBe(true);
    expect(met('Postgres store jobs/s ≥ 2× pg-boss')).toBe(false);
    expect(met('Postgres store keeps completed jobs')).toBe(true);
    expect(met('Postgres enqueue-to-start p50')).toBe(true);
    expect(met('Postgres enqueue-to-start p99')).toBe(false);
    expect(met('Postgres worker peak RSS')).toBe(true);
    expect(met('Postgres: throughput with 1M queued')).toBe(true);
    expect(met('Redis store jobs/s')).toBeNull();
  });
});

describe('command-line paths', () => {
  // `pnpm bench` runs main.ts from bench/, so a path the user typed is relative to where they ran it.
  it('reads --report relative to the directory the command was run from', async () => {
    const benchDir = fileURLToPath(new URL('..', import.meta.url));
    const tsxLoader = createRequire(join(benchDir, 'package.json')).resolve('tsx');
    const results = (await readdir(join(benchDir, 'results'))).filter((f) => f.endsWith('.json')).sort();
    const dir = await mkdtemp(join(tmpdir(), 'bench-report-'));
    try {
      await copyFile(join(benchDir, 'results', results.at(-1)!), join(dir, 'run.json'));
      const code = await new Promise<number | null>((done, fail) => {
        const child = spawn(process.execPath, ['--import', tsxLoader, 'src/main.ts', '--report', 'run.json'], {
          cwd: benchDir,
          env: { ...process.env, INIT_CWD: dir },
          stdio: 'ignore',
        });
        child.on('error', fail);
        child.on('exit', done);
      });
      expect(code).toBe(0);
      expect(await readFile(join(dir, 'run.md'), 'utf8')).toContain('Goals from issue 6');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
