import { checkChunking, rechunk, type ChunkingStrategy } from './chunking-strategy.js';
import { encodeItem, type EventItem } from './encode.js';

/**
 * A fault of a scripted stream: how its body ends when it does not end well. `afterEvents` counts
 * the items given to {@link sseBody} / `sseResponse` (each string, bytes or event object is one).
 *
 * - `{ type: 'drop', afterEvents?, error? }`: the connection drops. After the first `afterEvents`
 *   items (default: all of them) the body errors with `error` (default: a fresh
 *   `new TypeError('terminated')`, what undici throws). `streamTokens` reports a `NetworkError`
 *   with the text so far and the error as `cause`.
 * - `{ type: 'stall', afterEvents? }`: the server stops sending but never closes the connection.
 *   After the first `afterEvents` items (default: all) reads wait for ever, until the reader
 *   cancels (an abort, or the client's `idleTimeout`: a `TimeoutError`).
 * - `{ type: 'truncate', afterEvents }`: the server closes the stream cleanly after the first
 *   `afterEvents` items, so whatever came after (the terminator) is missing: an `IncompleteStreamError`.
 *
 * @example
 * ```ts
 * sseResponse(tokenEvents(['Hel', 'lo']), { fault: { type: 'drop', afterEvents: 1 } }); // NetworkError, text "Hel"
 * sseResponse(tokenEvents(['Hel', 'lo']), { fault: { type: 'stall' } }); // never ends
 * sseResponse(tokenEvents(['Hel', 'lo']), { fault: { type: 'truncate', afterEvents: 2 } }); // no [DONE]
 * ```
 */
export type StreamFault =
  | { readonly type: 'drop'; readonly afterEvents?: number | undefined; readonly error?: unknown }
  | { readonly type: 'stall'; readonly afterEvents?: number | undefined }
  | { readonly type: 'truncate'; readonly afterEvents: number };

/** Options for {@link sseBody} (and the body part of `sseResponse`'s options). */
export interface SseBodyOptions {
  /** How the body is split into network chunks. @defaultValue `'event'` (one chunk per item) */
  readonly chunking?: ChunkingStrategy | undefined;
  /**
   * Milliseconds to wait before each chunk is delivered: a number for every chunk, or a function
   * of the 0-based chunk index (counted after chunking). The first chunk waits too; the end of the
   * stream (close or fault) comes right after the last chunk. The wait uses the global
   * `setTimeout`, looked up when the chunk is read, so vitest's and jest's fake timers control it
   * (`await vi.advanceTimersByTimeAsync(ms)`); a delay of 0 uses no timer at all.
   * @defaultValue `0`
   * @throws {RangeError} (when the response is built, or as the body's error for a function) for a
   *   negative or non-finite delay.
   */
  readonly delay?: number | ((index: number) => number) | undefined;
  /** How the body ends badly; see {@link StreamFault}. @defaultValue none: the body closes after the last item */
  readonly fault?: StreamFault | undefined;
  /** Called with the reason when the reader cancels the body: what a server sees as the client closing the connection. */
  readonly onCancel?: ((reason: unknown) => void) | undefined;
}

function checkDelay(ms: number): number {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`delay must be a finite number of milliseconds >= 0, got ${String(ms)}`);
  return ms;
}

function* encodeAll(items: Iterable<EventItem>, count: number | undefined): Generator<Uint8Array, void, undefined> {
  if (count === 0) return;
  let taken = 0;
  for (const item of items) {
    yield encodeItem(item);
    taken += 1;
    if (taken === count) return;
  }
}

/**
 * A scripted `text/event-stream` body: a `ReadableStream<Uint8Array>` that delivers `events` as
 * network chunks, with optional chunking, delays and a fault. Pull-based and lazy: nothing is
 * read ahead, and `events` is iterated only as the reader reads, so 100,000 chunks (or an endless
 * generator) stay fast and light. Use it where a body is wanted rather than a `Response`, e.g. with msw:
 * `new HttpResponse(sseBody(events), { headers: { 'content-type': 'text/event-stream' } })`.
 *
 * @param events - The body, item by item: raw strings, bytes or event objects (see {@link EventItem}),
 *   e.g. the output of `tokenEvents` or `openAIChatEvents`.
 * @throws {RangeError} for a bad `chunking`, `delay` or `fault.afterEvents`.
 *
 * @example
 * ```ts
 * const body = sseBody(tokenEvents(['Hel', 'lo']), { delay: 100, chunking: 'byte' });
 * ```
 */
export function sseBody(events: Iterable<EventItem>, options: SseBodyOptions = {}): ReadableStream<Uint8Array> {
  const { chunking = 'event', delay = 0, fault, onCancel } = options;
  checkChunking(chunking);
  if (typeof delay === 'number') checkDelay(delay);
  const afterEvents = fault?.afterEvents;
  if (afterEvents !== undefined && !(Number.isInteger(afterEvents) && afterEvents >= 0)) {
    throw new RangeError(`fault.afterEvents must be an integer >= 0, got ${String(afterEvents)}`);
  }
  let chunks: Iterator<Uint8Array> | undefined;
  let index = 0;
  let ended = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;

  function end(controller: ReadableStreamDefaultController<Uint8Array>): void {
    if (ended) return;
    ended = true;
    if (fault?.type === 'stall') return; // never closes: the pending read waits until a cancel
    if (fault?.type === 'drop') controller.error(fault.error !== undefined ? fault.error : new TypeError('terminated'));
    else controller.close();
  }

  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (ended) return undefined;
        chunks ??= rechunk(encodeAll(events, afterEvents), chunking)[Symbol.iterator]();
        const next = chunks.next();
        if (next.done) {
          end(controller);
          return undefined;
        }
        const ms = checkDelay(typeof delay === 'number' ? delay : delay(index));
        index += 1;
        if (ms === 0) {
          controller.enqueue(next.value);
          return undefined;
        }
        return new Promise<void>((resolve) => {
          wake = resolve;
          timer = globalThis.setTimeout(() => {
            timer = undefined;
            wake = undefined;
            if (!ended) controller.enqueue(next.value);
            resolve();
          }, ms);
        });
      },
      cancel(reason) {
        ended = true;
        if (timer !== undefined) globalThis.clearTimeout(timer);
        wake?.();
        chunks?.return?.();
        onCancel?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
