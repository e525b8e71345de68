import { runStoreConformance } from '@mainspring/core/testing';
import { Cluster } from 'ioredis';
import { afterAll } from 'vitest';
import { redisStore } from '../src/index.js';
import { uniquePrefix } from './helpers.js';
import { startClusterNode } from './redis-server.js';

// The same suite through an ioredis Cluster client on a cluster-mode server of this file's own. In
// cluster mode Redis 7 fails any `#!lua` script that touches a key outside the slot of its declared
// keys, so this run also proves every key each script derives from the prefix is in that slot.
const node = await startClusterNode();
afterAll(() => node.stop());

runStoreConformance({
  name: 'redis (cluster client)',
  create: async () => {
    const cluster = new Cluster([{ host: '127.0.0.1', port: node.port }]);
    const store = redisStore({ client: cluster, prefix: uniquePrefix('cluster') });
    const close = store.close.bind(store);
    store.close = async () => { await close(); await cluster.quit(); };
    await store.migrate();
    return store;
  },
});
