import { createAsyncGenerator, DONE } from './async-generator.js';
import { createLineDecoder, type LineDecoder } from './line-decoder.js';
import {
  createParser,
  DEFAULT_MAX_EVENT_SIZE,
  type EventSourceParser,
  type ParserCallbacks,
  type ParserOptions,
} from './parse.js';
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

const ignore = (): void => undefined;

/**
 * Reads a byte stream as `text/event-stream`, yielding the events of each network chunk together
 * (never an empty batch). The shared engine of {@link parseEventStream} and the clients: batching
 * per chunk lets a UI render once per chunk instead of once per event.
 *
 * Nothing is read before the first `next()`. The body's reader is released when the stream ends,
 * and cancelled too (with `signal.reason`, if any) when iteration stops early: `return()`, `throw()`,
 * an abort, an error. Errors are those of {@link parseEventStream}; the events of the chunk in
 * which an {@link EventTooLargeError} arises, before that event, are yielded first, so what a
 * consumer sees does not depend on where the network split the chunks.
 *
 * @internal
 */
export function readEventBatches(
  body: ReadableStream<Uint8Array>,
  options: ReadEventBatchesOptions = {},
): AsyncGenerator<readonly ServerSentEvent[], void, undefined> {
  const { signal, onRetry, onComment, onChunk, maxEventSize, lastEventId } = options;
  let batch: ServerSentEvent[] = [];
  let parser: EventSourceParser | undefined;
  let decoder: LineDecoder;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // True once the body ended or errored: then there is nothing to cancel.
  let ended = false;
  // An error to throw at the next `next()`, after the batch of events before it.
  let failure: { error: unknown } | undefined;
  const onAbort = (): void => {
    reader!.cancel(signal!.reason).catch(ignore);
  };

  function release(): void {
    if (!reader) return;
    signal?.removeEventListener('abort', onAbort);
    if (!ended) reader.cancel(signal?.reason).catch(ignore);
    reader.releaseLock();
  }

  /** Handles one read: the chunk's events, or a read more when it completed none. */
  function onRead(result: ReadableStreamReadResult<Uint8Array>): IteratorResult<readonly ServerSentEvent[], void> | Promise<IteratorResult<readonly ServerSentEvent[], void>> {
    signal?.throwIfAborted();
    ended = result.done;
    try {
      // A truncated multibyte sequence at the very end becomes U+FFFD (rule 3); a pending
      // event is discarded (rule 21) simply by never receiving its blank line.
      if (result.done) decoder.end();
      else decoder.decode(result.value);
    } catch (error) {
      failure = { error };
    }
    onChunk?.(parser!.lastEventId);
    if (batch.length > 0) {
      const value = batch;
      batch = [];
      return { done: false, value };
    }
    if (failure) throw failure.error;
    if (ended) {
      release();
      return DONE;
    }
    return read();
  }

  /** Reads chunks until one completes events, or the body ends, or something fails. */
  const read = (): Promise<IteratorResult<readonly ServerSentEvent[], void>> =>
    reader!.read().then(onRead, (error: unknown) => {
      ended = true; // an errored stream needs no cancel
      throw signal?.aborted ? signal.reason : error;
    });

  return createAsyncGenerator<readonly ServerSentEvent[]>(() => {
    if (failure) throw failure.error;
    if (ended) {
      release();
      return DONE;
    }
    if (!parser) {
      if (signal?.aborted) {
        // The body was handed over to be read: release it as an abort mid-stream would.
        body.cancel(signal.reason).catch(ignore);
        throw signal.reason;
      }
      // Without `onError`, `feed` throws the EventTooLargeError where the event grows too large,
      // and parses nothing after it.
      parser = createParser(
        { onEvent: (event) => batch.push(event), onRetry, onComment },
        { maxEventSize, lastEventId },
      );
      // Rules 1–4. An unfinished line's bytes are held, up to about `maxEventSize` (a code unit
      // takes at least one byte), before the parser sees them.
      decoder = createLineDecoder(maxEventSize ?? DEFAULT_MAX_EVENT_SIZE, (text) => parser!.feed(text));
      reader = body.getReader();
      signal?.addEventListener('abort', onAbort, { once: true });
    }
    return read();
  }, release);
}

/**
 * Parses a `text/event-stream` body into {@link ServerSentEvent}s, as they arrive.
 *
 * Decodes UTF-8 exactly as one streaming `TextDecoder` would, so a multibyte character split
 * across chunks survives, invalid bytes become U+FFFD, and exactly one byte order mark is removed
 * at the start of the stream (rules 1–4 of `docs/event-stream-parsing.md`); then parses with
 * {@link createParser}. The bytes of an unfinished line are held until its line ending arrives
 * (or until they pass `maxEventSize` bytes) and decoded once, so a long line costs one decoding.
 * An event is delivered in the task in which the bytes that end it arrive. Nothing is read before
 * the first `next()`. When the loop ends early (`break`, `return`, a thrown error) or `signal`
 * aborts, the body's reader is cancelled and released. Calls to `next()` are served in order, as
 * an `async function*`'s are.
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
export function parseEventStream(
  body: ReadableStream<Uint8Array>,
  options: ParseEventStreamOptions = {},
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const batches = readEventBatches(body, options);
  let events: readonly ServerSentEvent[] = [];
  let next = 0;
  return createAsyncGenerator<ServerSentEvent>(
    () =>
      next < events.length
        ? { done: false, value: events[next++]! }
        : batches.next().then((result) => {
            if (result.done) return result;
            events = result.value;
            next = 1;
            return { done: false, value: events[0]! };
          }),
    () => void batches.return(),
  );
}
