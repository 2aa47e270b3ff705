import { HTTPError } from './errors.js';
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
 */
export interface ReconnectOptions {
  /**
   * The most reconnections in a row without an event between them.
   * @defaultValue `3`
   */
  limit?: number | undefined;
  /**
   * The wait before reconnecting, in milliseconds. A `retry` field from the server replaces it.
   * @defaultValue `1000`
   */
  delay?: number | undefined;
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
   * keep-alives count as bytes. `false` waits for ever.
   * @defaultValue `120000` (2 minutes: long enough for a model that thinks before its first token)
   */
  idleTimeout?: number | false | undefined;
  /**
   * Milliseconds the whole call may take, retries and reading included, after which it is aborted
   * with a `TimeoutError` of kind `total`. `false` or omitted: no limit.
   * @defaultValue `false`
   */
  timeout?: number | false | undefined;
  /**
   * Retries for failures before any response body arrived: network failures and, by default,
   * statuses 408, 429, 500, 502, 503 and 504, with exponential backoff and jitter, honouring
   * `Retry-After`. A request answered with status 200 is never sent again. `true` uses the
   * defaults; a number is the retry limit. When retries run out, the error's `attempts` says how
   * many requests were sent.
   * @defaultValue `false`: a POST to a model costs tokens, so nothing is re-sent unless asked
   */
  retry?: number | boolean | RetryOptions | undefined;
  /**
   * After the stream drops (the connection breaks, or the body ends before the stream's
   * terminator), send the request again with a `Last-Event-ID` header so the server resumes after
   * the last event received. Only when the server has sent an event `id`. The server's `retry`
   * field sets the wait; a `204 No Content` answer to a reconnection ends the stream (as it stops
   * `EventSource`). `true` uses the defaults.
   * @defaultValue `false`
   */
  reconnect?: boolean | ReconnectOptions | undefined;
  /** Called with each valid `retry` field's value, in milliseconds. */
  onRetry?: ParseEventStreamOptions['onRetry'];
  /** Called with each comment's text (keep-alives such as `: ping`). */
  onComment?: ParseEventStreamOptions['onComment'];
}

/** One call: its request, built once, and its scope (user signal, idle and total timeouts). @internal */
export interface EventStreamCall {
  readonly prepared: PreparedRequest;
  readonly scope: RequestScope;
}

function toReconnect(reconnect: EventStreamRequestInit['reconnect']): { limit: number; delay: number } | undefined {
  if (reconnect === undefined || reconnect === false) return undefined;
  const options = reconnect === true ? {} : reconnect;
  return { limit: options.limit ?? 3, delay: options.delay ?? 1000 };
}

/**
 * Sends the request and yields the events of each network chunk together, reconnecting (when
 * asked) after a drop. Errors are thrown raw; the caller maps them with `call.scope.mapError`.
 * The generator returns when the body ends and no reconnection is due.
 *
 * @internal
 */
export async function* eventStreamBatches(
  options: EventStreamRequestInit,
  call: EventStreamCall,
): AsyncGenerator<readonly ServerSentEvent[], void, undefined> {
  const { prepared, scope } = call;
  const reconnect = toReconnect(options.reconnect);
  let lastEventId = '';
  let reconnectDelay = reconnect?.delay ?? 0;
  let reconnectsInARow = 0;
  for (;;) {
    let body: ReadableStream<Uint8Array>;
    try {
      ({ body } = await openEventStream(prepared, options, scope, lastEventId));
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
          reconnectDelay = retry;
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
      (dropped === undefined || (dropped instanceof TypeError));
    if (!canResume) {
      if (dropped !== undefined) throw dropped;
      return;
    }
    reconnectsInARow += 1;
    scope.pauseIdle();
    await sleep(reconnectDelay, scope.signal);
  }
}

/**
 * Starts a call: the scope (user signal, idle and total timeouts) and the bookkeeping.
 *
 * @internal
 */
export function startCall(input: string | URL, options: EventStreamRequestInit): EventStreamCall {
  return { prepared: prepareRequest(input, options), scope: createRequestScope(options) };
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
 * @throws {TimeoutError} when `idleTimeout` or `timeout` passes.
 * @throws {EventTooLargeError} when one event grows past `maxEventSize`.
 * @throws `signal.reason` (not wrapped) when `signal` aborts.
 * @throws {RangeError} for an invalid `maxEventSize`, timeout or retry option.
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
