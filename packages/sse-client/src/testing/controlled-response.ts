import { concatBytes, encodeItem, type EventItem } from './encode.js';
import { eventStreamResponseInit, type EventStreamResponseInit } from './response-init.js';

/** Options for {@link createControlledResponse}: status and headers (see {@link EventStreamResponseInit}). */
export type ControlledResponseInit = EventStreamResponseInit;

/**
 * A `Response` whose body the test writes step by step, like a server that has not answered yet.
 * Assert the UI between two `write`s.
 */
export interface ResponseController {
  /** The response to return from a fake `fetch`. Its body is a `ReadableStream<Uint8Array>`. */
  readonly response: Response;
  /**
   * Writes one network chunk to the body: a string or bytes as is, an event object
   * (`{ data, event?, id?, retry? }`) serialised with `formatEvent`, or an array of these joined
   * into one chunk (so `write(tokenEvents(['Hel'], 'cut'))` sends one token, unterminated).
   * Ignored after `close`, `error` or a cancel (as a server's writes would be).
   */
  write(chunk: EventItem | readonly EventItem[]): void;
  /** Ends the body normally. */
  close(): void;
  /** Errors the body, as a dropped connection does. @defaultValue reason: `new TypeError('terminated')` (what undici throws) */
  error(reason?: unknown): void;
  /** True once the reader cancelled the body: what a server sees as the connection closing. */
  readonly cancelled: boolean;
  /** Resolves with the cancel reason when the reader cancels the body. */
  readonly whenCancelled: Promise<unknown>;
  /**
   * Resolves once the reader has read everything written so far and asks for more: the client
   * has handled every chunk (for a chat store, its snapshot is up to date). Resolves at once when
   * that is already so, or after `close`, `error` or a cancel. Explicit synchronisation for a test
   * that asserts between two writes, with no polling and no timers (so it works under fake timers).
   *
   * @example
   * ```ts
   * server.write({ data: '{"token":"Hel"}' });
   * await server.whenDrained();
   * expect(store.getSnapshot().text).toBe('Hel');
   * ```
   */
  whenDrained(): Promise<void>;
}

/**
 * Creates a {@link ResponseController}: a streamed `Response` under the test's control. Its body
 * is pull-based (nothing is read ahead), so {@link ResponseController.whenDrained} can tell when
 * the reader has caught up.
 *
 * @param init - Status and headers. @defaultValue status 200, `content-type: text/event-stream`
 *
 * @example
 * ```ts
 * const server = createControlledResponse();
 * const fetch = createFakeFetch(() => server.response);
 * const chat = createChatStore({ url: '/chat', fetch });
 * void chat.send('hi');
 * server.write({ data: '{"token":"Hel"}' });
 * await server.whenDrained();
 * // ...assert the UI shows "Hel"...
 * server.write('data: [DONE]\n\n');
 * server.close();
 * ```
 */
export function createControlledResponse(init: ControlledResponseInit = {}): ResponseController {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  let cancelled = false;
  // True while the reader waits for a chunk that has not been written yet.
  let waiting = false;
  let drained: (() => void)[] = [];
  let resolveCancelled!: (reason: unknown) => void;
  const whenCancelled = new Promise<unknown>((resolve) => {
    resolveCancelled = resolve;
  });
  const settleDrained = (): void => {
    const resolvers = drained;
    drained = [];
    for (const resolve of resolvers) resolve();
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        waiting = true;
        settleDrained();
      },
      cancel(reason) {
        open = false;
        cancelled = true;
        settleDrained();
        resolveCancelled(reason);
      },
    },
    { highWaterMark: 0 },
  );
  const response = new Response(body, eventStreamResponseInit(init));

  return {
    response,
    write(chunk) {
      if (!open) return;
      waiting = false;
      controller.enqueue(Array.isArray(chunk) ? concatBytes(chunk.map(encodeItem)) : encodeItem(chunk as EventItem));
    },
    close() {
      if (!open) return;
      open = false;
      controller.close();
      settleDrained();
    },
    error(reason = new TypeError('terminated')) {
      if (!open) return;
      open = false;
      controller.error(reason);
      settleDrained();
    },
    get cancelled() {
      return cancelled;
    },
    whenCancelled,
    whenDrained() {
      if (waiting || !open) return Promise.resolve();
      return new Promise<void>((resolve) => drained.push(resolve));
    },
  };
}
