/** Options for {@link errorResponse}. */
export interface ErrorResponseInit {
  /** The status text. @defaultValue the usual reason phrase for common statuses (`"Internal Server Error"` for 500), else `""` */
  readonly statusText?: string | undefined;
  /**
   * More headers, e.g. `{ 'retry-after': '3' }`. A content type given here wins over the default
   * (`application/json` for an object or array body, `text/plain;charset=UTF-8` for a string).
   */
  readonly headers?: HeadersInit | undefined;
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * A failed HTTP response, as an API answers a request it rejects before streaming: `streamTokens`
 * rejects with an `HTTPError` whose `status` is `status` and whose `body` is `body` (parsed back
 * from JSON for an object or array, text for a string).
 *
 * @param status - The HTTP status, from 200 to 599 (anything but 200 fails a stream request).
 * @param body - An object or array (sent as JSON, `content-type: application/json`), a string
 *   (sent as text), or `undefined` for no body (always for 204, 205 and 304).
 * @param init - Status text and extra headers.
 * @throws {RangeError} for a status outside 200–599 (from the `Response` constructor).
 *
 * @example
 * ```ts
 * const fetch = createFakeFetch(() => errorResponse(500, { error: 'boom' }));
 * await streamTokens('/chat', { fetch }).text; // rejects: HTTPError, status 500, body { error: 'boom' }
 * errorResponse(429, 'slow down', { headers: { 'retry-after': '3' } });
 * ```
 */
export function errorResponse(status: number, body?: unknown, init: ErrorResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  let payload: string | null = null;
  if (body !== undefined && !NULL_BODY_STATUSES.has(status)) {
    if (typeof body === 'string') {
      payload = body;
      if (!headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
    } else {
      payload = JSON.stringify(body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
  }
  return new Response(payload, { status, statusText: init.statusText ?? REASONS[status] ?? '', headers });
}
