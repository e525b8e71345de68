import type { BatchContext } from '../define/job.js';
import { validatePayload } from '../define/validate.js';
import { armTimeout, asError, Execution, failure, outcomeOfAbort, type Outcome } from './execute.js';

/**
 * Runs one batch: items whose stored payload no longer fits fail alone, the rest go to the
 * handler together under one timeout, and each gets its own outcome. Never throws.
 */
export async function executeBatch(execs: Execution[], makeContext: (members: Execution[], signal: AbortSignal) => BatchContext<any>): Promise<Outcome[]> {
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
  // The batch as a whole is one attempt-in-flight: aborted on timeout, or when every member is.
  // Members report through their abort callback, not their signals: reading `exec.signal` would
  // make an AbortController per job, which measured as most of a batch's cost in the worker.
  const batch = new Execution(members[0]!.job, definition);
  let running = members.length;
  const memberAborted = () => {
    if (--running === 0) batch.abort(members[0]!.abortReason);
  };
  for (const exec of members) {
    if (exec.aborted) running--;
    else exec.onAbort(memberAborted);
  }
  if (running === 0) batch.abort(members[0]!.abortReason);
  const timer = armTimeout([batch, ...members], definition.timeoutMs);
  let results: unknown;
  let thrown: Error | null = null;
  try {
    results = await batch.race(() => definition.batchHandler!(valid.map((v) => v.payload), makeContext(members, batch.signal)));
  } catch (error) {
    thrown = asError(error);
  } finally {
    if (timer) clearTimeout(timer);
    for (const exec of members) exec.onAbort(null);
  }

  valid.forEach(({ index }, position) => {
    const exec = execs[index]!;
    if (exec.aborted) {
      outcomes[index] = outcomeOfAbort(exec, exec.abortReason);
    } else if (thrown) {
      outcomes[index] = failure(exec, thrown);
    } else {
      const value = Array.isArray(results) ? results[position] : null;
      outcomes[index] = value instanceof Error ? failure(exec, value) : { kind: 'completed', result: value === undefined ? null : value };
    }
  });
  return outcomes;
}
