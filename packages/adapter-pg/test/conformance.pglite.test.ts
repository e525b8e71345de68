import { afterAll } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { runStoreConformance } from '@mainspring/core/testing';
import { pgStore } from '@mainspring/adapter-pg';

// One embedded database for the file (starting PGlite takes seconds); each test gets a fresh schema.
const db = new PGlite('memory://');
afterAll(() => db.close());

let n = 0;
runStoreConformance({
  name: 'pglite',
  create: async () => {
    const store = pgStore.embedded(db, { schema: `conf_${n++}` });
    await store.migrate();
    return store;
  },
});
