/**
 * Entry of a scenario process: one target, one scenario, one fresh environment. It opens the
 * library's client, prepares the store, runs the scenario (starting worker processes as the
 * scenario asks) and sends the orchestrator one outcome.
 */
import '../hooks/register.js';
import { loadDriver } from '../drivers/index.js';
import { backlog } from '../scenarios/backlog.js';
import type { Metrics, ScenarioContext } from '../scenarios/context.js';
import { latency } from '../scenarios/latency.js';
import { scaleout } from '../scenarios/scaleout.js';
import { throughput } from '../scenarios/throughput.js';
import type { ScenarioConfig, ScenarioOutcome } from './protocol.js';
import { inProcessWorker, spawnWorkers } from './workers.js';

process.on('disconnect', () => process.exit(1));

function send(msg: ScenarioOutcome): Promise<void> {
  return new Promise((resolve) => process.send!(msg, () => resolve()));
}

async function main(): Promise<Metrics> {
  const cfg = JSON.parse(process.env.BENCH_SCENARIO ?? '') as ScenarioConfig;
  const verbose = process.env.BENCH_VERBOSE === '1';
  const driver = await loadDriver(cfg.driverId);
  const client = await driver.openClient(cfg.env);
  try {
    await client.prepare();
    const ctx: ScenarioContext = {
      driver,
      env: cfg.env,
      client,
      maxDrainMs: cfg.params.maxDrainMs,
      workers: (count) => {
        if (!driver.inProcess) return spawnWorkers(cfg.driverId, cfg.env, count, verbose);
        if (count !== 1) throw new Error(`${cfg.driverId} runs in one process; it cannot start ${count} workers`);
        return inProcessWorker(driver, cfg.env, client);
      },
    };
    const p = cfg.params;
    switch (cfg.scenario) {
      case 'throughput':
        return await throughput(ctx, { n: p.n, chunk: p.chunk });
      case 'latency':
        return await latency(ctx, { count: p.count, intervalMs: p.intervalMs });
      case 'backlog':
        return await backlog(ctx, { size: p.size, sample: p.sample, windows: p.windows, chunk: p.chunk });
      case 'scaleout':
        return await scaleout(ctx, { workers: p.workers, n: p.n, chunk: p.chunk });
    }
  } finally {
    await client.close();
  }
}

main().then(
  async (metrics) => {
    await send({ ok: true, metrics });
    process.exit(0);
  },
  async (err: unknown) => {
    await send({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exit(1);
  },
);
