import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, createMainspring, defineJob, silentLogger } from '@mainspring/core';
import { pgStore } from '@mainspring/adapter-pg';
import { loadMigrations } from '../src/migrations.js';
import { DATABASE_URL, dropSchema, uniqueSchema } from './helpers.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/migrate-child.ts', import.meta.url));
const schemas: string[] = [];
afterAll(async () => {
  for (const s of schemas) await dropSchema(s);
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // cwd is the repo root so tsx picks up the workspace tsconfig paths (@mainspring/core → source).
    const p = spawn(process.execPath, ['--import', 'tsx', child, ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('migrations', () => {
  it('are numbered from 0001 without gaps', () => {
    const list = loadMigrations();
    expect(list.length).toBeGreaterThan(0);
    expect(list.map((m) => m.version)).toEqual(list.map((_, i) => i + 1));
  });

  it('apply each step exactly once when five processes migrate at the same moment', async () => {
    const schema = uniqueSchema('mig');
    schemas.push(schema);
    const barrier = Math.floor(Math.random() * 1e9);
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    try {
      await admin.query('select pg_advisory_lock($1)', [barrier]);
      const children = Array.from({ length: 5 }, () => run([DATABASE_URL, schema, String(barrier)]));
      // Release the barrier only once all five wait on it, so their migrations truly overlap.
      for (;;) {
        const { rows } = await admin.query(
          `select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = $1 and not granted`,
          [barrier],
        );
        if (rows[0].n === 5) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await admin.query('select pg_advisory_unlock($1)', [barrier]);
      const results = await Promise.all(children);
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const applied = results.flatMap((r) => JSON.parse(r.stdout.trim().split('\n').pop()!) as number[]);
      const versions = loadMigrations().map((m) => m.version);
      expect(applied.sort((a, b) => a - b)).toEqual(versions);
      const { rows } = await admin.query(`select version from "${schema}".migrations order by version`);
      expect(rows.map((r) => r.version)).toEqual(versions);
    } finally {
      await admin.end();
    }
  });

  it('is a no-op on an up-to-date schema and leaves data alone', async () => {
    const schema = uniqueSchema('mig');
    schemas.push(schema);
    const store = pgStore({ connectionString: DATABASE_URL, schema, listen: false });
    try {
      await store.migrate();
      const [{ job }] = await store.insert({ jobs: [{ name: 'a', queue: 'q', payload: 1, priority: 0, maxAttempts: 1 }] });
      await store.migrate();
      expect((await store.get({ id: job.id }))?.id).toBe(job.id);
    } finally {
      await store.close();
    }
  });

  it('migrates on first use unless told not to', async () => {
    const schema = uniqueSchema('mig');
    schemas.push(schema);
    const lazy = pgStore({ connectionString: DATABASE_URL, schema, listen: false, migrate: false });
    try {
      await expect(lazy.counts({})).rejects.toThrow(/does not exist/);
    } finally {
      await lazy.close();
    }
    const eager = pgStore({ connectionString: DATABASE_URL, schema, listen: false });
    try {
      expect((await eager.counts({})).pending).toBe(0);
    } finally {
      await eager.close();
    }
  });

  it('with migrate: false, createMainspring leaves migrating to the user; after an explicit migrate() it works', async () => {
    const schema = uniqueSchema('mig');
    schemas.push(schema);
    const store = pgStore({ connectionString: DATABASE_URL, schema, listen: false, migrate: false });
    const job = defineJob<{ n: number }>({ name: 'explicit' });
    const ms = createMainspring({ store, jobs: [job], logger: silentLogger });
    try {
      await expect(ms.enqueue(job, { n: 1 })).rejects.toThrow(/does not exist/);
      await store.migrate(); // the deploy step
      expect((await ms.enqueue(job, { n: 1 })).state).toBe('pending');
    } finally {
      await ms.close();
    }
  });

  it('refuses a bad schema name with a clear error before touching the database', () => {
    for (const bad of ['', 'x"; drop table jobs; --', '1abc', 'a-b', 'pg_catalog', 'a'.repeat(64)]) {
      expect(() => pgStore({ connectionString: DATABASE_URL, schema: bad })).toThrow(ConfigError);
      expect(() => pgStore.embedded('memory://', { schema: bad })).toThrow(/Invalid Postgres schema name/);
    }
  });
});
