import {
  EventTooLargeError,
  HTTPError,
  isTokenStreamError,
  NetworkError,
  TimeoutError,
  type RequestDescription,
} from './errors.js';
import type { ResolvedOptions } from './options.js';
import { after } from './retry.js';

/** Options of {@link createRequestScope}: resolved ones (`undefined`: no such limit). @internal */
export type RequestScopeOptions = Partial<Pick<ResolvedOptions, 'signal' | 'idleTimeout' | 'timeout'>>;

/**
 * One streaming call's cancellation: a signal that aborts when the user's signal aborts, when no
 * bytes arrive for `idleTimeout` ms, or when the whole call passes `timeout` ms. Timers use the
 * global `setTimeout` and the idle deadline `performance.now()`, so fake timers that fake both
 * (vitest's `useFakeTimers()` does) control them. Costs no timer per chunk: see `activity`.
 *
 * @internal
 */
export interface RequestScope {
  /** Pass this to `fetch` and to the body reader. */
  readonly signal: AbortSignal;
  /** Bytes (or a response) arrived: move the idle deadline to `idleTimeout` ms from now. */
  activity(): void;
  /** Stop the idle timer while nothing is in flight (waiting to retry or reconnect). */
  pauseIdle(): void;
  /**
   * Turns whatever a step threw into what the caller should see, in this order: the user's abort
   * reason, when the user aborted; an `HTTPError` as is (also when a timeout cut its body); a
   * `TimeoutError` when a timeout aborted the call; the parser's `EventTooLargeError` with the
   * caller's `text` and `request`; any other `TokenStreamError` or
   * `AbortError` as is; anything else wrapped in a `NetworkError` (`text`, `cause`, `attempts`).
   */
  mapError(error: unknown, request: RequestDescription, text: string, attempts?: number): unknown;
  /** Clears the timers and the link to the user's signal. Call it when the call ends, however it ends. */
  dispose(): void;
}

/**
 * Creates a {@link RequestScope}.
 *
 * @internal
 */
export function createRequestScope(options: RequestScopeOptions): RequestScope {
  const { signal: userSignal, idleTimeout, timeout } = options;
  const controller = new AbortController();
  const { signal } = controller;
  const onUserAbort = (): void => controller.abort(userSignal?.reason);
  if (userSignal?.aborted) onUserAbort();
  else userSignal?.addEventListener('abort', onUserAbort, { once: true });

  // The limit that aborted the call, when a timeout did (its abort reason is never seen by users):
  // the first one, whatever fires after it.
  let timedOut: { kind: 'idle' | 'total'; timeout: number } | undefined;
  const abort = (kind: 'idle' | 'total', limit: number): void => {
    timedOut ??= { kind, timeout: limit };
    controller.abort();
  };
  // (A timeout past 2^31 - 1 ms, the timers' limit, waits that long: 24.8 days; see `after`.)
  const totalTimer = timeout === undefined ? undefined : after(timeout, () => abort('total', timeout));
  // The idle limit is a deadline, moved on by each activity without touching a timer (a chunk costs
  // a clock read, nothing else): one timer runs while the call is active, and when it fires before
  // the deadline it waits the rest. `performance.now()` is monotonic, and fake timers control it.
  // An activity after an abort may start the timer again: harmless (the first limit is kept, and
  // `dispose` clears it), and cheaper than checking the signal on every chunk.
  let deadline = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const checkIdle = (): void => {
    const left = deadline - performance.now();
    idleTimer = left > 0 ? after(left, checkIdle) : (abort('idle', idleTimeout!), undefined);
  };
  const pauseIdle = (): void => {
    clearTimeout(idleTimer);
    idleTimer = undefined;
  };
  const activity =
    idleTimeout === undefined
      ? (): void => undefined
      : (): void => {
          deadline = performance.now() + idleTimeout;
          idleTimer ??= after(idleTimeout, checkIdle);
        };
  activity();

  return {
    signal,
    activity,
    pauseIdle,
    mapError(error, request, text, attempts) {
      if (userSignal?.aborted) return userSignal.reason;
      // The server's status outranks a timeout that cut its error body short (the HTTPError keeps it as `cause`).
      if (error instanceof HTTPError) return error;
      if (timedOut) return new TimeoutError({ ...timedOut, request, text });
      if (error instanceof EventTooLargeError && error.request === undefined) {
        return new EventTooLargeError({ maxEventSize: error.maxEventSize, request, text });
      }
      return isTokenStreamError(error) || (error as Error | undefined)?.name === 'AbortError'
        ? error
        : new NetworkError({ request, text, cause: error, attempts });
    },
    dispose() {
      pauseIdle();
      clearTimeout(totalTimer);
      userSignal?.removeEventListener('abort', onUserAbort);
    },
  };
}
