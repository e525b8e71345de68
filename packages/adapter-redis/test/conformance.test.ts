import { runStoreConformance } from '@mainspring/core/testing';
import { redisStore } from '../src/index.js';
import { dropKeys, REDIS_URL, uniquePrefix } from './helpers.js';

runStoreConformance({
  name: 'redis',
  create: () => {
    const store = redisStore({ url: REDIS_URL, prefix: uniquePrefix('conf') });
    const close = store.close.bind(store);
    // Each test gets a fresh prefix; its keys go when the suite closes the store.
    store.close = async () => { await close(); await dropKeys(store.keys.base); };
    return store.migrate().then(() => store);
  },
});
