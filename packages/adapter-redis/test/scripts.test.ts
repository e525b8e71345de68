import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Keys } from '../src/keys.js';
import { SOURCES, type ScriptName } from '../src/lua.js';
import { expandIncludes } from '../src/scripts.js';

// The header of each script is its documentation; these checks keep it honest as scripts change.
describe('Lua scripts', () => {
  const keys = new Keys('hdr');
  const names = Object.keys(SOURCES) as ScriptName[];

  it.each(names)('%s has a header naming its KEYS, ARGV and what it returns', (name) => {
    const header = /^#!lua[^\n]*\n--\[\[([\s\S]*?)\]\]/.exec(SOURCES[name])?.[1] ?? '';
    expect(header).toMatch(new RegExp(`^\\s*${name}: `));
    expect(header).toMatch(/ARGV\[1\]/);
    expect(header).toMatch(/Returns /);
    expect(header).toMatch(/Emits nothing|Publishes /);
    // Exactly the KEYS the store passes are named, in order.
    const declared = keys.forScript(name);
    for (let i = 1; i <= declared.length; i++) expect(header).toContain(`KEYS[${i}]`);
    expect(header).not.toContain(`KEYS[${declared.length + 1}]`);
    for (const key of declared.slice(1)) expect(header).toContain(`P.."${key.slice(keys.base.length)}"`);
  });

  it('embeds the current lua/ files (run `node scripts/embed-lua.mjs` after editing a script)', async () => {
    // @ts-expect-error: a plain .mjs build script without types
    const { renderEmbedded } = (await import('../scripts/embed-lua.mjs')) as { renderEmbedded: () => string };
    const generated = readFileSync(new URL('../src/lua.generated.ts', import.meta.url), 'utf8');
    expect(generated).toBe(renderEmbedded());
  });

  it.each(names)('%s declares how it may run when Redis is out of memory', (name) => {
    // Settling, claiming and pruning must go on when Redis is full (so workers can drain and retention
    // can free memory); inserts must be refused whole; reads are marked read-only.
    const shebang = SOURCES[name].split('\n')[0];
    const expected = ['list', 'metrics'].includes(name)
      ? '#!lua flags=no-writes'
      : ['insert', 'fireSchedule', 'upsertSchedule', 'retry', 'promote', 'pause'].includes(name)
        ? '#!lua'
        : '#!lua flags=allow-oom';
    expect(shebang).toBe(expected);
  });

  it.each(names)('%s expands its includes into one self-contained script', (name) => {
    const source = expandIncludes(SOURCES[name]);
    expect(source).not.toMatch(/^-- @include/m);
    // Every key is built from KEYS[1] (the hash-tagged prefix) or is one of the declared KEYS.
    expect(source).not.toMatch(/redis\.call\('\w+', '[^']/);
  });
});
