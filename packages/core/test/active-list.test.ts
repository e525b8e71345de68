import { describe, expect, it } from 'vitest';
import { ActiveList } from '../src/runner/active-list.js';
import { Execution } from '../src/runner/execute.js';
import type { JobRecord } from '../src/store/contract.js';

const exec = (id: string) => new Execution({ id } as JobRecord, {} as never);

describe('ActiveList (the runner’s attempts in flight)', () => {
  it('keeps start order', () => {
    const list = new ActiveList();
    const [a, b, c] = [exec('1'), exec('2'), exec('3')];
    for (const e of [a, b, c]) list.add(e);
    expect([...list].map((e) => e.job.id)).toEqual(['1', '2', '3']);
  });

  it('unlinks from the head, the middle and the tail, and a second delete or add changes nothing', () => {
    const list = new ActiveList();
    const all = ['1', '2', '3', '4', '5'].map(exec);
    for (const e of all) list.add(e);
    list.add(all[0]!);
    list.delete(all[2]!);
    list.delete(all[2]!);
    list.delete(all[0]!);
    list.delete(all[4]!);
    expect([...list].map((e) => e.job.id)).toEqual(['2', '4']);
    list.add(all[0]!);
    expect([...list].map((e) => e.job.id)).toEqual(['2', '4', '1']);
    for (const e of [...list]) list.delete(e);
    expect([...list]).toEqual([]);
  });

  it('leaves a removed execution pointing at nothing, so a finished job is not kept alive by its neighbours', () => {
    const list = new ActiveList();
    const [a, b, c] = [exec('1'), exec('2'), exec('3')];
    for (const e of [a, b, c]) list.add(e);
    list.delete(b);
    expect(b.prev).toBeNull();
    expect(b.next).toBeNull();
    expect(a.next).toBe(c);
    expect(c.prev).toBe(a);
  });

  it('iterates over a snapshot, so entries can be removed on the way', () => {
    const list = new ActiveList();
    for (const id of ['1', '2', '3']) list.add(exec(id));
    const seen: string[] = [];
    for (const e of list) {
      seen.push(e.job.id);
      list.delete(e);
    }
    expect(seen).toEqual(['1', '2', '3']);
    expect([...list]).toEqual([]);
  });
});
