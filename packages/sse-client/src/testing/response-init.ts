/** Status and headers of a streamed test `Response`. */
export interface EventStreamResponseInit {
  /** The HTTP status. @defaultValue `200` */
  readonly status?: number | undefined;
  /** The status text. @defaultValue `""` (what HTTP/2 servers send) */
  readonly statusText?: string | undefined;
  /**
   * Response headers. `content-type: text/event-stream` is added unless these set a content type
   * (to test a wrong or missing content type, use `wrongContentTypeResponse`).
   * @defaultValue `{ 'content-type': 'text/event-stream' }`
   */
  readonly headers?: HeadersInit | undefined;
}

/**
 * The `ResponseInit` of a streamed test response: status 200 and `text/event-stream` unless told otherwise.
 *
 * @internal
 */
export function eventStreamResponseInit(init: EventStreamResponseInit = {}): ResponseInit {
  const headers = new Headers(init.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'text/event-stream');
  return { status: init.status ?? 200, statusText: init.statusText ?? '', headers };
}
