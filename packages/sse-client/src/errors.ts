/**
 * Typed errors. Every error this library throws on purpose is a {@link TokenStreamError};
 * each subclass carries what a caller needs to act on it. A user's own abort is never
 * wrapped: it surfaces as the `AbortSignal`'s `reason` (the platform's `AbortError`
 * `DOMException` when `abort()` was called without a reason).
 *
 * @module
 */

import { redactUrlsInText } from './redact-url.js';

const BRAND = Symbol.for('@tokenstream/sse-client.error');

/** Options every {@link TokenStreamError} accepts: the ES2022 `cause`. */
export interface TokenStreamErrorOptions {
  /** The underlying error, passed through as the standard `Error.cause`. */
  readonly cause?: unknown;
}

/**
 * The base class of every error this library throws on purpose.
 *
 * Use {@link isTokenStreamError} rather than `instanceof` when two copies of the library may be
 * bundled: it recognises errors from any copy.
 */
export class TokenStreamError extends Error {
  override name = 'TokenStreamError';
  /** @internal brand that survives duplicated bundles. */
  readonly [BRAND] = true;

  constructor(message: string, options?: TokenStreamErrorOptions) {
    // Only a defined `cause` is passed on: `{ cause: undefined }` would still give the error a `cause` property.
    super(message, options?.cause === undefined ? undefined : options);
  }
}

/**
 * True when `error` is a {@link TokenStreamError} from this or any other copy of the library.
 *
 * @example
 * ```ts
 * try { await stream.text } catch (error) {
 *   if (isTokenStreamError(error)) showError(error.message); else throw error;
 * }
 * ```
 */
export function isTokenStreamError(error: unknown): error is TokenStreamError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * What the request was, for error messages (`POST https://api.example.com/v1/chat?…`) and for
 * code that handles the error.
 *
 * The URL is redacted, here and in every message (so also in `stack` and `String(error)`): the
 * clients build this description once, redacted, where they prepare the request, and the errors
 * quote it as it is. No userinfo (`user:password@`), no query and no fragment, because errors
 * travel to logs, bug reports and screens, and `console.error` / Node's `util.inspect` print this
 * property too. A removed query shows as `?…`. Absolute URLs keep their origin and path, relative ones their path.
 * Only the `response` of an {@link HTTPError} or a {@link ContentTypeError} still holds the URL
 * the server answered (`response.url`, query included), and a platform error in `cause` is passed
 * through as it was thrown.
 */
export interface RequestDescription {
  /** The HTTP method, upper case (`"POST"`). */
  readonly method: string;
  /**
   * The request URL as given (relative URLs stay relative), redacted: origin and path only, a
   * removed query marked `?…` (`"https://api.example.com/v1/chat?…"`, `"/chat/stream"`).
   */
  readonly url: string;
}

/**
 * Every client error's message: what happened, then where (`: POST /chat/stream`), then how many
 * requests were sent when the `retry` policy sent more than one. The description was built
 * redacted where the request was prepared.
 */
function at(what: string, request: RequestDescription, attempts = 1): string {
  return `${what}: ${request.method} ${request.url}${attempts > 1 ? ` (gave up after ${attempts} attempts)` : ''}`;
}

/** ` (the cause's message)`, any URL in it redacted (a platform's message may quote one); `""` when there is none. */
function reason(cause: unknown): string {
  return cause instanceof Error && cause.message ? ` (${redactUrlsInText(cause.message)})` : '';
}

/**
 * The server answered with a status other than 200: a failed request, not an event stream
 * (rule 22 of `docs/event-stream-parsing.md`). `204 No Content` is a failure too: it carries no stream.
 *
 * The body has been read (at most {@link MAX_ERROR_BODY_BYTES} bytes) and parsed as JSON when the
 * `Content-Type` says JSON, else kept as text. The `response` body is consumed. Each chunk of the
 * body counts as activity for `idleTimeout`; when `idleTimeout` or `timeout` still passes while
 * the body arrives, this error is thrown all the same, with the part of the body read so far (as
 * text: a cut JSON body does not parse) and the {@link TimeoutError} as its `cause`.
 */
export class HTTPError extends TokenStreamError {
  override name = 'HTTPError';
  /** The HTTP status code, e.g. `500`. */
  declare readonly status: number;
  /** The HTTP status text, e.g. `"Internal Server Error"`; may be `""` (HTTP/2 has none). */
  declare readonly statusText: string;
  /** The response headers. */
  declare readonly headers: Headers;
  /** The response (its body already read into {@link HTTPError.body}); `response.url` is the URL as fetched, unredacted. */
  declare readonly response: Response;
  /**
   * The response body: parsed JSON for JSON content types, else text; truncated to 64 KiB; only
   * the part read before a timeout when `cause` is a {@link TimeoutError}; `undefined` if none could be read.
   */
  declare readonly body: unknown;
  /** The request that failed (its URL redacted: see {@link RequestDescription}). */
  declare readonly request: RequestDescription;
  /** How many times the request was sent: 1, or more when the `retry` policy retried it. */
  declare readonly attempts: number;

  constructor(response: Response, request: RequestDescription, body: unknown, attempts = 1, options?: TokenStreamErrorOptions) {
    const { status, statusText, headers } = response;
    super(at(`Request failed with status ${status}${statusText ? ` (${statusText})` : ''}`, request, attempts), options);
    Object.assign(this, { status, statusText, headers, response, body, request, attempts });
  }
}

/**
 * The server answered 200 but not with `Content-Type: text/event-stream` (a proxy's HTML login
 * page, a JSON error, no content type at all). The body is never parsed as events; it is
 * cancelled, unread.
 */
export class ContentTypeError extends TokenStreamError {
  override name = 'ContentTypeError';
  /** The `Content-Type` the server sent, or `null` when it sent none. */
  declare readonly contentType: string | null;
  /** The response, body cancelled. */
  declare readonly response: Response;
  /** The request. */
  declare readonly request: RequestDescription;

  constructor(response: Response, request: RequestDescription) {
    const contentType = response.headers.get('content-type');
    super(at(`Expected Content-Type text/event-stream but got ${contentType ?? 'none'}`, request));
    Object.assign(this, { contentType, response, request });
  }
}

/** Shared by the errors that happen after output began: they keep the text received so far. */
export interface PartialTextErrorOptions extends TokenStreamErrorOptions {
  /** The text received before the failure (`""` if none). */
  readonly text: string;
}

/**
 * The server sent an error event in the middle of the stream, after its 200 status was out
 * (for the default wire format: `data: {"error": "..."}`; in every built-in format, any
 * `event: error`, plain text included). The text received before it is kept.
 */
export class ServerStreamError extends TokenStreamError {
  override name = 'ServerStreamError';
  /**
   * The error payload as the server sent it (for the default format, the value of `"error"`; for
   * a plain-text `event: error`, the text as sent).
   */
  declare readonly payload: unknown;
  /** The text received before the error event. */
  declare readonly text: string;
  /** The request. */
  declare readonly request: RequestDescription;

  constructor(message: string, payload: unknown, request: RequestDescription, options: PartialTextErrorOptions) {
    super(at(`Server error event (${message})`, request), options);
    Object.assign(this, { payload, text: options.text, request });
  }
}

/**
 * The stream ended without its terminator (for the default wire format, `data: [DONE]`): the
 * connection was cut by a proxy, a network drop or a server crash. This is not a success; the
 * text received so far is kept.
 */
export class IncompleteStreamError extends TokenStreamError {
  override name = 'IncompleteStreamError';
  /** The text received before the stream ended. */
  declare readonly text: string;
  /** The request. */
  declare readonly request: RequestDescription;

  constructor(request: RequestDescription, options: PartialTextErrorOptions) {
    super(at('Stream ended before its terminator', request), options);
    Object.assign(this, { text: options.text, request });
  }
}

/**
 * The request could not be sent or the connection failed while the body was read (connection
 * refused, DNS failure, reset). `cause` is the platform's error (usually a `TypeError` from `fetch`),
 * passed through as thrown; its message is quoted in this one with any URL in it redacted.
 */
export class NetworkError extends TokenStreamError {
  override name = 'NetworkError';
  /** The text received before the failure (`""` when it failed before the response). */
  declare readonly text: string;
  /** The request. */
  declare readonly request: RequestDescription;
  /** How many times the request was sent: 1, or more when the `retry` policy retried it. */
  declare readonly attempts: number;

  constructor(request: RequestDescription, options: PartialTextErrorOptions & { readonly attempts?: number | undefined }) {
    const { text, attempts = 1 } = options;
    super(at(`Network error${reason(options.cause)}`, request, attempts), options);
    Object.assign(this, { text, request, attempts });
  }
}

/**
 * The request took too long: no bytes arrived for `idleTimeout` milliseconds (`kind: 'idle'`;
 * comments and keep-alives count as bytes), or the whole request passed `timeout` milliseconds
 * (`kind: 'total'`). The request was aborted, so the server sees the connection close; the text
 * received so far is kept.
 */
export class TimeoutError extends TokenStreamError {
  override name = 'TimeoutError';
  /** Which limit was reached. */
  declare readonly kind: 'idle' | 'total';
  /** The limit that was reached, in milliseconds. */
  declare readonly timeout: number;
  /** The text received before the timeout. */
  declare readonly text: string;
  /** The request. */
  declare readonly request: RequestDescription;

  constructor(kind: 'idle' | 'total', timeout: number, request: RequestDescription, options: PartialTextErrorOptions) {
    super(at(kind === 'idle' ? `No data for ${timeout} ms (idleTimeout)` : `Took over ${timeout} ms (timeout)`, request), options);
    Object.assign(this, { kind, timeout, text: options.text, request });
  }
}

/**
 * A data payload was not what the protocol expects (for the default wire format: not JSON, or
 * JSON without a `token` or `error`). `data` is the raw payload, truncated to 1,024 characters.
 */
export class ProtocolError extends TokenStreamError {
  override name = 'ProtocolError';
  /** The offending event's data, truncated to 1,024 characters. */
  declare readonly data: string;
  /** The text received before the bad event. */
  declare readonly text: string;
  /** The request. */
  declare readonly request: RequestDescription;

  constructor(protocol: string, data: string, request: RequestDescription, options: PartialTextErrorOptions) {
    super(at(`Malformed ${protocol} event${reason(options.cause)}`, request), options);
    Object.assign(this, { data: data.length > 1024 ? `${data.slice(0, 1024)}…` : data, text: options.text, request });
  }
}

/**
 * One event (its unfinished line plus its data buffer) grew past `maxEventSize` before it ended.
 * The parser discards that event rather than grow; the clients abort the request.
 */
export class EventTooLargeError extends TokenStreamError {
  override name = 'EventTooLargeError';
  /** The limit that was exceeded, in UTF-16 code units of decoded text (about bytes for ASCII). */
  declare readonly maxEventSize: number;
  /** The text received before the oversized event (`""` when thrown by the parser itself). */
  declare readonly text: string;
  /** The request, when thrown by a client; `undefined` when thrown by the parser itself. */
  declare readonly request: RequestDescription | undefined;

  constructor(maxEventSize: number, options?: { readonly text: string; readonly request: RequestDescription }) {
    const request = options?.request;
    super(`An event grew past maxEventSize (${maxEventSize} UTF-16 code units)${request ? `: ${request.method} ${request.url}` : ''}`);
    Object.assign(this, { maxEventSize, text: options?.text ?? '', request });
  }
}

/**
 * With `reconnect`, the stream dropped again after the most reconnections one call may make
 * (`reconnect.totalLimit`), although the server sent events in between: a server that ends every
 * connection after an event or two (or proxies that cut it) would otherwise be re-sent the request
 * for ever. The text received so far is kept; `cause` is the error of the last drop (`undefined`
 * when the body simply ended).
 */
export class ReconnectLimitError extends TokenStreamError {
  override name = 'ReconnectLimitError';
  /** How many reconnections were made (the `totalLimit` reached); the request was sent once more than this. */
  declare readonly reconnects: number;
  /** The text received before the last drop. */
  declare readonly text: string;
  /** The request. */
  declare readonly request: RequestDescription;

  constructor(reconnects: number, request: RequestDescription, options: PartialTextErrorOptions) {
    super(at(`Stream dropped${reason(options.cause)} after ${reconnects} reconnections (reconnect.totalLimit)`, request), options);
    Object.assign(this, { reconnects, text: options.text, request });
  }
}

/**
 * Reports an error thrown by a user callback without propagating it: `reportError` where it
 * exists (browsers, Deno, Bun), else `console.error`.
 *
 * @internal
 */
export function reportCallbackError(error: unknown): void {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else console.error(error);
}

/** The most bytes of an error response's body that {@link HTTPError} keeps: 64 KiB. */
export const MAX_ERROR_BODY_BYTES = 65_536;
