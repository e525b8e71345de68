import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const TICK_MS = 10;

/**
 * CPU time (ms) used so far by every process of a local server, e.g. `postgres` (all backends,
 * parallel workers, autovacuum, WAL writer) or `redis-server`. Read from /proc, so it sees only a
 * server on this machine and only processes still alive; null where /proc is missing.
 */
export function serverCpuMs(command: 'postgres' | 'redis-server'): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  let ticks = 0;
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    if (stat.slice(open + 1, close) !== command) continue;
    // Fields after the command: state is 3rd overall; utime and stime are the 14th and 15th.
    const fields = stat.slice(close + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * TICK_MS;
}
