import { formatEvent, type EventInit } from './format.js';

/** Options for {@link createControlledResponse}. */
export interface ControlledResponseInit {
  /** @defaultValue `200` */
  readonly status?: number | undefined;
  /** @defaultValue `""` */
  readonly statusText?: string | undefined;
  /** Response headers. @defaultValue `{ 'content-type': 'text/event-stream' }` (kept unless overridden) */
  readonly headers?: HeadersInit | undefined;
}

/**
 * A `Response` whose body the test writes step by step, like a server that has not answered yet.
 * Assert the UI between two `write`s.
 */
export interface ResponseController {
  /** The response to return from a fake `fetch`. Its body is a `ReadableStream<Uint8Array>`. */
  readonly response: Response;
  /**
   * Writes to the body: a string or bytes as is, an {@link EventInit} serialised with
   * {@link formatEvent}. Ignored after `close`, `error` or a cancel (as a server's writes would be).
   */
  write(chunk: string | Uint8Array | EventInit): void;
  /** Ends the body normally. */
  close(): void;
  /** Errors the body, as a dropped connection does. @defaultValue reason: `new TypeError('terminated')` (what undici throws) */
  error(reason?: unknown): void;
  /** True once the reader cancelled the body: what a server sees as the connection closing. */
  readonly cancelled: boolean;
  /** Resolves with the cancel reason when the reader cancels the body. */
  readonly whenCancelled: Promise<unknown>;
}

const encoder = new TextEncoder();

/**
 * Creates a {@link ResponseController}: a streamed `Response` under the test's control.
 *
 * @example
 * ```ts
 * const server = createControlledResponse();
 * const fetch = createFakeFetch(() => server.response);
 * const chat = createChatStore({ url: '/chat', fetch });
 * void chat.send('hi');
 * server.write({ data: '{"token":"Hel"}' });
 * // ...assert the UI shows "Hel"...
 * server.write('data: [DONE]\n\n');
 * server.close();
 * ```
 */
export function createControlledResponse(init: ControlledResponseInit = {}): ResponseController {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  let cancelled = false;
  let resolveCancelled!: (reason: unknown) => void;
  const whenCancelled = new Promise<unknown>((resolve) => {
    resolveCancelled = resolve;
  });
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel(reason) {
      open = false;
      cancelled = true;
      resolveCancelled(reason);
    },
  });
  const headers = new Headers(init.headers);
  if (!headers.has('content-type') && init.headers === undefined) headers.set('content-type', 'text/event-stream');
  const response = new Response(body, { status: init.status ?? 200, statusText: init.statusText ?? '', headers });

  return {
    response,
    write(chunk) {
      if (!open) return;
      const bytes =
        typeof chunk === 'string' ? encoder.encode(chunk) : chunk instanceof Uint8Array ? chunk : encoder.encode(formatEvent(chunk));
      controller.enqueue(bytes);
    },
    close() {
      if (!open) return;
      open = false;
      controller.close();
    },
    error(reason = new TypeError('terminated')) {
      if (!open) return;
      open = false;
      controller.error(reason);
    },
    get cancelled() {
      return cancelled;
    },
    whenCancelled,
  };
}
