import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { SqlExecutor } from './executor/types.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

// src/ (tests, tsx) and dist/ (built) both sit one level under the package root, next to migrations/.
function migrationsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', 'migrations'), join(here, '..', '..', 'migrations')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`@mainspring/adapter-pg: migrations folder not found next to ${here}`);
}

let cached: Migration[] | null = null;

/** The package's migrations in version order, read once per process. */
export function loadMigrations(): Migration[] {
  if (cached) return cached;
  const dir = migrationsDir();
  const list = readdirSync(dir)
    .map((file) => FILE.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ version: Number(m[1]), name: m[2], sql: readFileSync(join(dir, m[0]), 'utf8') }))
    .sort((a, b) => a.version - b.version);
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`@mainspring/adapter-pg: migration ${i + 1} is missing (found ${m.version})`);
  });
  cached = list;
  return list;
}

// Arbitrary class id for pg_advisory_xact_lock(int, int); the second key is the schema's hash.
const LOCK_CLASS = 0x6d73; // "ms"

/**
 * Applies pending migrations in one transaction under an advisory lock, so any number of
 * processes may call it at once: the first applies each step, the rest wait and find nothing to do.
 */
export async function migrate(db: SqlExecutor, schema: string, quoted: string): Promise<number[]> {
  const migrations = loadMigrations();
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, schema]);
    await tx.query(`create schema if not exists ${quoted}`);
    await tx.query(
      `create table if not exists ${quoted}.migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`,
    );
    const rows = await tx.query<{ version: number }>(`select version from ${quoted}.migrations`);
    const done = new Set(rows.map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      // Migration files use unqualified names; this points them at the store's schema.
      await tx.query(`set local search_path to ${quoted}`);
      await tx.exec(m.sql);
      await tx.query('reset search_path');
      await tx.query(`insert into ${quoted}.migrations (version, name) values ($1, $2)`, [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
