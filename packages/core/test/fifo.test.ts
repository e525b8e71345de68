import { describe, expect, it } from 'vitest';
import { Fifo } from '../src/runner/fifo.js';

describe('Fifo (the runner prefetch buffer)', () => {
  it('hands items out oldest first across compactions', () => {
    const q = new Fifo<number>();
    const out: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      q.push(i);
      if (i % 3 === 0) out.push(q.shift()!);
    }
    expect(q.length).toBe(5_000 - out.length);
    for (let x = q.shift(); x !== undefined; x = q.shift()) out.push(x);
    expect(out).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
  });

  it('iterates, filters and empties what is left', () => {
    const q = new Fifo<string>();
    for (const s of ['a', 'b', 'c', 'd']) q.push(s);
    q.shift();
    expect([...q]).toEqual(['b', 'c', 'd']);
    q.retain((s) => s !== 'c');
    expect([...q]).toEqual(['b', 'd']);
    expect(q.takeAll()).toEqual(['b', 'd']);
    expect(q.length).toBe(0);
  });
});
