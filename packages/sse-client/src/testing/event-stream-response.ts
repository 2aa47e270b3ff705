import type { EventStreamResponseInit } from './response-init.js';
import { sseResponse } from './sse-response.js';

/**
 * A `Response` whose body streams `chunks` in order, one chunk per read, and then closes: the
 * raw form of {@link sseResponse} (which adds chunking strategies, delays and faults). The body
 * enqueues lazily (pull-based), so a response of 100,000 chunks stays fast and memory-light; an
 * iterator is consumed only as the reader reads, so a generator may stream forever.
 *
 * @param chunks - Strings (each encoded as UTF-8 on its own) or bytes, each one network chunk. To
 *   split a multibyte character across chunks, split the bytes: a string chunk that ends in half
 *   of a surrogate pair is encoded as U+FFFD.
 * @param init - Status, status text and headers. @defaultValue status 200, `content-type: text/event-stream`
 *   (added unless `headers` set a content type)
 *
 * @example
 * ```ts
 * const fetch = createFakeFetch(() => eventStreamResponse(tokenEvents(['Hel', 'lo'])));
 * ```
 */
export function eventStreamResponse(chunks: Iterable<string | Uint8Array>, init: EventStreamResponseInit = {}): Response {
  return sseResponse(chunks, { status: init.status, statusText: init.statusText, headers: init.headers });
}
