import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { pgStore } from '@mainspring/adapter-pg';
import { describeSchema } from '../scripts/describe-schema.js';
import { DATABASE_URL, dropSchema, uniqueSchema } from './helpers.js';

const schema = uniqueSchema('dump');
afterAll(() => dropSchema(schema));

it('the committed schema.sql matches what the migrations build (run schema:dump after changing them)', async () => {
  const store = pgStore({ connectionString: DATABASE_URL, schema, listen: false });
  const client = new pg.Client({ connectionString: DATABASE_URL });
  try {
    await store.migrate();
    await client.connect();
    const fresh = await describeSchema(client, schema);
    const committed = readFileSync(new URL('../schema.sql', import.meta.url), 'utf8');
    expect(fresh).toBe(committed);
  } finally {
    await client.end();
    await store.close();
  }
});
