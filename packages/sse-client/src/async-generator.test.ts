// createAsyncGenerator behaves as an `async function*` does: calls served one at a time and in
// order, finished after a done result, an error, `return` or `throw`, and `close` called once.
import { describe, expect, it, vi } from 'vitest';
import { createAsyncGenerator } from './async-generator.js';

/** A pull that gives 1, 2, 3 (the even ones later, as promises), then done; and records overlapping calls. */
function counting() {
  let count = 0;
  let pending = false;
  const record = { pulls: 0, overlapped: false };
  const pull = vi.fn(() => {
    record.pulls += 1;
    if (pending) record.overlapped = true;
    count += 1;
    const result: IteratorResult<number, void> =
      count > 3 ? { done: true, value: undefined } : { done: false, value: count };
    if (count % 2 === 1) return result;
    pending = true;
    return new Promise<IteratorResult<number, void>>((resolve) =>
      setTimeout(() => {
        pending = false;
        resolve(result);
      }, 1),
    );
  });
  return { pull, record };
}

describe('createAsyncGenerator: results in order', () => {
  it('gives what pull gives, at once or later, then done results without pulling again', async () => {
    const { pull } = counting();
    const close = vi.fn();
    const values: number[] = [];
    for await (const value of createAsyncGenerator(pull, close)) values.push(value);
    expect(values).toEqual([1, 2, 3]);
    expect(pull).toHaveBeenCalledTimes(4);
    expect(close).not.toHaveBeenCalled(); // done by itself: nothing to release
  });

  it('calls made before the previous one settles are served one at a time, in order', async () => {
    const { pull, record } = counting();
    const generator = createAsyncGenerator(pull, () => undefined);
    const results = await Promise.all(Array.from({ length: 5 }, () => generator.next()));
    expect(results).toEqual([
      { done: false, value: 1 },
      { done: false, value: 2 },
      { done: false, value: 3 },
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
    expect(record.overlapped).toBe(false);
    expect(record.pulls).toBe(4);
  });
});

describe('createAsyncGenerator: finishing early', () => {
  it('return() before the first next() closes without pulling', async () => {
    const pull = vi.fn(() => ({ done: false as const, value: 1 }));
    const close = vi.fn();
    const generator = createAsyncGenerator(pull, close);
    expect(await generator.return()).toEqual({ done: true, value: undefined });
    expect(await generator.next()).toEqual({ done: true, value: undefined });
    expect(pull).not.toHaveBeenCalled();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('return() while a next() is pending waits for it, then closes once', async () => {
    const { pull } = counting();
    const close = vi.fn();
    const generator = createAsyncGenerator(pull, close);
    expect(await generator.next()).toEqual({ done: false, value: 1 });
    const pending = generator.next(); // 2 comes later
    const returned = generator.return();
    expect(close).not.toHaveBeenCalled();
    expect(await pending).toEqual({ done: false, value: 2 });
    expect(await returned).toEqual({ done: true, value: undefined });
    await generator.return();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('throw(error) closes and rejects with the error; later calls give done results', async () => {
    const close = vi.fn();
    const generator = createAsyncGenerator(() => ({ done: false, value: 1 }), close);
    const error = new Error('stop');
    await expect(generator.throw(error)).rejects.toBe(error);
    expect(close).toHaveBeenCalledTimes(1);
    expect(await generator.next()).toEqual({ done: true, value: undefined });
  });

  const throwing = (error: Error) => (): never => {
    throw error;
  };
  const rejecting = (error: Error) => () => Promise.reject(error);
  it.each([
    ['throws', throwing],
    ['rejects', rejecting],
  ])('when pull %s: the error reaches the caller, close is called once, then done results', async (_name, make) => {
    const error = new Error('broken');
    const close = vi.fn();
    const generator = createAsyncGenerator<number>(make(error), close);
    await expect(generator.next()).rejects.toBe(error);
    expect(await generator.next()).toEqual({ done: true, value: undefined });
    await generator.return();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['throws', throwing],
    ['rejects', rejecting],
  ])('when pull %s with a next() already queued behind it: that one gives a done result, pull is not called again', async (_name, make) => {
    const error = new Error('broken');
    const pull = vi.fn(make(error));
    const generator = createAsyncGenerator<number>(pull, () => undefined);
    const [first, second] = [generator.next(), generator.next()];
    await expect(first).rejects.toBe(error);
    expect(await second).toEqual({ done: true, value: undefined });
    expect(pull).toHaveBeenCalledTimes(1);
  });

  it('a self-settling pull: calls queued behind its promises are served in order, and a rejection closes it', async () => {
    const error = new Error('broken');
    const close = vi.fn();
    let count = 0;
    const generator = createAsyncGenerator<number>(
      (settled) => {
        count += 1;
        const value = count;
        return new Promise<IteratorResult<number, void>>((resolve) => setTimeout(resolve, 1)).then(() => {
          if (value === 3) {
            settled.fail();
            throw error;
          }
          return settled.settle({ done: false, value });
        });
      },
      close,
      true,
    );
    const results = [generator.next(), generator.next(), generator.next(), generator.next()];
    expect(await results[0]).toEqual({ done: false, value: 1 });
    expect(await results[1]).toEqual({ done: false, value: 2 });
    await expect(results[2]).rejects.toBe(error);
    expect(await results[3]).toEqual({ done: true, value: undefined });
    expect(count).toBe(3);
    expect(close).toHaveBeenCalledTimes(1);
  });
});
