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
 * The most characters of a server's text that an error keeps: a {@link ProtocolError}'s `data`,
 * and the message of a plain-text error event (`event: error`): 1,024.
 *
 * @internal
 */
export const MAX_QUOTED_TEXT = 1024;

/** `text` cut to {@link MAX_QUOTED_TEXT} characters, `"…"` marking a cut. @internal */
export function truncateText(text: string): string {
  return text.length > MAX_QUOTED_TEXT ? `${text.slice(0, MAX_QUOTED_TEXT)}…` : text;
}

/** ` (the cause's message)`, any URL in it redacted (a platform's message may quote one); `""` when there is none. */
function reason(cause: unknown): string {
  // Not `instanceof Error`: a `fetch` or stream of another realm (an iframe, jest's environments) throws its own.
  const message = (cause as Error | undefined)?.message;
  return typeof message === 'string' && message ? ` (${redactUrlsInText(message)})` : '';
}

/**
 * What every {@link RequestError} is made from: the request, the text received before the
 * failure, and the ES2022 `cause`. Each subclass's constructor takes one such object with its own
 * fields added, e.g. `new TimeoutError({ kind: 'idle', timeout: 30_000, request, text })`.
 */
export interface RequestErrorInit<Request extends RequestDescription | undefined = RequestDescription>
  extends TokenStreamErrorOptions {
  /** The request that failed (its URL redacted: see {@link RequestDescription}). */
  readonly request: Request;
  /** The text received before the failure. @defaultValue `""` */
  readonly text?: string | undefined;
}

/**
 * The base of every error a streaming call fails with. Its message says what happened, then
 * where (`: POST /chat/stream`), then how many requests were sent when the `retry` policy sent
 * more than one (`(gave up after 3 attempts)`); it carries the {@link RequestError.request} and
 * the {@link RequestError.text} received before the failure. Each subclass has a literal `name`,
 * so `error.name` narrows a union of them.
 */
export abstract class RequestError<
  Request extends RequestDescription | undefined = RequestDescription,
> extends TokenStreamError {
  /** The request that failed (its URL redacted: see {@link RequestDescription}). */
  declare readonly request: Request;
  /**
   * The text received before the failure: the answer so far for the errors after output began;
   * `""` when none arrived (always for {@link HTTPError} and {@link ContentTypeError}).
   */
  declare readonly text: string;

  /**
   * The message is `what`, then where (`: POST /chat/stream`) when there is a request, then
   * `after`; the fields of `init` (but `cause`, passed to `Error`) become properties.
   */
  protected constructor(what: string, init: RequestErrorInit<Request>, after = '') {
    const { cause: _cause, request, ...fields } = init;
    // `Error` reads only `cause` from its options: `init` is passed as they are.
    super(`${what}${request ? `: ${request.method} ${request.url}` : ''}${after}`, init);
    // `request` is set also when it was left out (an EventTooLargeError from the parser).
    Object.assign(this, { text: '', request, ...fields });
  }
}

/** ` (gave up after N attempts)` when the `retry` policy sent the request more than once, else `""`. */
function gaveUp(attempts = 1): string {
  return attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
}

/** What an {@link HTTPError} is made from. */
export interface HTTPErrorInit extends RequestErrorInit {
  /** The response, its body already read (or cancelled). */
  readonly response: Response;
  /** The response body as read: see {@link HTTPError.body}. @defaultValue `undefined` */
  readonly body?: unknown;
  /** How many times the request was sent. @defaultValue `1` */
  readonly attempts?: number | undefined;
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
export class HTTPError extends RequestError {
  override readonly name = 'HTTPError' as const;
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
   * the part read before a timeout when `cause` is a {@link TimeoutError}; `undefined` if none
   * could be read, and in the error `retry.onRetry` receives (a retried response's body is not read).
   */
  declare readonly body: unknown;
  /** How many times the request was sent: 1, or more when the `retry` policy retried it. */
  declare readonly attempts: number;

  constructor(init: HTTPErrorInit) {
    const { status, statusText, headers } = init.response;
    super(`Request failed with status ${status}${statusText ? ` (${statusText})` : ''}`, {
      body: undefined,
      attempts: 1,
      ...init,
      status,
      statusText,
      headers,
    } as HTTPErrorInit, gaveUp(init.attempts));
  }
}

/** What a {@link ContentTypeError} is made from. */
export interface ContentTypeErrorInit extends RequestErrorInit {
  /** The response, its body cancelled. */
  readonly response: Response;
}

/**
 * The server answered 200 but not with `Content-Type: text/event-stream` (a proxy's HTML login
 * page, a JSON error, no content type at all). The body is never parsed as events; it is
 * cancelled, unread.
 */
export class ContentTypeError extends RequestError {
  override readonly name = 'ContentTypeError' as const;
  /** The `Content-Type` the server sent, or `null` when it sent none. */
  declare readonly contentType: string | null;
  /** The response, body cancelled. */
  declare readonly response: Response;

  constructor(init: ContentTypeErrorInit) {
    const contentType = init.response.headers.get('content-type');
    super(`Expected Content-Type text/event-stream but got ${contentType ?? 'none'}`, { ...init, contentType } as ContentTypeErrorInit);
  }
}

/** What a {@link ServerStreamError} is made from. */
export interface ServerStreamErrorInit extends RequestErrorInit {
  /** The server's message, quoted in the error's own. */
  readonly message: string;
  /** The error payload as the server sent it: see {@link ServerStreamError.payload}. */
  readonly payload: unknown;
}

/**
 * The server sent an error event in the middle of the stream, after its 200 status was out
 * (for the default wire format: `data: {"error": "..."}`; in every built-in format, any
 * `event: error`, plain text included). The text received before it is kept.
 */
export class ServerStreamError extends RequestError {
  override readonly name = 'ServerStreamError' as const;
  /**
   * The error payload as the server sent it (for the default format, the value of `"error"`; for
   * a plain-text `event: error`, the text as sent).
   */
  declare readonly payload: unknown;

  constructor({ message, ...init }: ServerStreamErrorInit) {
    super(`Server error event (${message})`, init);
  }
}

/**
 * The stream ended without its terminator (for the default wire format, `data: [DONE]`): the
 * connection was cut by a proxy, a network drop or a server crash. This is not a success; the
 * text received so far is kept.
 */
export class IncompleteStreamError extends RequestError {
  override readonly name = 'IncompleteStreamError' as const;

  constructor(init: RequestErrorInit) {
    super('Stream ended before its terminator', init);
  }
}

/** What a {@link NetworkError} is made from. */
export interface NetworkErrorInit extends RequestErrorInit {
  /** How many times the request was sent. @defaultValue `1` */
  readonly attempts?: number | undefined;
}

/**
 * The request could not be sent or the connection failed while the body was read (connection
 * refused, DNS failure, reset). `cause` is the platform's error (usually a `TypeError` from `fetch`),
 * passed through as thrown; its message is quoted in this one with any URL in it redacted.
 * `text` is `""` when it failed before the response.
 */
export class NetworkError extends RequestError {
  override readonly name = 'NetworkError' as const;
  /** How many times the request was sent: 1, or more when the `retry` policy retried it. */
  declare readonly attempts: number;

  constructor(init: NetworkErrorInit) {
    super(`Network error${reason(init.cause)}`, { attempts: 1, ...init }, gaveUp(init.attempts));
  }
}

/** What a {@link TimeoutError} is made from. */
export interface TimeoutErrorInit extends RequestErrorInit {
  /** Which limit was reached. */
  readonly kind: 'idle' | 'total';
  /** The limit that was reached, in milliseconds. */
  readonly timeout: number;
}

/**
 * The request took too long: no bytes arrived for `idleTimeout` milliseconds (`kind: 'idle'`;
 * comments and keep-alives count as bytes), or the whole request passed `timeout` milliseconds
 * (`kind: 'total'`). The request was aborted, so the server sees the connection close; the text
 * received so far is kept.
 */
export class TimeoutError extends RequestError {
  override readonly name = 'TimeoutError' as const;
  /** Which limit was reached. */
  declare readonly kind: 'idle' | 'total';
  /** The limit that was reached, in milliseconds. */
  declare readonly timeout: number;

  constructor(init: TimeoutErrorInit) {
    const { kind, timeout } = init;
    super(kind === 'idle' ? `No data for ${timeout} ms (idleTimeout)` : `Took over ${timeout} ms (timeout)`, init);
  }
}

/** What a {@link ProtocolError} is made from. */
export interface ProtocolErrorInit extends RequestErrorInit {
  /** The protocol's name (`StreamProtocol.name`), quoted in the message. */
  readonly protocol: string;
  /** The offending event's data (the error keeps its first 1,024 characters). */
  readonly data: string;
}

/**
 * A data payload was not what the protocol expects (for the default wire format: not JSON, or
 * JSON without a `token` or `error`). `data` is the raw payload, truncated to 1,024 characters.
 */
export class ProtocolError extends RequestError {
  override readonly name = 'ProtocolError' as const;
  /** The offending event's data, truncated to 1,024 characters (`"…"` marks a cut). */
  declare readonly data: string;

  constructor({ protocol, data, ...init }: ProtocolErrorInit) {
    super(`Malformed ${protocol} event${reason(init.cause)}`, {
      ...init,
      data: truncateText(data),
    } as RequestErrorInit);
  }
}

/**
 * What an {@link EventTooLargeError} is made from. The parser gives the limit alone: then
 * `request` is `undefined` and `text` is `""`.
 */
export interface EventTooLargeErrorInit extends TokenStreamErrorOptions {
  /** The limit that was exceeded, in UTF-16 code units. */
  readonly maxEventSize: number;
  /** The request that failed (its URL redacted: see {@link RequestDescription}). @defaultValue `undefined` */
  readonly request?: RequestDescription | undefined;
  /** The text received before the failure. @defaultValue `""` */
  readonly text?: string | undefined;
}

/**
 * One event (its unfinished line plus its data buffer) grew past `maxEventSize` before it ended.
 * The parser discards that event rather than grow; the clients abort the request.
 */
export class EventTooLargeError extends RequestError<RequestDescription | undefined> {
  override readonly name = 'EventTooLargeError' as const;
  /** The limit that was exceeded, in UTF-16 code units of decoded text (about bytes for ASCII). */
  declare readonly maxEventSize: number;

  /** @param init - The limit, and the request and the text so far when a client throws it. */
  constructor(init: EventTooLargeErrorInit) {
    super(`An event grew past maxEventSize (${init.maxEventSize} UTF-16 code units)`, init as RequestErrorInit<RequestDescription | undefined>);
  }
}

/** What a {@link ReconnectLimitError} is made from. */
export interface ReconnectLimitErrorInit extends RequestErrorInit {
  /** How many reconnections were made. */
  readonly reconnects: number;
}

/**
 * With `reconnect`, the stream dropped again after the most reconnections one call may make
 * (`reconnect.totalLimit`), although the server sent events in between: a server that ends every
 * connection after an event or two (or proxies that cut it) would otherwise be re-sent the request
 * for ever. The text received so far is kept; `cause` is the error of the last drop (`undefined`
 * when the body simply ended).
 */
export class ReconnectLimitError extends RequestError {
  override readonly name = 'ReconnectLimitError' as const;
  /** How many reconnections were made (the `totalLimit` reached); the request was sent once more than this. */
  declare readonly reconnects: number;

  constructor(init: ReconnectLimitErrorInit) {
    super(`Stream dropped${reason(init.cause)} after ${init.reconnects} reconnections (reconnect.totalLimit)`, init);
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

/**
 * Calls a user's observer callback; whatever it throws is reported (see {@link reportCallbackError}),
 * never propagated, so it changes neither the stream nor the store.
 *
 * @internal
 */
export function notify<Args extends unknown[]>(callback: ((...args: Args) => void) | undefined, ...args: Args): void {
  if (callback === undefined) return;
  try {
    callback(...args);
  } catch (error) {
    reportCallbackError(error);
  }
}

/** The most bytes of an error response's body that {@link HTTPError} keeps: 64 KiB. */
export const MAX_ERROR_BODY_BYTES = 65_536;
