import { runStoreConformance } from '@mainspring/core/testing';
import { memoryStore } from '../src/store/memory.js';

// The memory store must meet the same contract as the Postgres and Redis stores.
runStoreConformance({
  name: 'memory',
  create: () => memoryStore(),
});
