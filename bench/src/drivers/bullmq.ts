import { Queue, Worker } from 'bullmq';
import type { BenchEnv, BenchPayload, Driver, Variant } from './types.js';
import { installedVersion } from './version.js';

const QUEUE = 'bench';

/**
 * BullMQ's tuned run raises the local concurrency factor, its documented lever for I/O-bound
 * throughput (batches are a BullMQ Pro feature). 100 drained at least as fast as 50 or 200 here.
 */
const SETTINGS: Record<Variant, { concurrency?: number }> = {
  tuned: { concurrency: 100 },
  defaults: {},
};

function connection(env: BenchEnv) {
  if (!env.redis) throw new Error('bullmq needs a redis environment');
  // A worker's blocking connection must never give up on a command (BullMQ requires null here).
  return { host: env.redis.host, port: env.redis.port, db: env.redis.db, maxRetriesPerRequest: null };
}

export function bullmqDriver(variant: Variant): Driver {
  const settings = SETTINGS[variant];
  return {
    id: `bullmq:${variant}`,
    lib: 'bullmq',
    backend: 'redis',
    variant,
    version: () => installedVersion('bullmq'),
    settings: {
      worker: variant === 'tuned' ? settings : 'new Worker(queue, handler) with no options (concurrency 1)',
      bulkInsert: 'Queue.addBulk',
      completedJobs: 'kept (removeOnComplete unset, the default)',
    },
    inProcess: false,
    async openClient(env) {
      const queue = new Queue(QUEUE, { connection: connection(env), prefix: env.redis!.prefix });
      return {
        async prepare() {
          await queue.waitUntilReady();
        },
        async insertMany(payloads) {
          await queue.addBulk(payloads.map((data) => ({ name: 'noop', data })));
        },
        async insertOne(payload) {
          await queue.add('noop', payload);
        },
        async unfinished() {
          const c = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children');
          return Object.values(c).reduce((a, b) => a + b, 0);
        },
        async finished() {
          const c = await queue.getJobCounts('completed', 'failed');
          return (c.completed ?? 0) + (c.failed ?? 0);
        },
        async inspect() {
          const c = await queue.getJobCounts('completed', 'failed');
          return { completed: c.completed ?? 0, failed: c.failed ?? 0 };
        },
        async close() {
          await queue.close();
        },
      };
    },
    async openWorker(env, onJob) {
      // Connected up front and started on demand, so a drain's clock excludes connection setup.
      const worker = new Worker(
        QUEUE,
        async (job) => {
          onJob(job.data as BenchPayload);
        },
        { connection: connection(env), prefix: env.redis!.prefix, autorun: false, ...settings },
      );
      worker.on('error', (err) => process.stderr.write(`bullmq worker error: ${err.message}\n`));
      await worker.waitUntilReady();
      let running: Promise<void> | null = null;
      return {
        async start() {
          running = worker.run();
        },
        async stop() {
          await worker.close();
          await running;
        },
      };
    },
  };
}
