// Writes schema.sql: the schema a fresh migration produces, so schema changes show up as diffs.
// Usage: pnpm --filter @mainspring/adapter-pg run schema:dump   (DATABASE_URL, default local test db)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pgStore } from '../src/index.js';
import { describeSchema } from './describe-schema.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `mainspring_schema_dump_${process.pid}`;

const store = pgStore({ connectionString: url, schema, listen: false });
const client = new pg.Client({ connectionString: url });
try {
  await store.migrate();
  await client.connect();
  const text = await describeSchema(client, schema);
  const file = fileURLToPath(new URL('../schema.sql', import.meta.url));
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
} finally {
  await client.query(`drop schema if exists "${schema}" cascade`).catch(() => {});
  await client.end().catch(() => {});
  await store.close();
}
