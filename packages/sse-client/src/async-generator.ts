type Result<T> = IteratorResult<T, void>;

/**
 * What a self-settling `pull` (see {@link createAsyncGenerator}) calls when the promise it
 * returned is about to settle: `settle` with the result it fulfils with, or `fail` just before it
 * rejects. Either is called once per promise, before any code awaiting that promise resumes.
 * @internal
 */
export interface Settled<T> {
  readonly settle: (result: Result<T>) => Result<T>;
  readonly fail: () => void;
  /**
   * Keeps later calls waiting until `promise` settles: for a promise returned by `pull` that has
   * come to adopt another one (a read more), whose `settle` or `fail` then runs a few steps before
   * the caller sees the result.
   */
  readonly hold: (promise: Promise<unknown>) => void;
}

/**
 * Whether `value`, a result or a promise of one, is the promise. Not `instanceof Promise`: a
 * promise from another realm (a stream's read under jest's environments, an iframe's `fetch`)
 * is not an instance of this realm's `Promise`, and an iterator result never has a `then`.
 * @internal
 */
export const isPromise = <T>(value: T | Promise<T>): value is Promise<T> => 'then' in (value as object);

/** The result of a finished iterator. */
export const DONE: IteratorReturnResult<void> = { done: true, value: undefined };

/**
 * An `AsyncGenerator` over `pull`, without the cost of an `async function*` (on Node 20 each of
 * its steps costs about as much as reading a chunk from a `ReadableStream`). It behaves as one:
 * calls to `next`, `return` and `throw` are served one at a time, in order (a call made before
 * the previous one's caller sees it settle waits for it); once `pull` returns a
 * done result or throws (or rejects), or `return` or `throw` is called, it is finished and `next`
 * gives done results.
 *
 * @param pull - Gives the next result, at once or as a promise. Called only when no other call is
 *   pending, with the generator's {@link Settled} bookkeeping (for a self-settling `pull`).
 * @param close - Called once when `return` or `throw` finishes the generator, or when `pull` throws
 *   or rejects: releases what the generator holds. Not called when `pull` returns a done result.
 * @param selfSettling - When true, a promise `pull` returns is not watched: `pull` promises to call
 *   `settled.settle` (with the result) or `settled.fail` (before rejecting) as it settles, which
 *   spares a promise and a reaction per call. (A promise that only adopts another one whose
 *   reaction does it, such as a read more, calls neither, but passes itself to `settled.hold`.)
 * @internal
 */
export function createAsyncGenerator<T>(
  pull: (settled: Settled<T>) => Result<T> | Promise<Result<T>>,
  close: () => void,
  selfSettling = false,
): AsyncGenerator<T, void, undefined> {
  let finished = false;
  // Calls not settled yet, and the last call's promise: a call waits for the ones before it.
  let pending = 0;
  let last: Promise<unknown>;
  const stop = (): void => {
    if (!finished) {
      finished = true;
      close();
    }
  };
  const settle = (result: Result<T>): Result<T> => {
    pending -= 1;
    finished ||= result.done === true;
    return result;
  };
  const onRejected = (): void => {
    pending -= 1;
    stop();
  };
  // A hold counts as a call pending, so that a call made meanwhile waits its turn.
  const unhold = (): void => {
    pending -= 1;
  };
  const hold = (promise: Promise<unknown>): void => {
    pending += 1;
    promise.then(unhold, unhold);
  };
  const settled: Settled<T> = { settle, fail: onRejected, hold };

  /** Runs one call: `next` (no `kind`), `return` or `throw`. */
  function run(kind?: 'return' | 'throw', value?: unknown): Promise<Result<T>> {
    let result: Result<T> | Promise<Result<T>>;
    try {
      if (kind) stop();
      if (kind === 'throw') throw value;
      result = finished ? DONE : pull(settled);
      // The common case: `pull` gives a result at once (an item of a batch already read).
      if (!isPromise(result)) {
        finished = result.done === true;
        return Promise.resolve(result);
      }
      // The bookkeeping on a branch of its own, so the caller awaits `pull`'s promise itself (one
      // step less): its reactions run first, so it is done before the caller's code resumes.
      if (!selfSettling) result.then(settle, onRejected);
    } catch (error) {
      // The bookkeeping on a branch of its own, as for a promise `pull` gives.
      (result = Promise.reject(error)).catch(onRejected);
    }
    // Pending until it settles. A call run at once is the one the next call waits for; a queued
    // call's own promise (which adopts this one) already is.
    if (pending++ === 0) last = result;
    return result;
  }

  function call(kind?: 'return' | 'throw', value?: unknown): Promise<Result<T>> {
    if (pending === 0) return run(kind, value);
    const next = (): Promise<Result<T>> => run(kind, value);
    // `result` adopts the promise `run` gives, so it settles a few steps after the bookkeeping
    // is done: until then, a call made meanwhile waits for it.
    const result = last.then(next, next);
    hold(result);
    return (last = result);
  }

  return {
    next: () => (pending === 0 ? run() : call()),
    return: () => call('return'),
    throw: (error: unknown) => call('throw', error),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
