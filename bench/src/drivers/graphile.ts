import { Logger, makeWorkerUtils, run, type Runner, type WorkerUtils } from 'graphile-worker';
import pg from 'pg';
import type { BenchEnv, BenchPayload, Driver, Variant } from './types.js';
import { installedVersion } from './version.js';

/**
 * Graphile Worker's tuned run uses the configuration its performance page reports its numbers
 * with: 24 concurrent jobs, a pool of 25, a 500-job local queue, and batched completions.
 */
const TUNED = {
  concurrentJobs: 24,
  maxPoolSize: 25,
  localQueue: { size: 500 },
  completeJobBatchDelay: 0,
  failJobBatchDelay: 0,
};

const silent = new Logger(() => () => {});

function url(env: BenchEnv): string {
  if (!env.pgUrl) throw new Error('graphile-worker needs a postgres environment');
  return env.pgUrl;
}

export function graphileDriver(variant: Variant): Driver {
  const tuned = variant === 'tuned';
  return {
    id: `graphile-worker:${variant}`,
    lib: 'graphile-worker',
    backend: 'postgres',
    variant,
    version: () => installedVersion('graphile-worker'),
    settings: {
      worker: tuned ? TUNED : 'run({ pgPool, taskList }) with no other options (concurrency 1)',
      bulkInsert: 'WorkerUtils.addJobs',
      completedJobs: 'deleted on completion (its design; it keeps no history)',
    },
    inProcess: false,
    async openClient(env) {
      const utils: WorkerUtils = await makeWorkerUtils({ connectionString: url(env), logger: silent });
      const count = async (where: string) =>
        utils.withPgClient(async (c) => {
          const { rows } = await c.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE ${where}`,
          );
          return rows[0].n;
        });
      return {
        async prepare() {
          await utils.migrate();
        },
        async insertMany(payloads) {
          await utils.addJobs(payloads.map((payload) => ({ identifier: 'noop', payload })));
        },
        async insertOne(payload) {
          await utils.addJob('noop', payload);
        },
        // A row left with attempts used up and no lock is a permanent failure, hence finished.
        unfinished: () => count('locked_at IS NOT NULL OR attempts < max_attempts'),
        async inspect() {
          return { failed: await count('locked_at IS NULL AND attempts >= max_attempts') };
        },
        async close() {
          await utils.release();
        },
      };
    },
    async openWorker(env, onJob) {
      // Connect before the clock starts, as the other libraries do: run() then only checks the
      // schema, starts listening and works.
      const pool = new pg.Pool({ connectionString: url(env), max: tuned ? TUNED.maxPoolSize : 10 });
      pool.on('error', () => {});
      const warm = await Promise.all([pool.connect(), pool.connect()]);
      for (const client of warm) client.release();
      let runner: Runner | null = null;
      return {
        async start() {
          runner = await run({
            pgPool: pool,
            logger: silent,
            noHandleSignals: true,
            crontab: '',
            taskList: {
              noop: async (payload) => {
                onJob(payload as BenchPayload);
              },
            },
            ...(tuned ? { preset: { worker: TUNED } } : {}),
          });
        },
        async stop() {
          await runner?.stop();
          await pool.end();
        },
      };
    },
  };
}
