import { HTTPError, ReconnectLimitError } from './errors.js';
import { resolveOptions, type EventStreamRequestInit, type ResolvedOptions } from './options.js';
import { readEventBatches } from './parse-event-stream.js';
import { createRequestScope, type RequestScope } from './request-scope.js';
import { openEventStream } from './request.js';
import { sleep } from './retry.js';
import type { ServerSentEvent } from './types.js';

export type { EventStreamRequestInit, JsonBody, ReconnectOptions } from './options.js';

/** One call: its options, resolved once, and its scope (user signal, idle and total timeouts). @internal */
export interface EventStreamCall {
  readonly options: ResolvedOptions;
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
export async function* eventStreamBatches(call: EventStreamCall): AsyncGenerator<readonly ServerSentEvent[], void, undefined> {
  const { options, scope } = call;
  const { reconnect } = options;
  let lastEventId = '';
  let serverRetry: number | undefined;
  let reconnects = 0;
  let reconnectsInARow = 0;
  for (;;) {
    let body: ReadableStream<Uint8Array>;
    try {
      ({ body } = await openEventStream(options, scope, lastEventId));
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
      throw new ReconnectLimitError({ reconnects, request: options.request, cause: dropped });
    }
    reconnects += 1;
    reconnectsInARow += 1;
    scope.pauseIdle();
    await sleep(serverRetry === undefined ? reconnect.delay : Math.max(serverRetry, reconnect.minDelay), scope.signal);
  }
}

/**
 * Starts a call: every option resolved and checked (see {@link resolveOptions}) before anything is
 * sent or any timer starts; then the scope (user signal, idle and total timeouts).
 *
 * @internal
 * @throws {TypeError} for a request that cannot be made.
 * @throws {RangeError} for an invalid timeout, `maxEventSize`, `retry` or `reconnect` option.
 */
export function startCall(input: string | URL, init: EventStreamRequestInit): EventStreamCall {
  const options = resolveOptions(input, init);
  return { options, scope: createRequestScope(options) };
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
    for await (const events of eventStreamBatches(call)) {
      yield* events;
    }
  } catch (error) {
    throw call.scope.mapError(error, call.options.request, '');
  } finally {
    call.scope.dispose();
  }
}
