import { createMainspring, defineJob, silentLogger, type Mainspring, type Store } from '@mainspring/core';
import type { Backend, BenchClient, BenchEnv, BenchPayload, Driver, Variant } from './types.js';
import { installedVersion } from './version.js';

/**
 * Mainspring tuned: concurrency 50 and a local prefetch of 950, so claims come in batches of about
 * 500 (a claim goes out once half the room is free), like pg-boss's batchSize of 500 and Graphile
 * Worker's localQueue of 500; everything else is its defaults.
 */
const TUNED = { concurrency: 50, prefetch: 950 };

/** Jobs route to whatever sink the current worker installed (the embedded store shares one instance). */
function benchJob(sink: { onJob: (p: BenchPayload) => void }) {
  return defineJob<BenchPayload, void>({
    name: 'noop',
    queue: 'bench',
    handler: async (payload) => {
      sink.onJob(payload);
    },
  });
}

async function openStore(backend: Backend, env: BenchEnv): Promise<Store> {
  if (backend === 'postgres') {
    const { pgStore } = await import('@mainspring/adapter-pg');
    return pgStore({ connectionString: env.pgUrl! });
  }
  if (backend === 'embedded') {
    const { pgStore } = await import('@mainspring/adapter-pg');
    return pgStore.embedded(env.dataDir!);
  }
  const { redisStore } = await import('@mainspring/adapter-redis');
  const r = env.redis!;
  return redisStore({ url: `redis://${r.host}:${r.port}/${r.db}`, prefix: r.prefix });
}

interface MainspringClient extends BenchClient {
  ms: Mainspring;
  sink: { onJob: (p: BenchPayload) => void };
}

async function open(backend: Backend, env: BenchEnv): Promise<MainspringClient> {
  const sink = { onJob: (_p: BenchPayload) => {} };
  const job = benchJob(sink);
  const ms = createMainspring({ store: await openStore(backend, env), jobs: [job], logger: silentLogger });
  return {
    ms,
    sink,
    prepare: () => ms.ready(),
    async insertMany(payloads) {
      await ms.enqueueMany(job, payloads.map((payload) => ({ payload })));
    },
    async insertOne(payload) {
      await ms.enqueue(job, payload);
    },
    async unfinished() {
      const c = await ms.countJobs({});
      return c.pending + c.active;
    },
    async finished() {
      // Metrics read only jobs finished within the window, not the whole table.
      const m = await ms.metrics({ window: '7d' });
      return m.completed + m.failed;
    },
    async inspect() {
      const c = await ms.countJobs({});
      return { completed: c.completed, failed: c.failed };
    },
    close: () => ms.close(),
  };
}

export function mainspringDriver(backend: Backend, variant: Variant): Driver {
  const name = { postgres: 'pg', redis: 'redis', embedded: 'embedded' }[backend];
  return {
    id: `mainspring-${name}:${variant}`,
    lib: 'mainspring',
    backend,
    variant,
    version: () => installedVersion('@mainspring/core'),
    settings: {
      store: { postgres: 'pgStore({ connectionString })', redis: 'redisStore({ url, prefix })', embedded: 'pgStore.embedded(dir)' }[backend],
      start: variant === 'tuned' ? TUNED : 'start() with no options (concurrency 5)',
      bulkInsert: 'enqueueMany',
      completedJobs: 'kept (retention default, 7 days)',
    },
    inProcess: backend === 'embedded',
    openClient: (env) => open(backend, env),
    async openWorker(env, onJob, shared) {
      // The embedded database allows one process, so its worker runs on the coordinator's instance.
      const client = shared ? (shared as MainspringClient) : await open(backend, env);
      client.sink.onJob = onJob;
      if (!shared) await client.prepare();
      return {
        start: () => client.ms.start(variant === 'tuned' ? TUNED : {}),
        async stop() {
          await client.ms.stop();
          if (!shared) await client.ms.close();
        },
      };
    },
  };
}
