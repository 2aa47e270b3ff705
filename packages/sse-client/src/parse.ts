import { EventTooLargeError } from './errors.js';
import type { ServerSentEvent } from './types.js';

/**
 * What the parser calls as it recognises events, `retry` fields, comments and oversized events.
 * Each callback may call the parser's `feed` (the chunk is queued and continues the stream after
 * the chunk being parsed) or `reset` (the rest of the chunk being parsed is dropped): see
 * {@link EventSourceParser.feed} and {@link EventSourceParser.reset}. An exception a callback
 * throws leaves the outermost `feed`.
 */
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
   * When omitted, `feed` throws the {@link EventTooLargeError} instead (and the rest of that chunk,
   * with any chunk fed from a callback meanwhile, is lost: call `reset()` before feeding the parser again).
   */
  onError?: ((error: EventTooLargeError) => void) | undefined;
}

/** Options for {@link createParser}. */
export interface ParserOptions {
  /**
   * The most one pending event may take, in UTF-16 code units of decoded text (one per
   * character for ASCII, so about bytes; about a third of the bytes for CJK; two per emoji): the
   * unfinished line plus the event's data buffer (each `data` value plus its LF). Past it the
   * parser reports an {@link EventTooLargeError} and stops growing. `Infinity` disables the bound.
   *
   * The bound holds for the memory really used, however the event is split into lines and
   * chunks (many one-character lines, one long line fed a character at a time): the pending event
   * takes at most about 1.5 bytes of heap per code unit of `maxEventSize` for one-byte text (only
   * Latin-1 characters, such as ASCII) and 2.5 bytes for other text (measured on V8: 1.1 to 1.25
   * and 2.1 to 2.25), plus one copy more for a moment while a long line or the event's data is
   * joined. Since no line may pass the bound either, the `event` type, the pending `id` and the
   * stream's last event ID are each at most `maxEventSize` code units too: at worst a parser holds
   * about 4.5 bytes per code unit of `maxEventSize` for one-byte text and 8.5 bytes for other text
   * (measured: 4.2 and 8.2), so 72 MiB or 136 MiB under the default.
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
   * Called from inside a callback of this parser (`onEvent`, `onRetry`, `onComment`, `onError`),
   * `feed` returns at once: the chunk continues the stream after the whole chunk being parsed, and
   * is parsed, after any chunk fed before it, once that one is done and before the outermost `feed`
   * returns. So the events are the same, in stream order, however the stream is chunked.
   *
   * @throws {EventTooLargeError} when an event grows past `maxEventSize` and no `onError` callback was given.
   * Any exception a callback throws leaves the outermost `feed` too. Either way the rest of the
   * chunk, and the chunks fed from callbacks meanwhile, are dropped: call `reset()` before feeding
   * the parser again.
   */
  feed(chunk: string): void;
  /**
   * Forgets everything: the unfinished line and event, the event type, and the last event ID
   * (back to the `lastEventId` option). The parser is then as new: call it before feeding it
   * another stream.
   *
   * Called from inside a callback of this parser, it also drops the rest of the chunk being parsed
   * and the chunks fed from callbacks before it; chunks fed after it (from the same callback) are
   * parsed as the start of a new stream once the callback returns.
   */
  reset(): void;
  /**
   * The stream's last event ID: the `id` in force when the last event was dispatched, also by an
   * event that carried no data (rule 16). Send it as `Last-Event-ID` when resuming the stream.
   */
  readonly lastEventId: string;
}

/** The default `maxEventSize`: 16 Mi (16,777,216) UTF-16 code units. */
export const DEFAULT_MAX_EVENT_SIZE = (2 ** 24) as 16_777_216;

/** Character codes (a `const enum`: the compiler writes the numbers in place). */
const enum Char {
  LF = 10,
  SPACE = 32,
}

/** The rope of {@link Pieces} (a `const enum`: the compiler writes the number in place). */
const enum Rope {
  /**
   * How long a block is at least: pieces (chunks of one unfinished line, or data values) are kept
   * apart until the last ones reach this many code units, then joined into one flat string (a
   * block; a piece this long is a block by itself). Each piece kept apart costs a string header and
   * an array slot, so bounding their number keeps memory proportional to the text; joining the
   * last pieces, never the whole buffer, keeps the work linear (a character is copied at most four
   * times: into a block of its line, into the line once its end arrives, into a block of the data
   * buffer, into the event's data when that rope is first read).
   */
  BLOCK = 128,
}

/** What `feed` is doing (a `const enum`: the compiler writes the numbers in place). */
const enum Feeding {
  /** Not parsing: `feed` parses the chunk it is given. */
  IDLE,
  /** Parsing a chunk: a chunk fed from a callback waits. */
  PARSING,
  /** Parsing a chunk whose rest a callback dropped by calling `reset()`. */
  INTERRUPTED,
}

/** A field's value: `text` from `start` (to `end`), without one leading space (rule 10). */
const valueOf = (text: string, start: number, end?: number): string =>
  text.slice(text.charCodeAt(start) === Char.SPACE ? start + 1 : start, end);

/** A text built from many pieces, kept as blocks (see {@link Rope.BLOCK}) until it is taken. */
interface Pieces {
  add(piece: string): void;
  /**
   * `head`, the blocks, then the pieces not in a block yet (joined): a rope (concatenated, not
   * copied: the engine copies the text once, when it is first read). The pieces are then cleared;
   * `take('')` clears them.
   */
  take(head: string): string;
}

function createPieces(): Pieces {
  // The blocks, concatenated; then the pieces not joined yet, `size` code units in all.
  let blocks = '';
  let parts: string[] = [];
  let size = 0;
  return {
    add(piece) {
      parts.push(piece);
      if ((size += piece.length) >= Rope.BLOCK) {
        // A piece alone is not copied: `join` would copy it.
        blocks += parts.length > 1 ? parts.join('') : piece;
        parts = [];
        size = 0;
      }
    },
    take(head) {
      head += blocks + parts.join('');
      blocks = '';
      parts = [];
      size = 0;
      return head;
    },
  };
}

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
 * `TextDecoder`, which strips one, or use {@link parseEventStream}. Time is linear in the input
 * however it is chunked, and memory is bounded by `maxEventSize` however the event is split into
 * lines and chunks (see {@link ParserOptions.maxEventSize}). Callbacks may call `feed` and `reset`
 * (see {@link EventSourceParser.feed}).
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
  if (!(maxEventSize > 0)) throw new RangeError(`Invalid maxEventSize: ${maxEventSize}`);
  const initialLastEventId = options.lastEventId ?? '';

  // The unfinished last line, `lineLength` code units.
  const line = createPieces();
  let lineLength = 0;
  // True when the previous chunk ended with CR: an LF starting the next chunk belongs to it (rule 6).
  let swallowLF = false;
  // The event being built. Its data buffer, without the last LF (rule 18 removes it anyway), is
  // `data` (the first value) then `laterData` (each later value with the LF put before it).
  // `dataLength` counts each value plus its LF, so it is 0 exactly when the buffer is empty (rule 17).
  let data = '';
  const laterData = createPieces();
  let dataLength = 0;
  let eventType = '';
  let lastEventIdBuffer = initialLastEventId;
  let lastEventId = initialLastEventId;
  // 1 from an oversized event until the blank line that ends it (its lines are ignored), 2 while
  // the rest of a line whose beginning was dropped is still to come; 0 otherwise.
  let discard = 0;
  // Re-entrant calls from callbacks. While `feed` parses (`feeding` is not `IDLE`), chunks fed
  // meanwhile wait in `queued`, concatenated (the events do not depend on the chunking), and are
  // parsed once the current chunk is done. `INTERRUPTED` tells the chunk being parsed that a
  // callback called `reset()`.
  let feeding = Feeding.IDLE;
  let queued = '';

  function clear(state: number): void {
    discard = state;
    data = '';
    line.take('');
    laterData.take('');
    dataLength = lineLength = 0;
  }

  function overflow(state: number): void {
    clear(state);
    const error = new EventTooLargeError({ maxEventSize });
    if (onError) onError(error);
    else throw error;
  }

  /** Parses one line, `text` (rules 8–10), then its field (rules 11–15, and 8 for the field `""`). */
  function parseLine(text: string): void {
    // The line is split at its first colon; without one, all of it is the field name and the
    // value is empty (rules 9, 10): `>>> 0` turns the -1 of no colon into 2 ** 32 - 1, past the end.
    const colon = text.indexOf(':') >>> 0;
    const name = text.slice(0, colon);
    const value = valueOf(text, colon + 1);
    // Field names are case-sensitive; unknown ones are ignored.
    if (name === 'data') {
      // Rule 13, with the LF put between values rather than after each.
      if (dataLength > 0) laterData.add(`\n${value}`);
      else data = value;
      dataLength += value.length + 1;
    } else if (name === 'event') eventType = value;
    else if (name === 'id') {
      if (!value.includes('\u0000')) lastEventIdBuffer = value;
    } else if (name === 'retry') {
      if (/^\d+$/.test(value)) onRetry?.(Number(value));
    } else if (name === '') onComment?.(value);
  }

  /** Parses `chunk`: its lines, and its unfinished last line (rules 5–15). */
  function parse(chunk: string): void {
    const length = chunk.length;
    let start = 0;
    // `feed` parses no empty chunk: the first character is here.
    if (swallowLF) {
      swallowLF = false;
      if (chunk.charCodeAt(0) === Char.LF) start = 1;
    }
    // The next LF and CR at or after `start` (`length` when there is none), each found once
    // per occurrence: linear in the chunk, and one search for CR in a chunk without one.
    let nextLF = -1;
    let nextCR = -1;
    while (start < length && feeding < Feeding.INTERRUPTED) {
      if (nextLF < start) {
        nextLF = chunk.indexOf('\n', start);
        if (nextLF < 0) nextLF = length;
      }
      if (nextCR < start) {
        nextCR = chunk.indexOf('\r', start);
        if (nextCR < 0) nextCR = length;
      }
      const end = nextLF < nextCR ? nextLF : nextCR;
      if (end === length) {
        // An unfinished line. An oversized event's text is dropped, never stored.
        if (discard) discard = 2;
        else {
          line.add(chunk.slice(start));
          lineLength += length - start;
          if (lineLength + dataLength > maxEventSize) overflow(2);
        }
        return;
      }
      if (
        end === nextLF &&
        !(discard | lineLength | dataLength) &&
        chunk.charCodeAt(end + 1) === Char.LF &&
        // `data:`, by char codes
        chunk.charCodeAt(start) === 100 &&
        chunk.charCodeAt(start + 1) === 97 &&
        chunk.charCodeAt(start + 2) === 116 &&
        chunk.charCodeAt(start + 3) === 97 &&
        chunk.charCodeAt(start + 4) === 58 &&
        end - start <= maxEventSize
      ) {
        // The most common event: one `data` line within the bound, then a blank line, with nothing
        // pending before it. Dispatched at once as below (rules 13, 16–20), its value never stored
        // in the parser's state (a store of a new string there costs the engine a write barrier).
        lastEventId = lastEventIdBuffer;
        const event: ServerSentEvent = { type: eventType || 'message', data: valueOf(chunk, start + 5, end), lastEventId };
        eventType = '';
        start = end + 2;
        onEvent(event);
        continue;
      }
      let next = end + 1;
      // True when the event ends here: a blank line (rule 7), or, after an LF, a blank line right
      // after this one (taken with it, without another search). Two blank lines in a row dispatch
      // what one does: the second finds the buffers empty.
      let blank = false;
      if (chunk.charCodeAt(next) === Char.LF) {
        // CRLF is one line ending (rules 5, 6); LF LF is a line and a blank line.
        blank = end === nextLF;
        next += 1;
      } else if (next === length && end === nextCR) {
        // The LF of a CRLF may start the next chunk.
        swallowLF = true;
      }
      if (discard === 2) {
        // The end of a line whose beginning was dropped: it is not blank, and it is discarded.
        discard = 1;
      } else if (start === end && lineLength === 0) {
        blank = true;
      } else if (discard) {
        // Rules 8–15 do not apply to the lines of an oversized event.
      } else if (lineLength + end - start + dataLength > maxEventSize) {
        // No line may pass the bound: the event's data would then pass it too.
        overflow(1);
      } else if (lineLength > 0) {
        // The chunk ends the unfinished line (so `start` is 0): its pieces are concatenated, and
        // copied into one flat string when the line is first searched.
        lineLength = 0;
        parseLine(line.take('') + chunk.slice(0, end));
      } else {
        parseLine(chunk.slice(start, end));
      }
      start = next;
      if (blank && feeding < Feeding.INTERRUPTED) {
        // Rule 16: the buffer becomes the stream's last event ID, and is not reset.
        lastEventId = lastEventIdBuffer;
        const event: ServerSentEvent = {
          type: eventType || 'message',
          // The first value, then the later ones.
          data: laterData.take(data),
          lastEventId,
        };
        // Rule 17: an empty data buffer dispatches nothing. An oversized event's buffer is empty
        // (its data lines are ignored); its end resets `discard`. Rule 20 is done before `onEvent`
        // runs, so that it may call `feed` or `reset`.
        const dispatch = dataLength > 0;
        data = eventType = '';
        dataLength = discard = 0;
        if (dispatch) onEvent(event);
      }
    }
  }

  return {
    feed(input) {
      if (feeding) {
        // Called from a callback: the chunk continues the stream after the one being parsed.
        queued += input;
        return;
      }
      try {
        // Parses `input`, then the chunks fed from callbacks meanwhile. A chunk stops early when a
        // callback calls `reset()`.
        // (`chunk` is a local: storing a new string into the parser's state costs a write barrier.)
        for (let chunk = input; chunk; ) {
          feeding = Feeding.PARSING;
          parse(chunk);
          chunk = queued;
          queued = '';
        }
      } finally {
        // Also when a callback (or a missing `onError`) throws: the queued chunks are dropped.
        feeding = Feeding.IDLE;
        queued = '';
      }
    },
    reset() {
      clear(0);
      swallowLF = false;
      eventType = '';
      lastEventIdBuffer = lastEventId = initialLastEventId;
      // Called from a callback: drop the rest of the chunk being parsed and the chunks queued.
      if (feeding) feeding = Feeding.INTERRUPTED;
      queued = '';
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}
