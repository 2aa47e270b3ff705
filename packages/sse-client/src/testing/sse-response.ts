import type { EventItem } from './encode.js';
import { eventStreamResponseInit, type EventStreamResponseInit } from './response-init.js';
import { sseBody, type SseBodyOptions } from './sse-body.js';

/** Options for {@link sseResponse}: the body's chunking, delays and fault, and the response's status and headers. */
export interface SseResponseOptions extends SseBodyOptions, EventStreamResponseInit {}

/**
 * A scripted streamed `Response`, as an SSE server sends it: status 200,
 * `content-type: text/event-stream`, and a body that delivers `events` as network chunks, with
 * optional chunking over the bytes, delays between chunks (fake-timer friendly) and a fault
 * (connection drop, stall, truncation). See {@link sseBody} for the body and {@link SseBodyOptions}
 * for the options.
 *
 * The body is pull-based and lazy: a response of 100,000 chunks stays fast. A `Response` can be
 * read once: build one per request (`createFakeFetch(() => sseResponse(...))`).
 *
 * @param events - Raw strings, bytes or event objects (see {@link EventItem}), e.g. from
 *   `tokenEvents`, `openAIChatEvents`, `anthropicEvents`…
 * @throws {RangeError} for a bad `chunking`, `delay` or `fault.afterEvents`.
 *
 * @example Tokens in the default format, one byte per read, 50 ms apart:
 * ```ts
 * const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo']), { chunking: 'byte', delay: 50 }));
 * ```
 * @example Event objects, and a drop after the first:
 * ```ts
 * sseResponse([{ event: 'progress', data: '10' }, { event: 'progress', data: '20' }], { fault: { type: 'drop', afterEvents: 1 } });
 * ```
 */
export function sseResponse(events: Iterable<EventItem>, options: SseResponseOptions = {}): Response {
  return new Response(sseBody(events, options), eventStreamResponseInit(options));
}
