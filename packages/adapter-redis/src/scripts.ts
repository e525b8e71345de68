import { createHash } from 'node:crypto';
import { Command, type Cluster, type Redis } from 'ioredis';
import { INCLUDES, SOURCES, type ScriptName } from './lua.js';

type Arg = string | number;

/** A script's final text (includes inlined) and its SHA1, as Redis names it. */
interface LoadedScript {
  source: string;
  sha: string;
}

/** Inline `-- @include name` lines with lua/includes/name.lua. */
export function expandIncludes(source: string): string {
  return source.replace(/^-- @include (\w+)\s*$/gm, (_, name: string) => {
    const body = INCLUDES[name];
    if (body === undefined) throw new Error(`Unknown Lua include "${name}"`);
    return body;
  });
}

/**
 * Runs the store's Lua scripts with EVALSHA. Scripts are loaded once at start; when Redis answers
 * NOSCRIPT (after SCRIPT FLUSH, a restart or a failover to a replica that never saw them) the
 * script is sent again with EVAL, which runs it and caches it on that node, and later calls go
 * back to EVALSHA.
 */
export class Scripts {
  private readonly scripts = new Map<ScriptName, LoadedScript>();

  constructor(private readonly redis: Redis | Cluster) {
    for (const [name, raw] of Object.entries(SOURCES) as [ScriptName, string][]) {
      const source = expandIncludes(raw);
      this.scripts.set(name, { source, sha: createHash('sha1').update(source).digest('hex') });
    }
  }

  /** SCRIPT LOAD every script (on a cluster, each master loads lazily on its first NOSCRIPT). */
  async loadAll(): Promise<void> {
    if ('nodes' in this.redis && typeof (this.redis as Cluster).nodes === 'function' && (this.redis as Cluster).isCluster) return;
    await Promise.all([...this.scripts.values()].map((s) => (this.redis as Redis).script('LOAD', s.source)));
  }

  sha(name: ScriptName): string {
    return this.get(name).sha;
  }

  async run<T = unknown>(name: ScriptName, keys: string[], args: Arg[]): Promise<T> {
    const script = this.get(name);
    try {
      // Sent as a plain command, never through ioredis's auto-pipelining: an auto pipeline waits
      // for the previous one to return before it goes out, so with it a claim could not be in
      // flight while a settle (or the other claim loop's claim) is, and Redis would sit idle
      // between them. Written at once, the calls queue up in Redis and run back to back.
      const command = new Command('evalsha', [script.sha, keys.length, ...keys, ...args], {
        replyEncoding: 'utf8',
        keyPrefix: this.redis.options.keyPrefix,
      });
      return (await this.redis.sendCommand(command)) as T;
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return (await this.redis.eval(script.source, keys.length, ...keys, ...args)) as T;
    }
  }

  private get(name: ScriptName): LoadedScript {
    const script = this.scripts.get(name);
    if (!script) throw new Error(`Unknown script ${name}`);
    return script;
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
