import { HTTPError, ReconnectLimitError } from './errors.js';
import { readEventBatches, type ParseEventStreamOptions } from './parse-event-stream.js';
import { createRequestScope, type RequestScope } from './request-scope.js';
import { openEventStream, prepareRequest, type PreparedRequest } from './request.js';
import { sleep, type RetryOptions } from './retry.js';
import type { ServerSentEvent } from './types.js';

/** A JSON value given as a request body: a plain object or an array, sent with `JSON.stringify`. */
export type JsonBody = Record<string, unknown> | readonly unknown[];

/**
 * Resuming a dropped stream from its last event ID (WHATWG HTML § "Server-sent events",
 * reconnection and `Last-Event-ID`), for servers that send `id` fields and can resume after one.
 *
 * Two bounds keep a call from re-sending its request for ever: `limit` reconnections in a row
 * without an event between them (then the last drop's error is thrown), and `totalLimit`
 * reconnections in the whole call, events or not (then a `ReconnectLimitError`). The wait before
 * each reconnection is `delay`, or the server's latest `retry` field but never less than `minDelay`.
 */
export interface ReconnectOptions {
  /**
   * The most reconnections in a row without an event between them. Past it, the error of the last
   * drop is thrown (for `streamTokens`, an `IncompleteStreamError` when the body just ended).
   * A non-negative integer, or `Infinity`.
   * @defaultValue `3`
   */
  limit?: number | undefined;
  /**
   * The most reconnections in one call, in total: every event resets the `limit` count, not this
   * one. Past it, a `ReconnectLimitError` is thrown with the text so far. A non-negative integer,
   * or `Infinity` for no bound.
   * @defaultValue `20`: room for a long answer whose connection a proxy cuts every minute or so,
   *   while a server that ends each connection after one event costs at most 21 requests
   */
  totalLimit?: number | undefined;
  /**
   * The wait before reconnecting, in milliseconds, until the server sends a `retry` field. A
   * finite non-negative number.
   * @defaultValue `1000`
   */
  delay?: number | undefined;
  /**
   * The shortest wait, in milliseconds, that a server's `retry` field can set (a `retry: 0` means
   * this). It does not apply to `delay`, which is yours to choose. A finite non-negative number.
   * @defaultValue `500`: the floor Firefox's `EventSource` applies to `retry`
   *   (`MIN_RECONNECTION_TIME_VALUE` in Gecko's `dom/base/EventSource.cpp`)
   */
  minDelay?: number | undefined;
}

/** A complete reconnection policy. @internal */
export interface ReconnectPolicy {
  readonly limit: number;
  readonly totalLimit: number;
  readonly delay: number;
  readonly minDelay: number;
}

/**
 * Normalises the `reconnect` option: `false`/`undefined` → no reconnection; `true` → the defaults;
 * an object → its fields over the defaults.
 *
 * @internal
 * @throws {RangeError} when a count is not a non-negative integer (or `Infinity`), or a delay not a
 *   finite non-negative number.
 */
export function toReconnectPolicy(reconnect: EventStreamRequestInit['reconnect']): ReconnectPolicy | undefined {
  if (reconnect === undefined || reconnect === false) return undefined;
  const options = reconnect === true ? {} : reconnect;
  const policy: ReconnectPolicy = {
    limit: options.limit ?? 3,
    totalLimit: options.totalLimit ?? 20,
    delay: options.delay ?? 1000,
    minDelay: options.minDelay ?? 500,
  };
  for (const key of ['limit', 'totalLimit', 'delay', 'minDelay'] as const) {
    const value = policy[key];
    const count = key === 'limit' || key === 'totalLimit';
    const valid = count ? Number.isInteger(value) || value === Infinity : value < Infinity;
    if (!(valid && value >= 0)) {
      throw new RangeError(`reconnect.${key} must be a non-negative ${count ? 'integer (or Infinity)' : 'number'}, got ${value}`);
    }
  }
  return policy;
}

/**
 * Options for a streaming request: every `RequestInit` field of `fetch` (`headers`, `credentials`,
 * `mode`, `cache`, `keepalive`, …) plus the ones below.
 */
export interface EventStreamRequestInit extends Omit<RequestInit, 'body' | 'method' | 'signal' | 'window'> {
  /**
   * The HTTP method.
   * @defaultValue `"POST"`
   */
  method?: string | undefined;
  /**
   * The request body. A plain object or an array is sent as JSON (with
   * `Content-Type: application/json` unless `headers` set one); anything `fetch` accepts
   * (string, `FormData`, `Blob`, `URLSearchParams`, …) is passed through as is.
   */
  body?: JsonBody | BodyInit | null | undefined;
  /**
   * Cancels the request at any point, before the response or mid-stream. The body's reader is
   * cancelled, so the server sees the connection close. The error thrown is `signal.reason`,
   * not wrapped (the platform's `AbortError` `DOMException` for a plain `abort()`).
   */
  signal?: AbortSignal | undefined;
  /**
   * The `fetch` to call, e.g. a test double or an instrumented wrapper.
   * @defaultValue `globalThis.fetch`, looked up at call time (so a mock installed later is used)
   */
  fetch?: typeof fetch | undefined;
  /**
   * The most one event may take, in UTF-16 code units of decoded text (one per ASCII character,
   * so about bytes). Past it the request is aborted with an `EventTooLargeError`.
   * @defaultValue 16 Mi (16,777,216): room for base64 images inside events
   */
  maxEventSize?: number | undefined;
  /**
   * Milliseconds without a single byte (while waiting for the response, or between chunks of the
   * body) after which the request is aborted with a `TimeoutError` of kind `idle`. Comments and
   * keep-alives count as bytes, and so do the chunks of an error response's body (when a timeout
   * still cuts that body, the call fails with the `HTTPError`, not a `TimeoutError`). `false` waits for ever;
   * a value past 2^31 - 1 ms (the timers' limit) waits that long, about 24.8 days.
   * @defaultValue `120000` (2 minutes: long enough for a model that thinks before its first token)
   */
  idleTimeout?: number | false | undefined;
  /**
   * Milliseconds the whole call may take, retries and reading included, after which it is aborted
   * with a `TimeoutError` of kind `total`. `false` or omitted: no limit. A value past 2^31 - 1 ms
   * (the timers' limit) waits that long, about 24.8 days.
   * @defaultValue `false`
   */
  timeout?: number | false | undefined;
  /**
   * Retries for failures before any response body arrived: network failures (`fetch` rejected
   * with a `TypeError`) and, by default, statuses 408, 429, 500, 502, 503 and 504, with exponential
   * backoff and jitter, honouring `Retry-After`. Only what a retry could fix: a request that cannot
   * be built (invalid or base-less URL, invalid header or method) fails before the first attempt
   * with a `TypeError`, and other errors from a custom `fetch` are not retried. A request answered
   * with status 200 is never sent again. `true` uses the defaults; a number is the retry limit.
   * When retries run out, the error's `attempts` says how many requests were sent.
   * @defaultValue `false`: a POST to a model costs tokens, so nothing is re-sent unless asked
   */
  retry?: number | boolean | RetryOptions | undefined;
  /**
   * After the stream drops (the connection breaks, or the body ends before the stream's
   * terminator), send the request again with a `Last-Event-ID` header (the ID in UTF-8) so the
   * server resumes after the last event received. Only when the server has sent an event `id`.
   * The server's `retry` field sets the wait (never below `minDelay`); a `204 No Content` answer to
   * a reconnection ends the stream (as it stops `EventSource`). At most `limit` reconnections in a
   * row without an event and `totalLimit` in all (see {@link ReconnectOptions}). `true` uses the defaults.
   * @defaultValue `false`
   */
  reconnect?: boolean | ReconnectOptions | undefined;
  /** Called with each valid `retry` field's value, in milliseconds. */
  onRetry?: ParseEventStreamOptions['onRetry'];
  /** Called with each comment's text (keep-alives such as `: ping`). */
  onComment?: ParseEventStreamOptions['onComment'];
}

/** One call: its request and reconnection policy, resolved once, and its scope (user signal, idle and total timeouts). @internal */
export interface EventStreamCall {
  readonly prepared: PreparedRequest;
  readonly reconnect: ReconnectPolicy | undefined;
  readonly scope: RequestScope;
}

/**
 * Sends the request and yields the events of each network chunk together, reconnecting (when
 * asked) after a drop. Errors are thrown raw; the caller maps them with `call.scope.mapError`.
 * The generator returns when the body ends and no reconnection is due.
 *
 * @internal
 * @throws {ReconnectLimitError} (with `text: ''`, filled in by `mapError`) when the stream drops
 *   again after `reconnect.totalLimit` reconnections.
 */
export async function* eventStreamBatches(
  options: EventStreamRequestInit,
  call: EventStreamCall,
): AsyncGenerator<readonly ServerSentEvent[], void, undefined> {
  const { prepared, scope, reconnect } = call;
  let lastEventId = '';
  let serverRetry: number | undefined;
  let reconnects = 0;
  let reconnectsInARow = 0;
  for (;;) {
    let body: ReadableStream<Uint8Array>;
    try {
      ({ body } = await openEventStream(prepared, scope, lastEventId));
    } catch (error) {
      // 204 No Content in answer to a reconnection: the server says there is nothing to resume.
      if (reconnectsInARow > 0 && error instanceof HTTPError && error.status === 204) return;
      throw error;
    }
    let dropped: unknown;
    try {
      const batches = readEventBatches(body, {
        signal: scope.signal,
        maxEventSize: options.maxEventSize,
        lastEventId,
        onChunk: (id) => {
          lastEventId = id;
          scope.activity();
        },
        onComment: options.onComment,
        onRetry: (retry) => {
          serverRetry = retry;
          options.onRetry?.(retry);
        },
      });
      for await (const events of batches) {
        reconnectsInARow = 0;
        yield events;
      }
    } catch (error) {
      dropped = error;
    }
    const canResume =
      reconnect !== undefined &&
      lastEventId !== '' &&
      reconnectsInARow < reconnect.limit &&
      !scope.signal.aborted &&
      (dropped === undefined || dropped instanceof TypeError);
    if (!canResume) {
      if (dropped !== undefined) throw dropped;
      return;
    }
    if (reconnects >= reconnect.totalLimit) {
      throw new ReconnectLimitError(reconnects, prepared.description, { text: '', cause: dropped });
    }
    reconnects += 1;
    reconnectsInARow += 1;
    scope.pauseIdle();
    await sleep(serverRetry === undefined ? reconnect.delay : Math.max(serverRetry, reconnect.minDelay), scope.signal);
  }
}

/**
 * Starts a call: the request and the reconnection policy, checked before anything is sent or
 * any timer starts; then the scope (user signal, idle and total timeouts).
 *
 * @internal
 * @throws {TypeError} for a request that cannot be made (see `prepareRequest`).
 * @throws {RangeError} for an invalid `retry`, `reconnect` or timeout option.
 */
export function startCall(input: string | URL, options: EventStreamRequestInit): EventStreamCall {
  const prepared = prepareRequest(input, options);
  const reconnect = toReconnectPolicy(options.reconnect);
  return { prepared, reconnect, scope: createRequestScope(options) };
}

/**
 * Sends a request (any method; POST by default) and yields the raw {@link ServerSentEvent}s of its
 * response: for event streams that are not token streams (progress events, notifications).
 *
 * The response must have status 200 and `Content-Type: text/event-stream` (rule 22 of
 * `docs/event-stream-parsing.md`); the body is parsed with {@link parseEventStream}. Ending the
 * loop early or aborting `signal` cancels the body, so the server sees the connection close. The
 * iteration ends when the body ends (after reconnecting, with `reconnect`, while the server allows).
 *
 * @throws {HTTPError} for any status other than 200, with the body (JSON or text, up to 64 KiB).
 * @throws {ContentTypeError} for a 200 that is not `text/event-stream`.
 * @throws {NetworkError} when the request fails or the connection drops mid-stream.
 * @throws {TimeoutError} when `idleTimeout` or `timeout` passes (but an error response whose body
 *   was still arriving is an `HTTPError`, with the part read and the `TimeoutError` as `cause`).
 * @throws {EventTooLargeError} when one event grows past `maxEventSize`.
 * @throws {ReconnectLimitError} with `reconnect`, when the stream drops again after
 *   `reconnect.totalLimit` reconnections.
 * @throws `signal.reason` (not wrapped) when `signal` aborts.
 * @throws {TypeError} before anything is sent, for a request that cannot be made: an invalid URL,
 *   a relative URL with no base (no `location`, as in Node) and the global `fetch`, credentials in
 *   the URL, an invalid header, method or option, a GET with a body. Never retried.
 * @throws {RangeError} for an invalid `maxEventSize`, timeout, retry or reconnect option.
 *
 * @example
 * ```ts
 * for await (const event of fetchEventStream('/jobs/42/progress', { method: 'GET' })) {
 *   if (event.type === 'progress') render(JSON.parse(event.data));
 * }
 * ```
 */
export async function* fetchEventStream(
  input: string | URL,
  init: EventStreamRequestInit = {},
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const call = startCall(input, init);
  try {
    for await (const events of eventStreamBatches(init, call)) {
      yield* events;
    }
  } catch (error) {
    throw call.scope.mapError(error, call.prepared.description, '');
  } finally {
    call.scope.dispose();
  }
}
