import type { ControlledResponseInit } from './controlled-response.js';
import { readableFromChunks } from './readable-stream.js';

const encoder = new TextEncoder();

/**
 * A `Response` whose body streams `chunks` in order, one chunk per read, and then closes. The body
 * enqueues lazily (pull-based), so a response of 100,000 chunks stays fast and memory-light; an
 * iterator is consumed only as the reader reads, so a generator may stream forever.
 *
 * @param chunks - Strings (each encoded as UTF-8 on its own) or bytes, each one network chunk. To
 *   split a multibyte character across chunks, split the bytes: a string chunk that ends in half
 *   of a surrogate pair is encoded as U+FFFD.
 * @param init - Status, status text and headers. @defaultValue status 200, `content-type: text/event-stream`
 *
 * @example
 * ```ts
 * const fetch = createFakeFetch(() => eventStreamResponse(tokenEvents(['Hel', 'lo'])));
 * ```
 */
export function eventStreamResponse(
  chunks: Iterable<string | Uint8Array>,
  init: ControlledResponseInit = {},
): Response {
  const body = readableFromChunks(
    (function* encode() {
      for (const chunk of chunks) yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    })(),
  );
  const headers = new Headers(init.headers);
  if (init.headers === undefined) headers.set('content-type', 'text/event-stream');
  return new Response(body, { status: init.status ?? 200, statusText: init.statusText ?? '', headers });
}
