// What TokenStream and PartStream share: an async iterable over the parts an engine generator
// yields in batches (each mapped to an item, or skipped), consumable once, with a promise of the
// end result (internal: not exported from the package).

import { createAsyncGenerator, DONE } from './async-generator.js';

/** How to run one single-use stream. @internal */
export interface SingleUseStreamSpec<Part, Item, End, Result, Key extends string> {
  /** What the stream is called in its errors (`"TokenStream"`). */
  readonly name: string;
  /** The name of the stream's result property (`"text"`, `"result"`). */
  readonly key: Key;
  /** The caller's signal: an abort from a callback or a loop body takes effect at once. */
  readonly signal: AbortSignal | undefined;
  /** Starts the engine: batches of parts, then the end value. Called once, on first use. */
  open(): AsyncGenerator<readonly Part[], End, undefined>;
  /**
   * Called with each part, in order: returns the item to yield for it, or `undefined` to yield
   * nothing (the user's callback runs here, before the item is yielded); a throw ends the stream with it.
   */
  each(part: Part): Item | undefined;
  /** The result the stream resolves with, from the engine's end value. */
  end(value: End): Result;
}

/**
 * A stream in progress: iterable once, with its result under `Key`; reading the result starts
 * consuming the stream when nobody iterates it yet. @internal
 */
export type SingleUseStream<Item, Result, Key extends string> = AsyncIterable<Item> & { readonly [K in Key]: Promise<Result> };

/**
 * Creates a single-use stream. Its iterator yields the items of the engine's parts one by one,
 * checking the signal before and after each; leaving the loop early (a `break`, a throw, an abort between
 * items) closes the engine, which cancels the request and clears its timers. `result` rejects
 * with the error the iteration throws, or with an `AbortError` `DOMException` when a loop stops
 * early; its rejection is never unhandled. Calls to `next()` made before the previous one settles
 * are served in order, one at a time, by {@link createAsyncGenerator}; `return()` is not queued
 * behind them: it settles the result at once, then waits for the engine to close. `throw(error)`
 * (served in turn) closes the stream as `return()` does, then rejects with `error`.
 *
 * @internal
 * @throws {TypeError} from `[Symbol.asyncIterator]()` when the stream was already consumed.
 */
export function createSingleUseStream<Part, Item, End, Result, Key extends string>(
  spec: SingleUseStreamSpec<Part, Item, End, Result, Key>,
): SingleUseStream<Item, Result, Key> {
  let started = false;
  let resolve!: (result: Result) => void;
  let reject!: (error: unknown) => void;
  const result = new Promise<Result>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // The rejection reaches whoever awaits the result or iterates; it is never an unhandled rejection.
  result.catch(() => undefined);

  // Built on createAsyncGenerator rather than an `async function*`: an item of a batch already read
  // is handed over without another generator step, and a new batch costs one `then`, no `await`.
  // The generator serves overlapping `next()` calls in order, one at a time.
  function start(): AsyncGenerator<Item, void, undefined> {
    if (started) throw new TypeError(`A ${spec.name} can be consumed only once`);
    started = true;
    const { signal } = spec;
    const source = spec.open();
    let batch: readonly Part[] = [];
    let index = 0;
    // Once the stream ended, failed or was closed, a call still waiting for the engine gives done.
    let finished = false;

    async function fail(error: unknown): Promise<never> {
      finished = true;
      reject(error);
      // Closes the engine (after its own throw, this does nothing).
      await source.return(undefined as never);
      throw error;
    }

    /** The next item of the batch read, or the engine's next batch once it is used up; done when finished. */
    function pull(): IteratorResult<Item, void> | Promise<IteratorResult<Item, void>> {
      try {
        if (finished) return DONE;
        // An abort from the callback or from the loop's body takes effect at once, not a chunk later.
        signal?.throwIfAborted();
        while (index < batch.length) {
          const item = spec.each(batch[index++]!);
          signal?.throwIfAborted();
          if (item !== undefined) return { done: false, value: item };
        }
      } catch (error) {
        return fail(error);
      }
      return source.next().then(onBatch, fail);
    }

    function onBatch(next: IteratorResult<readonly Part[], End>): IteratorResult<Item, void> | Promise<IteratorResult<Item, void>> {
      if (!next.done) {
        batch = next.value;
        index = 0;
        return pull();
      }
      try {
        // An abort from the last callback or loop body wins over the completion behind it.
        signal?.throwIfAborted();
        finished = true;
        resolve(spec.end(next.value));
        return DONE;
      } catch (error) {
        return fail(error);
      }
    }

    /** Leaves the stream early: `return()`, or `throw()` (served in turn by the generator). */
    async function close(): Promise<IteratorResult<Item, void>> {
      if (!finished) {
        // The result settles at once: closing the engine (which cancels the request and clears its
        // timers) waits for a `next` still pending, which may wait for the network, and whatever
        // closing it throws must not leave the result pending.
        finished = true;
        reject(new DOMException(`The ${spec.name} was closed before it ended`, 'AbortError'));
        await source.return(undefined as never);
      }
      return DONE;
    }

    // (A failure of the engine's close on `throw()` reaches no one: `throw()` rejects with its own error.)
    const iterator = createAsyncGenerator(pull, () => void close().catch(() => undefined));
    // Not queued behind pending calls: the loop was left, the result settles now.
    iterator.return = close;
    return iterator;
  }

  return {
    get [spec.key]() {
      if (!started) {
        void (async () => {
          for await (const _item of start()) {
            // The callbacks see each item; the result settles at the end.
          }
        })().catch(() => undefined);
      }
      return result;
    },
    [Symbol.asyncIterator]: start,
    // (A computed key is typed as an index signature: the mapped type says what it is.)
  } as unknown as SingleUseStream<Item, Result, Key>;
}
