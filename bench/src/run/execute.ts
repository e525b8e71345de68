import type { Driver } from '../drivers/types.js';
import { makeEnv } from '../env/make.js';
import { timeoutMs, type Measurement } from '../plan.js';
import type { ScenarioConfig, ScenarioOutcome } from './protocol.js';
import { killTree, spawnChild } from './spawn.js';

/**
 * Runs one measurement once: a fresh database (or Redis prefix, or directory), a fresh scenario
 * process (which starts fresh worker processes), and the environment removed afterwards.
 */
export async function executeOnce(m: Measurement, driver: Driver, verbose: boolean): Promise<ScenarioOutcome> {
  const { env, cleanup } = await makeEnv(driver.backend, driver.id.split(':')[0]);
  const config: ScenarioConfig = { driverId: m.targetId, scenario: m.scenario, params: m.params, env };
  const { child, output } = spawnChild('scenario', {
    env: { BENCH_SCENARIO: JSON.stringify(config), BENCH_VERBOSE: verbose ? '1' : '0' },
    group: true,
    verbose,
  });
  try {
    return await new Promise<ScenarioOutcome>((resolve) => {
      let outcome: ScenarioOutcome | null = null;
      const limit = timeoutMs(m);
      const timer = setTimeout(() => {
        outcome ??= { ok: false, error: `timed out after ${Math.round(limit / 1000)} s\n${output.toString()}` };
        killTree(child);
      }, limit);
      child.on('message', (msg: ScenarioOutcome) => {
        outcome ??= msg;
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        // Workers die with their scenario process; this catches any that did not.
        killTree(child);
        if (outcome && !outcome.ok && output.toString()) outcome.error += `\n--- output ---\n${output.toString()}`;
        resolve(outcome ?? { ok: false, error: `scenario process exited (${code ?? signal})\n${output.toString()}` });
      });
    });
  } finally {
    await cleanup().catch((err: Error) => process.stderr.write(`cleanup failed: ${err.message}\n`));
  }
}
