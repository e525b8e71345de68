import { afterAll } from 'vitest';
import { runStoreConformance } from '@mainspring/core/testing';
import { pgStore } from '@mainspring/adapter-pg';
import { DATABASE_URL, dropSchema, uniqueSchema } from './helpers.js';

const schemas: string[] = [];
afterAll(async () => {
  for (const s of schemas) await dropSchema(s);
});

runStoreConformance({
  name: 'postgres',
  create: async () => {
    const schema = uniqueSchema('conf');
    schemas.push(schema);
    const store = pgStore({ connectionString: DATABASE_URL, schema, max: 4 });
    await store.migrate();
    return store;
  },
});
