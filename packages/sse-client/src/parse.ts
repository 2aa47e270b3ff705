import { EventTooLargeError } from './errors.js';
import type { ServerSentEvent } from './types.js';

/** What the parser calls as it recognises events, `retry` fields, comments and oversized events. */
export interface ParserCallbacks {
  /** Called once per dispatched event, in stream order (rules 16–20). */
  onEvent: (event: ServerSentEvent) => void;
  /**
   * Called with the reconnection time in milliseconds when a `retry` field's value is one or more
   * ASCII digits (rule 15). Values such as `1000x`, `-1` or `""` are ignored and never reach it.
   */
  onRetry?: ((retry: number) => void) | undefined;
  /**
   * Called with each comment line's text: everything after the leading `:`, with one leading
   * space removed, like a field value (`": ping"` gives `"ping"`). Comments are otherwise ignored (rule 8).
   */
  onComment?: ((comment: string) => void) | undefined;
  /**
   * Called when one event grows past `maxEventSize`. The parser then discards that event and
   * everything up to the blank line that ends it, and goes on with the next event.
   * When omitted, `feed` throws the {@link EventTooLargeError} instead (and the rest of that chunk is
   * lost: call `reset()` before feeding the parser again).
   */
  onError?: ((error: EventTooLargeError) => void) | undefined;
}

/** Options for {@link createParser}. */
export interface ParserOptions {
  /**
   * The most one pending event may take, in UTF-16 code units of decoded text (one per
   * character for ASCII, so about bytes; about a third of the bytes for CJK; two per emoji): the
   * unfinished line plus the event's data buffer. Past it the parser reports an
   * {@link EventTooLargeError} and stops growing. Since no line may pass it either, the stored
   * `event` type and `id` are bounded by it too: the parser holds at most about three times
   * `maxEventSize` at once. `Infinity` disables the bound.
   *
   * @defaultValue {@link DEFAULT_MAX_EVENT_SIZE} (16 Mi code units: room for base64 images)
   */
  maxEventSize?: number | undefined;
  /**
   * The stream's last event ID to start from: events before the first `id` field carry it. Use it
   * when resuming a stream on a new connection, as `EventSource` keeps the ID across reconnections.
   * @defaultValue `""`
   */
  lastEventId?: string | undefined;
}

/** An incremental `text/event-stream` parser: feed it decoded text in chunks of any size. */
export interface EventSourceParser {
  /**
   * Parses the next piece of the stream's decoded text. Events complete in it are dispatched
   * synchronously through `onEvent` before `feed` returns. Chunk boundaries may fall anywhere,
   * including between the CR and LF of one line ending (rule 6).
   *
   * @throws {EventTooLargeError} when an event grows past `maxEventSize` and no `onError` callback was given.
   */
  feed(chunk: string): void;
  /**
   * Forgets everything: the unfinished line and event, the event type, and the last event ID
   * (back to the `lastEventId` option). The parser is then as new: call it before feeding it
   * another stream.
   */
  reset(): void;
  /**
   * The stream's last event ID: the `id` in force when the last event was dispatched, also by an
   * event that carried no data (rule 16). Send it as `Last-Event-ID` when resuming the stream.
   */
  readonly lastEventId: string;
}

/** The default `maxEventSize`: 16 Mi (16,777,216) UTF-16 code units. */
export const DEFAULT_MAX_EVENT_SIZE = 16 * 1024 * 1024;

const LF = 10;
const CR = 13;
const SPACE = 32;
const DIGITS = /^[0-9]+$/;

/**
 * Creates an incremental, spec-conformant `text/event-stream` parser. It follows WHATWG HTML
 * § "Parsing an event stream" and § "Interpreting an event stream", restated as the numbered
 * rules of `docs/event-stream-parsing.md`:
 * - lines end at CRLF, LF or CR, also when CR and LF arrive in different chunks;
 * - `:` lines are comments; a line without a colon is a field with an empty value; one leading
 *   space of a value is removed; field names are case-sensitive and unknown ones are ignored;
 * - `id` values containing NULL are ignored; the last event ID persists across events;
 * - `retry` is accepted only when it is all ASCII digits;
 * - a blank line dispatches the event, unless its data buffer is empty;
 * - an event that never ends with a blank line is never dispatched (rule 21).
 *
 * The parser works on strings and does not strip a byte order mark: decode bytes with
 * `TextDecoder`, which strips one, or use {@link parseEventStream}. Time and memory are linear in
 * the input however it is chunked: an unfinished line is kept as a list of pieces and joined once.
 *
 * @throws {RangeError} when `maxEventSize` is not a positive number.
 *
 * @example
 * ```ts
 * const parser = createParser({ onEvent: (event) => console.log(event.type, event.data) });
 * parser.feed('event: greeting\nda');
 * parser.feed('ta: hello\r');
 * parser.feed('\n\n'); // logs "greeting hello"
 * ```
 */
export function createParser(callbacks: ParserCallbacks, options: ParserOptions = {}): EventSourceParser {
  const { onEvent, onRetry, onComment, onError } = callbacks;
  const maxEventSize = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  if (!(maxEventSize > 0)) {
    throw new RangeError(`maxEventSize must be a positive number of UTF-16 code units, got ${String(maxEventSize)}`);
  }

  // The unfinished last line, as pieces (joined once, when its line ending arrives).
  let linePieces: string[] = [];
  let lineLength = 0;
  // True when the previous chunk ended with CR: an LF starting the next chunk belongs to it (rule 6).
  let swallowLF = false;
  // The event being built. `data` is the data buffer without its last LF (rule 18 removes it
  // anyway), `hasData` whether the buffer holds anything at all (rule 17).
  let data = '';
  let hasData = false;
  let dataLength = 0;
  let eventType = '';
  const initialLastEventId = options.lastEventId ?? '';
  let lastEventIdBuffer = initialLastEventId;
  let lastEventId = initialLastEventId;
  // True from an oversized event until the blank line that ends it.
  let discarding = false;
  // True while the rest of a line whose beginning was dropped is still to come.
  let droppedLine = false;

  function overflow(): void {
    discarding = true;
    data = '';
    hasData = false;
    dataLength = 0;
    linePieces = [];
    lineLength = 0;
    const error = new EventTooLargeError(maxEventSize);
    if (onError) onError(error);
    else throw error;
  }

  function dispatch(): void {
    // Rule 16: the buffer becomes the stream's last event ID, and is not reset.
    lastEventId = lastEventIdBuffer;
    const event: ServerSentEvent = { type: eventType || 'message', data, lastEventId };
    // Rule 17: an empty data buffer dispatches nothing (nor does an event discarded as too large).
    const dispatchable = hasData && !discarding;
    // Rule 20, done before `onEvent` runs so that it may call `feed` or `reset`.
    data = '';
    hasData = false;
    dataLength = 0;
    eventType = '';
    discarding = false;
    if (dispatchable) onEvent(event);
  }

  function processLine(line: string): void {
    if (line === '') {
      dispatch(); // rule 7
      return;
    }
    if (discarding) return;
    const colon = line.indexOf(':');
    if (colon === 0) {
      // Rule 8: a comment.
      onComment?.(line.charCodeAt(1) === SPACE ? line.slice(2) : line.slice(1));
      return;
    }
    let field: string;
    let value: string;
    if (colon === -1) {
      // Rule 10: the whole line is the field name, the value is empty.
      field = line;
      value = '';
    } else {
      // Rule 9: split at the first colon, remove one leading space.
      field = line.slice(0, colon);
      const valueStart = line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1;
      value = line.slice(valueStart);
    }
    // Rule 11: field names are case-sensitive; anything else is ignored.
    switch (field) {
      case 'event': // rule 12
        eventType = value;
        break;
      case 'data': // rule 13
        if (dataLength + value.length + 1 > maxEventSize) {
          overflow();
          return;
        }
        // Rule 13, with the LF put between values rather than after each. Engines concatenate
        // strings as ropes, so an event of many lines still costs linear time.
        data = hasData ? `${data}\n${value}` : value;
        hasData = true;
        dataLength += value.length + 1;
        break;
      case 'id': // rule 14
        if (!value.includes('\u0000')) lastEventIdBuffer = value;
        break;
      case 'retry': // rule 15
        if (DIGITS.test(value)) onRetry?.(Number.parseInt(value, 10));
        break;
      default:
        break;
    }
  }

  function feed(chunk: string): void {
    const length = chunk.length;
    let start = 0;
    if (swallowLF && length > 0) {
      if (chunk.charCodeAt(0) === LF) start = 1;
      swallowLF = false;
    }
    // The next CR and LF at or after `start`, each found once per occurrence: linear in the chunk.
    let nextLF = chunk.indexOf('\n', start);
    let nextCR = chunk.indexOf('\r', start);
    while (nextLF !== -1 || nextCR !== -1) {
      const end = nextLF === -1 ? nextCR : nextCR === -1 ? nextLF : Math.min(nextLF, nextCR);
      let line = chunk.slice(start, end);
      start = end + 1;
      // Rules 5 and 6: CRLF is one line ending, also when CR and LF fall in different chunks.
      if (chunk.charCodeAt(end) === CR) {
        if (start === length) swallowLF = true;
        else if (chunk.charCodeAt(start) === LF) start += 1;
      }
      if (nextLF !== -1 && nextLF < start) nextLF = chunk.indexOf('\n', start);
      if (nextCR !== -1 && nextCR < start) nextCR = chunk.indexOf('\r', start);

      if (droppedLine) {
        // The end of a line whose beginning was dropped: it is not blank, and it is discarded.
        droppedLine = false;
        continue;
      }
      if (linePieces.length > 0) {
        linePieces.push(line);
        line = linePieces.join('');
        linePieces = [];
        lineLength = 0;
      }
      if (!discarding && line.length + dataLength > maxEventSize) {
        overflow();
        continue;
      }
      processLine(line);
    }
    if (start < length) {
      // An unfinished line. An oversized event's text is dropped, never stored.
      if (discarding) {
        droppedLine = true;
        return;
      }
      const rest = start === 0 ? chunk : chunk.slice(start);
      linePieces.push(rest);
      lineLength += rest.length;
      if (lineLength + dataLength > maxEventSize) {
        droppedLine = true;
        overflow();
      }
    }
  }

  function reset(): void {
    linePieces = [];
    lineLength = 0;
    swallowLF = false;
    data = '';
    hasData = false;
    dataLength = 0;
    eventType = '';
    lastEventIdBuffer = initialLastEventId;
    lastEventId = initialLastEventId;
    discarding = false;
    droppedLine = false;
  }

  return {
    feed,
    reset,
    get lastEventId() {
      return lastEventId;
    },
  };
}
