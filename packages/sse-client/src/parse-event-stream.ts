import { createAsyncGenerator, DONE, isPromise, type Settled } from './async-generator.js';
import { createLineDecoder, type LineDecoder } from './line-decoder.js';
import {
  createParser,
  type EventSourceParser,
  type ParserCallbacks,
  type ParserOptions,
} from './parse.js';
import type { ServerSentEvent } from './types.js';

/** Options for {@link parseEventStream} and {@link parseEventStreamBatches}. */
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
 * The engine of {@link parseEventStream}, {@link parseEventStreamBatches} and the clients: reads
 * `body` as `text/event-stream`, collecting the events of each network chunk in one array, and
 * gives what `deliver` makes of each such array that is not empty (the array itself, or its first
 * event, the rest being kept by the caller). `buffered`, when given, is asked first on each
 * `next()`: the events of a batch still to hand over, one at a time.
 *
 * Nothing is read before the first `next()`. The body's reader is released when the stream ends,
 * and cancelled too (with `signal.reason`, if any) when iteration stops early: `return()`,
 * `throw()`, an abort, an error. An error that arises while a chunk is parsed (an
 * {@link EventTooLargeError}) is thrown after the events of that chunk before it; an abort (from a
 * callback while a chunk is parsed, or between two calls) is thrown before anything else.
 */
function readEvents<T>(
  body: ReadableStream<Uint8Array>,
  options: ReadEventBatchesOptions,
  deliver: (batch: ServerSentEvent[]) => IteratorResult<T, void>,
  buffered?: () => IteratorResult<T, void> | undefined,
): AsyncGenerator<T, void, undefined> {
  const { signal, onRetry, onComment, onChunk, maxEventSize, lastEventId } = options;
  let batch: ServerSentEvent[] = [];
  let parser: EventSourceParser | undefined;
  let decoder: LineDecoder;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // True once the body ended or errored: then there is nothing to cancel.
  let ended = false;
  // An error to throw at the next `next()`, after the events before it.
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
  function onRead(result: ReadableStreamReadResult<Uint8Array>): IteratorResult<T, void> | Promise<IteratorResult<T, void>> {
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
    // A callback above (`onComment`, `onRetry`, `onChunk`) may have aborted: then nothing of this
    // chunk is handed over, as after an abort between events.
    signal?.throwIfAborted();
    if (batch.length > 0) {
      const events = batch;
      batch = [];
      return deliver(events);
    }
    if (failure) throw failure.error;
    if (ended) {
      release();
      return DONE;
    }
    return read();
  }

  // The generator's bookkeeping, done here as each read settles (see `createAsyncGenerator`), and
  // the read that `pull` gave the generator.
  let settled: Settled<T>;
  let reading: Promise<IteratorResult<T, void>>;
  let held = false;
  const onChunkRead = (result: ReadableStreamReadResult<Uint8Array>): IteratorResult<T, void> | Promise<IteratorResult<T, void>> => {
    let outcome: IteratorResult<T, void> | Promise<IteratorResult<T, void>>;
    try {
      outcome = onRead(result);
    } catch (error) {
      settled.fail();
      throw error;
    }
    if (!isPromise(outcome)) return settled.settle(outcome);
    // A read more settles on its own, a few steps before the read `pull` gave (which adopts it)
    // does: later calls wait for that one.
    if (!held) {
      held = true;
      settled.hold(reading);
    }
    return outcome;
  };
  const onReadFailed = (error: unknown): never => {
    ended = true; // an errored stream needs no cancel
    settled.fail();
    throw signal?.aborted ? signal.reason : error;
  };

  /** Reads chunks until one completes events, or the body ends, or something fails. */
  const read = (): Promise<IteratorResult<T, void>> => reader!.read().then(onChunkRead, onReadFailed);

  return createAsyncGenerator<T>((hooks) => {
    settled = hooks;
    if (!parser) {
      // Without `onError`, `feed` throws the EventTooLargeError where the event grows too large,
      // and parses nothing after it. The parser holds the unfinished line's text and bounds it by
      // `maxEventSize`; the decoder holds at most the 3 bytes of a split character (rules 1–4).
      parser = createParser(
        { onEvent: (event) => batch.push(event), onRetry, onComment },
        { maxEventSize, lastEventId },
      );
      decoder = createLineDecoder((text) => parser!.feed(text));
      reader = body.getReader();
      signal?.addEventListener('abort', onAbort, { once: true });
    }
    // An abort takes effect before anything more is read or handed over, even an event already
    // parsed (the generator then releases the reader, cancelling the body with the reason).
    signal?.throwIfAborted();
    const result = buffered?.();
    if (result) return result;
    if (failure) throw failure.error;
    if (ended) {
      release();
      return DONE;
    }
    held = false;
    return (reading = read());
  }, release, true);
}

const asBatch = (events: ServerSentEvent[]): IteratorResult<readonly ServerSentEvent[], void> => ({
  done: false,
  value: events,
});

/**
 * Reads a byte stream as `text/event-stream`, yielding the events of each network chunk together
 * (never an empty batch): {@link parseEventStreamBatches} with `onChunk`, the clients' engine.
 *
 * @internal
 */
export function readEventBatches(
  body: ReadableStream<Uint8Array>,
  options: ReadEventBatchesOptions = {},
): AsyncGenerator<readonly ServerSentEvent[], void, undefined> {
  return readEvents(body, options, asBatch);
}

/**
 * Parses a `text/event-stream` body as {@link parseEventStream} does, but yields the events of
 * each network chunk together, in one array per chunk (never an empty one), as soon as the chunk
 * is parsed. Use it when the consumer can take several events at once (a UI that renders once per
 * chunk, a buffer filled for a worker): a chunk of many events then costs one asynchronous step,
 * not one per event. The events, their order and the errors are those of {@link parseEventStream};
 * only their grouping depends on how the network split the body.
 *
 * Nothing is read before the first `next()`. The body's reader is released when the stream ends,
 * and cancelled too (with `signal.reason`, if any) when iteration stops early: `break`, `return()`,
 * `throw()`, an abort, an error. An abort from `onComment` or `onRetry` while a chunk is parsed
 * takes effect at once: that chunk's batch is not handed over. Calls to `next()` are served in
 * order, as an `async function*`'s are.
 *
 * @param body - The response body, e.g. `response.body`.
 * @param options - As for {@link parseEventStream}: `signal`, `maxEventSize`, `lastEventId`,
 *   `onRetry`, `onComment`.
 * @returns An async generator of read-only arrays of events, each array the events completed by
 *   one chunk of `body`, in stream order. Each array is new: keeping it is safe.
 * @throws {EventTooLargeError} when one event grows past `maxEventSize` (the reader is cancelled),
 *   after the batch of the events before it in the same chunk.
 * @throws `signal.reason` when `signal` aborts.
 * @throws whatever the body stream errors with (e.g. a `TypeError` when the connection drops),
 *   after the batches already read.
 *
 * @example
 * ```ts
 * const response = await fetch('/events');
 * for await (const events of parseEventStreamBatches(response.body!)) {
 *   for (const event of events) messages.push(JSON.parse(event.data));
 *   render(messages); // once per network chunk, however many events it held
 * }
 * ```
 */
export function parseEventStreamBatches(
  body: ReadableStream<Uint8Array>,
  options: ParseEventStreamOptions = {},
): AsyncGenerator<readonly ServerSentEvent[], void, undefined> {
  return readEvents(body, { ...options, onChunk: undefined }, asBatch);
}

/**
 * Parses a `text/event-stream` body into {@link ServerSentEvent}s, as they arrive.
 *
 * Decodes UTF-8 exactly as one streaming `TextDecoder` would, so a multibyte character split
 * across chunks survives, invalid bytes become U+FFFD, and exactly one byte order mark is removed
 * at the start of the stream (rules 1–4 of `docs/event-stream-parsing.md`); then parses with
 * {@link createParser}. Each chunk is decoded once, as it arrives; only the first bytes of a
 * character split across chunks (at most 3) wait for the next chunk, and the parser bounds the
 * text of an unfinished line by `maxEventSize`. An event is delivered in the task in which the
 * bytes that end it arrive. Nothing is read before the first `next()`. When the loop ends early
 * (`break`, `return`, a thrown error) or `signal` aborts, the body's reader is cancelled and
 * released; after an abort, `next()` throws `signal.reason` at once, also while events of a chunk
 * already read are still to come, and for an abort from `onComment` or `onRetry` while a chunk is
 * parsed (none of that chunk's events is handed over). Calls to `next()` are served in order, as an `async function*`'s are.
 *
 * Events are handed over one per `next()`, each a resolved promise when its chunk is already
 * read. A consumer that can take a chunk's events together saves that step per event with
 * {@link parseEventStreamBatches}.
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
  // The events of the last chunk, handed over one per `next()` without reading again.
  let events: ServerSentEvent[] = [];
  let next = 0;
  return readEvents<ServerSentEvent>(
    body,
    { ...options, onChunk: undefined },
    (batch) => {
      events = batch;
      next = 1;
      return { done: false, value: batch[0]! };
    },
    () => (next < events.length ? { done: false, value: events[next++]! } : undefined),
  );
}
