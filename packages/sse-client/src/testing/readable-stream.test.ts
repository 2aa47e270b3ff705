import { describe, expect, it } from 'vitest';
import { readableFromChunks } from './readable-stream.js';

describe('readableFromChunks', () => {
  it('delivers the chunks in order, one per read, then closes', async () => {
    const reader = readableFromChunks(['a', 'b']).getReader();
    expect(await reader.read()).toEqual({ done: false, value: 'a' });
    expect(await reader.read()).toEqual({ done: false, value: 'b' });
    expect(await reader.read()).toEqual({ done: true, value: undefined });
  });

  it('reads nothing ahead: it pulls only when the consumer reads', async () => {
    const pulls: number[] = [];
    const stream = readableFromChunks(['a', 'b'], { onPull: (index) => pulls.push(index) });
    await Promise.resolve();
    expect(pulls).toEqual([]);
    await stream.getReader().read();
    expect(pulls).toEqual([0]);
  });

  it('errors after the last chunk when given an error', async () => {
    const failure = new TypeError('connection reset');
    const reader = readableFromChunks(['a'], { error: failure }).getReader();
    expect(await reader.read()).toEqual({ done: false, value: 'a' });
    await expect(reader.read()).rejects.toBe(failure);
  });

  it('reports cancellation with its reason', async () => {
    const reasons: unknown[] = [];
    const reader = readableFromChunks(['a', 'b'], { onCancel: (reason) => reasons.push(reason) }).getReader();
    await reader.read();
    await reader.cancel('stop');
    expect(reasons).toEqual(['stop']);
  });
});

describe('readableFromChunks with a generator', () => {
  it('iterates lazily, and a cancel ends the generator', async () => {
    const produced: number[] = [];
    let finished = false;
    function* forever(): Generator<number> {
      try {
        for (let index = 0; ; index += 1) {
          produced.push(index);
          yield index;
        }
      } finally {
        finished = true;
      }
    }
    const reader = readableFromChunks(forever()).getReader();
    expect(await reader.read()).toEqual({ done: false, value: 0 });
    expect(await reader.read()).toEqual({ done: false, value: 1 });
    expect(produced).toEqual([0, 1]);
    await reader.cancel();
    expect(finished).toBe(true);
  });
});
