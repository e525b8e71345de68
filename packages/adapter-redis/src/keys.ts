import type { ScriptName } from './lua.js';

/**
 * Key names of one store. Every key starts with `{prefix}:`, so Redis Cluster hashes all of them by
 * the same tag into one slot and the multi-key Lua scripts stay legal there.
 */
export class Keys {
  /** The shared key prefix, passed to every script as KEYS[1]. */
  readonly base: string;

  constructor(prefix: string) {
    if (!prefix || /[{}]/.test(prefix)) throw new TypeError(`Invalid Redis key prefix ${JSON.stringify(prefix)}: use a non-empty string without braces`);
    this.base = `{${prefix}}:`;
  }

  key(suffix: string): string {
    return this.base + suffix;
  }

  job(id: string): string {
    return `${this.base}j:${id}`;
  }

  attempts(id: string): string {
    return `${this.base}a:${id}`;
  }

  schedule(name: string): string {
    return `${this.base}sch:${name}`;
  }

  get wakeChannel(): string {
    return `${this.base}wake`;
  }

  /** KEYS for a script: the prefix, then the fixed keys its header names. */
  forScript(name: ScriptName): string[] {
    return [this.base, ...SCRIPT_KEYS[name].map((s) => this.base + s)];
  }
}

// The fixed keys each script declares after the prefix (must match the headers in lua/).
const SCRIPT_KEYS: Record<ScriptName, string[]> = {
  insert: ['id', 'keys', 'delayed', 'all'],
  claim: ['delayed', 'active', 'pauses', 'actq', 'actn', 'actg', 'run'],
  extend: ['active'],
  complete: ['active', 'keys', 'fin:completed', 'run'],
  fail: ['active', 'delayed', 'keys', 'mx', 'run'],
  release: ['active', 'run'],
  rescue: ['active', 'run'],
  progress: [],
  cancel: ['active', 'delayed', 'keys', 'run'],
  retry: ['keys', 'mx'],
  promote: ['delayed'],
  remove: ['active', 'delayed', 'keys', 'all', 'run'],
  list: ['all'],
  metrics: ['mx', 'fin:completed', 'mbidx'],
  upsertSchedule: ['schs'],
  fireSchedule: ['schs', 'id', 'keys'],
  pause: ['pauses'],
  resume: ['pauses', 'names'],
  prune: ['fin:completed', 'fin:failed', 'fin:cancelled', 'ah', 'mx', 'mbidx'],
};
