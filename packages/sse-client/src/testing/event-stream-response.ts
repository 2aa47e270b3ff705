import type { ControlledResponseInit } from './controlled-response.js';

const encoder = new TextEncoder();

/**
 * A `Response` whose body streams `chunks` in order, one chunk per read, and then closes. The body
 * enqueues lazily (pull-based), so a response of 100,000 chunks stays fast and memory-light; an
 * iterator is consumed only as the reader reads, so a generator may stream forever.
 *
 * @param chunks - Strings (encoded as UTF-8) or bytes, each one network chunk.
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
  let iterator: Iterator<string | Uint8Array> | undefined;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        iterator ??= chunks[Symbol.iterator]();
        const next = iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : next.value);
      },
      cancel() {
        iterator?.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  const headers = new Headers(init.headers);
  if (init.headers === undefined) headers.set('content-type', 'text/event-stream');
  return new Response(body, { status: init.status ?? 200, statusText: init.statusText ?? '', headers });
}
