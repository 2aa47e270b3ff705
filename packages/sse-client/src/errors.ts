/**
 * Typed errors. Every error this library throws on purpose is a {@link TokenStreamError};
 * each subclass carries what a caller needs to act on it. A user's own abort is never
 * wrapped: it surfaces as the `AbortSignal`'s `reason` (the platform's `AbortError`
 * `DOMException` when `abort()` was called without a reason).
 *
 * @module
 */

import { redactUrl, redactUrlsInText } from './redact-url.js';

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
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
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
 * The URL is redacted, here and in every message (so also in `stack` and `String(error)`): no
 * userinfo (`user:password@`), no query and no fragment, because errors travel to logs, bug
 * reports and screens, and `console.error` / Node's `util.inspect` print this property too. A
 * removed query shows as `?…`. Absolute URLs keep their origin and path, relative ones their path.
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

function describe(request: RequestDescription): string {
  // Redacted again, so that a description built elsewhere never carries a secret into a message.
  return `${request.method} ${redactUrl(request.url)}`;
}

function attemptsSuffix(attempts: number): string {
  return attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
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
  readonly status: number;
  /** The HTTP status text, e.g. `"Internal Server Error"`; may be `""` (HTTP/2 has none). */
  readonly statusText: string;
  /** The response headers. */
  readonly headers: Headers;
  /** The response (its body already read into {@link HTTPError.body}); `response.url` is the URL as fetched, unredacted. */
  readonly response: Response;
  /**
   * The response body: parsed JSON for JSON content types, else text; truncated to 64 KiB; only
   * the part read before a timeout when `cause` is a {@link TimeoutError}; `undefined` if none could be read.
   */
  readonly body: unknown;
  /** The request that failed (its URL redacted: see {@link RequestDescription}). */
  readonly request: RequestDescription;
  /** How many times the request was sent: 1, or more when the `retry` policy retried it. */
  readonly attempts: number;

  constructor(response: Response, request: RequestDescription, body: unknown, attempts = 1, options?: TokenStreamErrorOptions) {
    const statusText = response.statusText ? ` (${response.statusText})` : '';
    super(`Request failed with status ${response.status}${statusText}: ${describe(request)}${attemptsSuffix(attempts)}`, options);
    this.attempts = attempts;
    this.status = response.status;
    this.statusText = response.statusText;
    this.headers = response.headers;
    this.response = response;
    this.body = body;
    this.request = request;
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
  readonly contentType: string | null;
  /** The response, body cancelled. */
  readonly response: Response;
  /** The request. */
  readonly request: RequestDescription;

  constructor(response: Response, request: RequestDescription) {
    const contentType = response.headers.get('content-type');
    super(
      `Expected Content-Type text/event-stream but got ${contentType === null ? 'none' : contentType}: ${describe(request)}`,
    );
    this.contentType = contentType;
    this.response = response;
    this.request = request;
  }
}

/** Shared by the errors that happen after output began: they keep the text received so far. */
export interface PartialTextErrorOptions extends TokenStreamErrorOptions {
  /** The text received before the failure (`""` if none). */
  readonly text: string;
}

/**
 * The server sent an error event in the middle of the stream, after its 200 status was out
 * (for the default wire format: `data: {"error": "..."}`). The text received before it is kept.
 */
export class ServerStreamError extends TokenStreamError {
  override name = 'ServerStreamError';
  /** The error payload as the server sent it (for the default format, the value of `"error"`). */
  readonly payload: unknown;
  /** The text received before the error event. */
  readonly text: string;
  /** The request. */
  readonly request: RequestDescription;

  constructor(message: string, payload: unknown, request: RequestDescription, options: PartialTextErrorOptions) {
    super(`The server reported an error mid-stream (${message}): ${describe(request)}`, options);
    this.payload = payload;
    this.text = options.text;
    this.request = request;
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
  readonly text: string;
  /** The request. */
  readonly request: RequestDescription;

  constructor(request: RequestDescription, options: PartialTextErrorOptions) {
    super(`The stream ended before its terminator, so the answer may be cut off: ${describe(request)}`, options);
    this.text = options.text;
    this.request = request;
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
  readonly text: string;
  /** The request. */
  readonly request: RequestDescription;
  /** How many times the request was sent: 1, or more when the `retry` policy retried it. */
  readonly attempts: number;

  constructor(request: RequestDescription, options: PartialTextErrorOptions & { readonly attempts?: number | undefined }) {
    const attempts = options.attempts ?? 1;
    const reason = options.cause instanceof Error && options.cause.message ? ` (${redactUrlsInText(options.cause.message)})` : '';
    super(`Network error${reason}: ${describe(request)}${attemptsSuffix(attempts)}`, options);
    this.text = options.text;
    this.request = request;
    this.attempts = attempts;
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
  readonly kind: 'idle' | 'total';
  /** The limit that was reached, in milliseconds. */
  readonly timeout: number;
  /** The text received before the timeout. */
  readonly text: string;
  /** The request. */
  readonly request: RequestDescription;

  constructor(kind: 'idle' | 'total', timeout: number, request: RequestDescription, options: PartialTextErrorOptions) {
    const what = kind === 'idle' ? `No data for ${timeout} ms (idleTimeout)` : `The request took longer than ${timeout} ms (timeout)`;
    super(`${what}: ${describe(request)}`, options);
    this.kind = kind;
    this.timeout = timeout;
    this.text = options.text;
    this.request = request;
  }
}

/**
 * A data payload was not what the protocol expects (for the default wire format: not JSON, or
 * JSON without a `token` or `error`). `data` is the raw payload, truncated to 1,024 characters.
 */
export class ProtocolError extends TokenStreamError {
  override name = 'ProtocolError';
  /** The offending event's data, truncated to 1,024 characters. */
  readonly data: string;
  /** The text received before the bad event. */
  readonly text: string;
  /** The request. */
  readonly request: RequestDescription;

  constructor(protocol: string, data: string, request: RequestDescription, options: PartialTextErrorOptions) {
    const reason = options.cause instanceof Error ? ` (${options.cause.message})` : '';
    super(`Malformed ${protocol} event${reason}: ${describe(request)}`, options);
    this.data = data.length > 1024 ? `${data.slice(0, 1024)}…` : data;
    this.text = options.text;
    this.request = request;
  }
}

/**
 * One event (its unfinished line plus its data buffer) grew past `maxEventSize` before it ended.
 * The parser discards that event rather than grow; the clients abort the request.
 */
export class EventTooLargeError extends TokenStreamError {
  override name = 'EventTooLargeError';
  /** The limit that was exceeded, in UTF-16 code units of decoded text (about bytes for ASCII). */
  readonly maxEventSize: number;
  /** The text received before the oversized event (`""` when thrown by the parser itself). */
  readonly text: string;
  /** The request, when thrown by a client; `undefined` when thrown by the parser itself. */
  readonly request: RequestDescription | undefined;

  constructor(maxEventSize: number, options?: { readonly text: string; readonly request: RequestDescription }) {
    const where = options ? `: ${describe(options.request)}` : '';
    super(`An event exceeded maxEventSize (${maxEventSize} UTF-16 code units) before it ended${where}`);
    this.maxEventSize = maxEventSize;
    this.text = options?.text ?? '';
    this.request = options?.request;
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
  readonly reconnects: number;
  /** The text received before the last drop. */
  readonly text: string;
  /** The request. */
  readonly request: RequestDescription;

  constructor(reconnects: number, request: RequestDescription, options: PartialTextErrorOptions) {
    const reason = options.cause instanceof Error && options.cause.message ? ` (${redactUrlsInText(options.cause.message)})` : '';
    super(
      `The stream dropped again${reason} after ${reconnects} reconnections (reconnect.totalLimit): ${describe(request)}`,
      options,
    );
    this.reconnects = reconnects;
    this.text = options.text;
    this.request = request;
  }
}

/** The most bytes of an error response's body that {@link HTTPError} keeps: 64 KiB. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
