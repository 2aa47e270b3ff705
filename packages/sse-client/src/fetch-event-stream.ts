import { HTTPError, notify, ReconnectLimitError, type RequestDescription } from './errors.js';
import { resolveOptions, type EventStreamRequestInit, type InternalRequestInit } from './options.js';
import { readEventBatches } from './parse-event-stream.js';
import { createRequestScope } from './request-scope.js';
import { openEventStream } from './request.js';
import { sleep } from './retry.js';
import type { ServerSentEvent } from './types.js';

export type { EventStreamRequestInit, JsonBody, ReconnectOptions } from './options.js';

/**
 * How a call turns each network chunk's events into the items it yields (parts, or the events
 * themselves), and when it ends. The engine reads `error` and `end` after each batch. @internal
 */
export interface BatchMapper<Item, End> {
  /**
   * The items for one chunk's events (an empty array yields nothing); `request` is for errors.
   * Never throws: a failure is set as `error` (a throw would be taken for a dropped connection).
   */
  map(events: readonly ServerSentEvent[], request: RequestDescription): readonly Item[];
  /** Set by `map`: the stream fails with it once the items before it are yielded. */
  error?: unknown;
  /** Set by `map`: the stream ends with it once the items before it are yielded. */
  end?: End;
  /** The answer so far, for the errors' `text`. */
  readonly text: string;
  /** The end value when the body ends with no `end` set and no reconnection due; may throw. */
  ended(request: RequestDescription): End;
}

/**
 * The engine of every client call: resolves the options (before anything is sent), sends the
 * request, and yields the items `mapper` makes of each network chunk's events, reconnecting (when
 * asked) after a drop. Errors are mapped by the call's scope (user abort, timeouts, network
 * errors with the text so far), and the scope is disposed however the call ends. One async
 * generator per call: nothing else stands between the byte layer and the consumer.
 *
 * @internal
 * @throws {ReconnectLimitError} when the stream drops again after `reconnect.totalLimit` reconnections.
 * @throws what `resolveOptions`, `openEventStream`, the byte layer and `mapper` throw (mapped).
 */
export async function* callBatches<Item, End>(
  input: string | URL,
  init: InternalRequestInit,
  mapper: BatchMapper<Item, End>,
): AsyncGenerator<readonly Item[], End, undefined> {
  const options = resolveOptions(input, init);
  const scope = createRequestScope(options);
  const { reconnect, request } = options;
  let lastEventId = '';
  let serverRetry: number | undefined;
  let reconnects = 0;
  let reconnectsInARow = 0;
  try {
    for (;;) {
      let body: ReadableStream<Uint8Array>;
      try {
        ({ body } = await openEventStream(options, scope, lastEventId));
      } catch (error) {
        // 204 No Content in answer to a reconnection: the server says there is nothing to resume.
        if (reconnectsInARow > 0 && error instanceof HTTPError && error.status === 204) return mapper.ended(request);
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
          // Observers: what they throw is reported and changes nothing (it is no dropped connection).
          onComment: (comment) => notify(options.onComment, comment),
          onRetry: (retry) => {
            serverRetry = retry;
            notify(options.onRetry, retry);
          },
        });
        for await (const events of batches) {
          reconnectsInARow = 0;
          const items = mapper.map(events, request);
          if (items.length > 0) yield items;
          // Leaving the loop cancels the body: a server that keeps the connection open is disconnected.
          if (mapper.error !== undefined || mapper.end !== undefined) break;
        }
      } catch (error) {
        dropped = error;
      }
      if (mapper.error !== undefined) throw mapper.error;
      if (mapper.end !== undefined) return mapper.end;
      const canResume =
        reconnect !== undefined &&
        lastEventId !== '' &&
        reconnectsInARow < reconnect.limit &&
        !scope.signal.aborted &&
        // A dropped connection: by name, not instanceof, as a stream of another realm (an iframe,
        // jest's environments) rejects its read with that realm's TypeError.
        (dropped === undefined || (dropped as Error | null)?.name === 'TypeError');
      if (!canResume) {
        if (dropped !== undefined) throw dropped;
        return mapper.ended(request);
      }
      if (reconnects >= reconnect.totalLimit) {
        throw new ReconnectLimitError({ reconnects, request, text: mapper.text, cause: dropped });
      }
      reconnects += 1;
      reconnectsInARow += 1;
      scope.pauseIdle();
      await sleep(serverRetry === undefined ? reconnect.delay : Math.max(serverRetry, reconnect.minDelay), scope.signal);
    }
  } catch (error) {
    throw scope.mapError(error, request, mapper.text);
  } finally {
    scope.dispose();
  }
}

/**
 * Sends a request (any method; POST by default) and yields the raw {@link ServerSentEvent}s of its
 * response: for event streams that are not token streams (progress events, notifications).
 *
 * The response must have status 200 and `Content-Type: text/event-stream` (rule 22 of
 * `docs/event-stream-parsing.md`); the body is parsed with {@link parseEventStream}. Ending the
 * loop early or aborting `signal` cancels the body, so the server sees the connection close; after
 * an abort no event is yielded, not even one of a network chunk already read. The
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
 *   the URL with the global `fetch`, an invalid header, method or option, a GET or HEAD with a
 *   body. Never retried.
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
  const mapper: BatchMapper<ServerSentEvent, void> = { map: (events) => events, text: '', ended: () => undefined };
  for await (const events of callBatches(input, init, mapper)) {
    for (const event of events) {
      // An abort from the loop's body takes effect at once, not after the rest of the chunk's
      // events (leaving the loop cancels the body).
      init.signal?.throwIfAborted();
      yield event;
    }
  }
}
