import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bench package directory: children run there (tsx finds bench/tsconfig.json, whose paths map @mainspring/* to sources). */
export const BENCH_DIR = process.env.BENCH_DIR ?? fileURLToPath(new URL('../../', import.meta.url));

/** Keeps the tail of a child's output so a failure can say what the child printed. */
export class OutputTail {
  private text = '';
  constructor(private readonly max = 4000) {}
  push(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-this.max);
  }
  toString(): string {
    return this.text.trim();
  }
}

export interface SpawnOptions {
  /** Environment variables added to the parent's. */
  env: Record<string, string>;
  /** Start a new process group, so the whole tree (scenario + its workers) can be killed at once. */
  group?: boolean;
  /** Echo the child's output to this process's stderr. */
  verbose?: boolean;
}

export type ChildKind = 'scenario' | 'worker';

/**
 * Forks a scenario or worker process with an IPC channel: the bundled JavaScript on bare Node when
 * BENCH_BUNDLE_DIR names a bundle (see bundle.ts), otherwise the TypeScript entry under tsx.
 */
export function spawnChild(kind: ChildKind, opts: SpawnOptions): { child: ChildProcess; output: OutputTail } {
  const bundleDir = process.env.BENCH_BUNDLE_DIR;
  const entry = bundleDir
    ? join(bundleDir, `${kind}-child.mjs`)
    : join(BENCH_DIR, 'src', 'run', `${kind}-child.ts`);
  const child = fork(entry, [], {
    cwd: BENCH_DIR,
    execArgv: bundleDir ? [] : ['--import', import.meta.resolve('tsx')],
    env: { ...process.env, BENCH_DIR, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: opts.group ?? false,
  });
  const output = new OutputTail();
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output.push(chunk);
      if (opts.verbose) process.stderr.write(chunk);
    });
  }
  return { child, output };
}

/**
 * Kills the process group a `group: true` child leads: the child and every worker it started,
 * including workers still alive after the child itself exited.
 */
export function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // No such group left: everything already exited.
  }
}
