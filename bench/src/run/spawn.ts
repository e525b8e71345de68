import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The bench package directory: children run there so tsx finds bench/tsconfig.json (its paths map @mainspring/* to sources). */
export const BENCH_DIR = fileURLToPath(new URL('../../', import.meta.url));

const TSX_LOADER = import.meta.resolve('tsx');

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

/** Forks a TypeScript entry file of the bench package under tsx with an IPC channel. */
export function spawnTs(entry: string, opts: SpawnOptions): { child: ChildProcess; output: OutputTail } {
  const child = fork(fileURLToPath(new URL(entry, new URL('../', import.meta.url))), [], {
    cwd: BENCH_DIR,
    execArgv: ['--import', TSX_LOADER],
    env: { ...process.env, ...opts.env },
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
