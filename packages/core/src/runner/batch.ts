import type { BatchContext } from '../define/job.js';
import { validatePayload } from '../define/validate.js';
import { TimeoutError } from '../errors.js';
import { asError, failure, JobAbortedError, type Execution, type Outcome } from './execute.js';

/**
 * Runs one batch: items whose stored payload no longer fits fail alone, the rest go to the
 * handler together under one timeout, and each gets its own outcome. Never throws.
 */
export async function executeBatch(
  execs: Execution[],
  makeContext: (execs: Execution[], signal: AbortSignal) => BatchContext<any>,
): Promise<Outcome[]> {
  const definition = execs[0]!.definition;
  const outcomes: Outcome[] = new Array(execs.length);
  const valid: { index: number; payload: unknown }[] = [];
  execs.forEach((exec, index) => {
    try {
      valid.push({ index, payload: validatePayload(definition, exec.job.payload) });
    } catch (error) {
      outcomes[index] = failure(exec, asError(error));
    }
  });
  if (!valid.length) return outcomes;

  const members = valid.map(({ index }) => execs[index]!);
  // One signal for the handler: aborted when the batch times out or every member is aborted.
  const controller = new AbortController();
  const onMemberAbort = () => {
    if (members.every((exec) => exec.controller.signal.aborted)) controller.abort(members[0]!.controller.signal.reason);
  };
  for (const exec of members) exec.controller.signal.addEventListener('abort', onMemberAbort, { once: true });
  const timer =
    definition.timeoutMs === null ? undefined : setTimeout(() => controller.abort(new TimeoutError(definition.timeoutMs!)), definition.timeoutMs);
  const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }));
  aborted.catch(() => {});

  let results: unknown;
  let thrown: Error | null = null;
  try {
    results = await Promise.race([
      Promise.resolve().then(() => definition.batchHandler!(valid.map((v) => v.payload), makeContext(members, controller.signal))),
      aborted,
    ]);
  } catch (error) {
    thrown = asError(error);
  } finally {
    if (timer) clearTimeout(timer);
  }

  valid.forEach(({ index }, position) => {
    const exec = execs[index]!;
    const reason = exec.controller.signal.reason;
    if (exec.controller.signal.aborted && reason instanceof JobAbortedError) {
      outcomes[index] = { kind: 'abandoned', cause: reason.cause };
    } else if (thrown) {
      outcomes[index] = failure(exec, thrown);
    } else {
      const value = Array.isArray(results) ? results[position] : null;
      outcomes[index] = value instanceof Error ? failure(exec, value) : { kind: 'completed', result: value === undefined ? null : value };
    }
  });
  return outcomes;
}
