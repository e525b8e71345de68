import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { describeSchema } from '../scripts/describe-schema.js';
import { dropSchema, uniqueSchema, withMigratedStore } from './helpers.js';

const schema = uniqueSchema('dump');
afterAll(() => dropSchema(schema));

it('the committed schema.sql matches what the migrations build (run schema:dump after changing them)', async () => {
  await withMigratedStore(schema, async (_store, client) => {
    const fresh = await describeSchema(client, schema);
    const committed = readFileSync(new URL('../schema.sql', import.meta.url), 'utf8');
    expect(fresh).toBe(committed);
  });
});
