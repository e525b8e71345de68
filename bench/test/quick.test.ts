/**
 * Runs `pnpm bench --quick` end to end and checks the shape of what it writes. It asserts that
 * every library and every scenario produced numbers, never how fast they were: this machine is
 * shared and noisy, and the harness, not the speed, is what CI checks.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const tsxLoader = createRequire(join(benchDir, 'package.json')).resolve('tsx');

interface Measurement {
  target: string;
  scenario: string;
  label: string;
  errors: string[];
  median: Record<string, number | string | boolean> | null;
}

function runQuick(out: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, 'src/main.ts', '--quick', '--out', out], {
      cwd: benchDir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

const EXPECTED_TARGETS = [
  'mainspring-pg:tuned',
  'mainspring-redis:tuned',
  'mainspring-embedded:tuned',
  'graphile-worker:tuned',
  'pg-boss:tuned',
  'bullmq:tuned',
];

const POSITIVE: Record<string, string[]> = {
  throughput: ['insertPerSec', 'jobsPerSec', 'peakRssMb'],
  latency: ['p50Ms', 'p95Ms', 'p99Ms'],
  backlog: ['jobsPerSec'],
  scaleout: ['jobsPerSec'],
};

describe('pnpm bench --quick', () => {
  let out = '';
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('measures every library in every scenario and writes the JSON and markdown reports', async () => {
    out = await mkdtemp(join(tmpdir(), 'bench-quick-'));
    const { code, stderr } = await runQuick(out);
    expect(code, stderr).toBe(0);

    const files = await readdir(out);
    const json = files.find((f) => f.endsWith('-quick.json'));
    const md = files.find((f) => f.endsWith('-quick.md'));
    expect(json, files.join(', ')).toBeDefined();
    expect(md, files.join(', ')).toBeDefined();

    const r = JSON.parse(await readFile(join(out, json!), 'utf8'));
    expect(r.schema).toBe('mainspring-bench/1');
    expect(r.mode).toBe('quick');
    expect(r.machine.nproc).toBeGreaterThan(0);
    expect(r.targets.map((t: { id: string }) => t.id)).toEqual(EXPECTED_TARGETS);
    for (const t of r.targets) {
      expect(t.available, `${t.id}: ${t.error}`).toBe(true);
      expect(t.version).not.toBe('unknown');
    }

    const measurements = r.measurements as Measurement[];
    for (const t of r.targets as { id: string; scenarios: string[] }[]) {
      for (const scenario of t.scenarios) {
        const rows = measurements.filter((m) => m.target === t.id && m.scenario === scenario);
        expect(rows.length, `${t.id} ${scenario}`).toBeGreaterThan(0);
        for (const m of rows) {
          expect(m.errors, `${m.target} ${m.scenario} ${m.label}`).toEqual([]);
          for (const key of POSITIVE[scenario]) {
            expect(m.median?.[key], `${m.target} ${m.scenario} ${m.label} ${key}`).toBeGreaterThan(0);
          }
        }
      }
    }
    // Every job of the latency scenario reached a handler, so its percentiles cover all of them.
    for (const m of measurements.filter((x) => x.scenario === 'latency')) {
      expect(m.median?.received, m.target).toBe(m.median?.count);
    }
    // Every Mainspring store is compared with every peer.
    expect(r.comparisons).toHaveLength(9);
    for (const c of r.comparisons) expect(c.jobsPerSec, `${c.mainspring} vs ${c.peer}`).toBeGreaterThan(0);
    expect(r.goals.length).toBeGreaterThan(0);

    const markdown = await readFile(join(out, md!), 'utf8');
    expect(markdown).toContain('| Target | Insert/s | Jobs/s |');
    expect(markdown).toContain("Mainspring's ratio to each peer");
  }, 300_000);
});
