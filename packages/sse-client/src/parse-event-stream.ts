import { createLineDecoder } from './line-decoder.js';
import { createParser, DEFAULT_MAX_EVENT_SIZE, type ParserCallbacks, type ParserOptions } from './parse.js';
import type { ServerSentEvent } from './types.js';

/** Options for {@link parseEventStream}. */
export interface ParseEventStreamOptions extends ParserOptions {
  /**
   * Cancels reading: the body's reader is cancelled (so an HTTP server sees the connection close)
   * and iteration throws `signal.reason` (the platform's `AbortError` for a plain `abort()`).
   */
  signal?: AbortSignal | undefined;
  /** Called with each valid `retry` value, in milliseconds (rule 15). */
  onRetry?: ParserCallbacks['onRetry'];
  /** Called with each comment's text (rule 8). Comments such as `: ping` are keep-alives. */
  onComment?: ParserCallbacks['onComment'];
}

/** @internal */
export interface ReadEventBatchesOptions extends ParseEventStreamOptions {
  /**
   * Called after each network chunk has been parsed (keep-alives included), with the stream's last
   * event ID at that point: what the clients use for the idle timer and for resuming.
   */
  onChunk?: ((lastEventId: string) => void) | undefined;
}

/**
 * Reads a byte stream as `text/event-stream`, yielding the events of each network chunk together.
 * The shared engine of {@link parseEventStream} and the clients: batching per chunk lets a UI
 * render once per chunk instead of once per event.
 *
 * @internal
 */
export async function* readEventBatches(
  body: ReadableStream<Uint8Array>,
  options: ReadEventBatchesOptions = {},
): AsyncGenerator<readonly ServerSentEvent[], void, undefined> {
  const { signal, onRetry, onComment, onChunk, maxEventSize, lastEventId } = options;
  if (signal?.aborted) {
    // The body was handed over to be read: release it as an abort mid-stream would.
    body.cancel(signal.reason).catch(() => undefined);
    throw signal.reason;
  }
  let batch: ServerSentEvent[] = [];
  // Without `onError`, `feed` throws the EventTooLargeError where the event grows too large, and
  // parses nothing after it.
  const parser = createParser(
    { onEvent: (event) => batch.push(event), onRetry, onComment },
    { maxEventSize, lastEventId },
  );
  // Rules 1–4. An unfinished line's bytes are held, up to about `maxEventSize` (a code unit takes
  // at least one byte), before the parser sees them.
  const decoder = createLineDecoder(maxEventSize ?? DEFAULT_MAX_EVENT_SIZE);
  const reader = body.getReader();
  const onAbort = (): void => {
    reader.cancel(signal?.reason).catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let ended = false;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        ended = true; // an errored stream needs no cancel
        signal?.throwIfAborted();
        throw error;
      }
      signal?.throwIfAborted();
      let failure: { error: unknown } | undefined;
      try {
        if (result.done) {
          ended = true;
          // A truncated multibyte sequence at the very end becomes U+FFFD (rule 3); a pending
          // event is discarded (rule 21) simply by never receiving its blank line.
          parser.feed(decoder.end());
        } else {
          parser.feed(decoder.decode(result.value));
        }
      } catch (error) {
        failure = { error };
      }
      onChunk?.(parser.lastEventId);
      // The events completed before a failure are delivered first, so what a consumer sees
      // does not depend on where the network happened to split the chunks.
      if (batch.length > 0) {
        const events = batch;
        batch = [];
        yield events;
      }
      if (failure) throw failure.error;
      if (ended) return;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!ended) reader.cancel(signal?.reason).catch(() => undefined);
    reader.releaseLock();
  }
}

/**
 * Parses a `text/event-stream` body into {@link ServerSentEvent}s, as they arrive.
 *
 * Decodes UTF-8 in streaming mode, so a multibyte character split across chunks survives, and
 * removes exactly one byte order mark at the start of the stream (rules 1–4 of
 * `docs/event-stream-parsing.md`); then parses with {@link createParser}. When the loop ends early
 * (`break`, `return`, a thrown error) or `signal` aborts, the body's reader is cancelled and released.
 *
 * It does not check HTTP status or `Content-Type`: for a `fetch` response, use
 * {@link fetchEventStream} or {@link streamTokens}, which do.
 *
 * @param body - The response body, e.g. `response.body`.
 * @throws {EventTooLargeError} when one event grows past `maxEventSize` (the reader is cancelled).
 * @throws `signal.reason` when `signal` aborts.
 * @throws whatever the body stream errors with (e.g. a `TypeError` when the connection drops).
 *
 * @example
 * ```ts
 * const response = await fetch('/events');
 * for await (const event of parseEventStream(response.body!)) {
 *   console.log(event.type, event.data, event.lastEventId);
 * }
 * ```
 */
export async function* parseEventStream(
  body: ReadableStream<Uint8Array>,
  options: ParseEventStreamOptions = {},
): AsyncGenerator<ServerSentEvent, void, undefined> {
  for await (const events of readEventBatches(body, options)) {
    yield* events;
  }
}
