/**
 * Entry of a worker process: opens one library worker, says `ready`, starts on `go`,
 * reports progress, and on `stop` shuts the worker down and sends its report.
 */
import '../hooks/register.js';
import { loadDriver } from '../drivers/index.js';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.js';
import { WorkerHost } from './worker-host.js';

const PROGRESS_MS = 20;

function send(msg: FromWorker): Promise<void> {
  return new Promise((resolve) => process.send!(msg, () => resolve()));
}

// An orphaned worker (its coordinator died) must not keep running.
process.on('disconnect', () => process.exit(1));

async function main(): Promise<void> {
  const cfg = JSON.parse(process.env.BENCH_WORKER ?? '') as WorkerConfig;
  const driver = await loadDriver(cfg.driverId);
  const host = new WorkerHost(driver, cfg.env);
  await host.open();
  let reported = 0;
  let ticker: NodeJS.Timeout | null = null;
  const progress = () => {
    if (host.handled !== reported) {
      reported = host.handled;
      void send({ type: 'progress', handled: reported });
    }
  };
  host.onGoal = progress;
  process.on('message', (msg: ToWorker) => {
    if (msg.type === 'go') {
      ticker = setInterval(progress, PROGRESS_MS);
      host.go(msg.goal).then(() => send({ type: 'started' }), fail);
    } else if (msg.type === 'stop') {
      if (ticker) clearInterval(ticker);
      host
        .stop()
        .then(async (report) => {
          await send({ type: 'report', report });
          process.exit(0);
        })
        .catch(fail);
    }
  });
  await send({ type: 'ready' });
}

function fail(err: unknown): void {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  void send({ type: 'error', message }).finally(() => process.exit(1));
}

main().catch(fail);
