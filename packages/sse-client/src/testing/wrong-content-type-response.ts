/** Options for {@link wrongContentTypeResponse}. */
export interface WrongContentTypeResponseInit {
  /**
   * The content type to send instead of `text/event-stream`, or `null` to send none.
   * @defaultValue `'text/html; charset=utf-8'` (a proxy's login or error page)
   */
  readonly contentType?: string | null | undefined;
  /** The body. @defaultValue a small HTML page that contains a `data:` line, which a client must never parse */
  readonly body?: string | undefined;
  /** The HTTP status. @defaultValue `200` */
  readonly status?: number | undefined;
}

const LOGIN_PAGE = '<!doctype html>\n<title>Sign in</title>\n<p>data: {"token":"not an event"}</p>\n';

/**
 * A 200 response that is not an event stream: an HTML page from a proxy, a JSON answer, or no
 * content type at all. `streamTokens` rejects with a `ContentTypeError` whose `contentType` is
 * the one sent (`null` for none), and never parses the body.
 *
 * @example
 * ```ts
 * const fetch = createFakeFetch(() => wrongContentTypeResponse());
 * await streamTokens('/chat', { fetch }).text; // rejects: ContentTypeError, contentType 'text/html; charset=utf-8'
 * wrongContentTypeResponse({ contentType: 'application/json', body: '{"answer":"Hi"}' });
 * wrongContentTypeResponse({ contentType: null });
 * ```
 */
export function wrongContentTypeResponse(init: WrongContentTypeResponseInit = {}): Response {
  const { contentType = 'text/html; charset=utf-8', body = LOGIN_PAGE, status = 200 } = init;
  // A stream body, so that no content type is added by the Response constructor.
  const bytes = new TextEncoder().encode(body);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.length > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
  const headers = new Headers();
  if (contentType !== null) headers.set('content-type', contentType);
  return new Response(stream, { status, headers });
}
