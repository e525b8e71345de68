import { PgBoss } from 'pg-boss';
import type { BenchEnv, BenchPayload, Driver, Variant } from './types.js';
import { installedVersion } from './version.js';

const QUEUE = 'bench';

/**
 * pg-boss's tuned run uses its throughput options: batch fetches (`batchSize`), several fetch
 * loops per process (`localConcurrency`), fetching again at once while batches come back full,
 * and LISTEN/NOTIFY wake-ups instead of waiting for the next poll. Of the batch sizes and loop
 * counts tried here (100 or 500, 1 to 4 loops), 500 and 4 drained fastest, so the peer is
 * measured at its best; 500 also matches Graphile Worker's documented local queue.
 */
const TUNED = {
  constructor: { useListenNotify: true },
  queue: { notify: true },
  work: { batchSize: 500, localConcurrency: 4, burstWhenBatchFull: true, pollingIntervalSeconds: 0.5 },
};

function url(env: BenchEnv): string {
  if (!env.pgUrl) throw new Error('pg-boss needs a postgres environment');
  return env.pgUrl;
}

export function pgBossDriver(variant: Variant): Driver {
  const tuned = variant === 'tuned';
  return {
    id: `pg-boss:${variant}`,
    lib: 'pg-boss',
    backend: 'postgres',
    variant,
    version: () => installedVersion('pg-boss'),
    settings: tuned
      ? { ...TUNED, bulkInsert: 'boss.insert', completedJobs: 'kept (deleteAfterSeconds default, 7 days)' }
      : {
          constructor: 'new PgBoss(connectionString)',
          queue: 'createQueue(name)',
          work: 'work(name, handler) with no options (batchSize 1, 2 s polling)',
          bulkInsert: 'boss.insert',
          completedJobs: 'kept (deleteAfterSeconds default, 7 days)',
        },
    inProcess: false,
    async openClient(env) {
      // The producer only inserts: no maintenance or cron loops of its own.
      const boss = new PgBoss({ connectionString: url(env), supervise: false, schedule: false });
      boss.on('error', (err) => process.stderr.write(`pg-boss error: ${String(err)}\n`));
      await boss.start();
      return {
        async prepare() {
          await boss.createQueue(QUEUE, tuned ? TUNED.queue : {});
        },
        async insertMany(payloads) {
          await boss.insert(
            QUEUE,
            payloads.map((data) => ({ data })),
          );
        },
        async insertOne(payload) {
          await boss.send(QUEUE, payload);
        },
        async unfinished() {
          const { rows } = await boss
            .getDb()
            .executeSql(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state < 'completed'`, [QUEUE]);
          return rows[0].n as number;
        },
        async finished() {
          const { rows } = await boss
            .getDb()
            .executeSql(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state IN ('completed', 'failed')`, [QUEUE]);
          return rows[0].n as number;
        },
        async inspect() {
          const { rows } = await boss
            .getDb()
            .executeSql(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'completed'`, [QUEUE]);
          return { completed: rows[0].n as number };
        },
        async close() {
          await boss.stop({ graceful: false });
        },
      };
    },
    async openWorker(env, onJob) {
      const boss = tuned ? new PgBoss({ connectionString: url(env), ...TUNED.constructor }) : new PgBoss(url(env));
      boss.on('error', (err) => process.stderr.write(`pg-boss error: ${String(err)}\n`));
      await boss.start();
      const handler = async (jobs: { data: unknown }[]) => {
        for (const job of jobs) onJob(job.data as BenchPayload);
      };
      return {
        async start() {
          if (tuned) await boss.work(QUEUE, TUNED.work, handler);
          else await boss.work(QUEUE, handler);
        },
        async stop() {
          await boss.stop({ graceful: true, timeout: 10_000 });
        },
      };
    },
  };
}
