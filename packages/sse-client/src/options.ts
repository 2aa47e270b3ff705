/**
 * Every option of a streaming call, resolved and checked once, before anything is sent or any
 * timer starts, into one {@link ResolvedOptions} object that each layer reads: the request
 * (`request.ts`), its scope (`request-scope.ts`), the event stream (`fetch-event-stream.ts`).
 * A leaf module: it imports only the leaves that check URLs and headers.
 *
 * @module
 */

import type { RequestDescription } from './errors.js';
import { redactUrl } from './redact-url.js';
import { checkRequest, checkUrl } from './request-validation.js';

/** A JSON value given as a request body: a plain object or an array, sent with `JSON.stringify`. */
export type JsonBody = Record<string, unknown> | readonly unknown[];

/**
 * The retry policy for failures before a response body arrived. Opt-in: a POST to an LLM costs
 * tokens, so nothing is re-sent unless asked, and nothing is ever re-sent once the server answered 200.
 */
export interface RetryOptions {
  /**
   * How many times to retry after the first attempt (so `limit + 1` attempts at most).
   * @defaultValue `2`
   */
  limit?: number | undefined;
  /**
   * The HTTP statuses that are retried. Network failures (`fetch` rejected with a `TypeError`, as
   * the platform's `fetch` does when the request could not be sent or got no answer) are always
   * retried. Nothing else is: not a request that cannot be built (an invalid URL, a relative URL
   * with no base, an invalid header or method: these fail before the first attempt), nor another
   * error thrown by a custom `fetch`.
   * @defaultValue `[408, 429, 500, 502, 503, 504]`
   */
  statusCodes?: readonly number[] | undefined;
  /**
   * The delay before the first retry, in milliseconds; each later retry waits `backoffFactor`
   * times longer (exponential backoff), up to `maxDelay`. With `jitter`, each wait is a random
   * value between half of it and all of it, so many clients do not retry in step.
   * @defaultValue `1000`
   */
  delay?: number | undefined;
  /**
   * What each retry's delay is multiplied by, after the first (`delay`, `delay * backoffFactor`,
   * …), before `maxDelay` caps it. A non-negative number.
   * @defaultValue `2`
   */
  backoffFactor?: number | undefined;
  /**
   * The longest wait, in milliseconds. A `Retry-After` header (seconds or an HTTP date) replaces the
   * computed delay; when it asks for longer than `maxDelay`, the request is not retried.
   * @defaultValue `30000`
   */
  maxDelay?: number | undefined;
  /**
   * Whether each wait is a random value between half of the computed delay and all of it (not
   * applied to a `Retry-After` delay), so that many clients do not retry in step.
   * @defaultValue `true`
   */
  jitter?: boolean | undefined;
  /**
   * Called once before each retry's wait: `attempt` is the retry about to be made (1 for the
   * first), `delay` the wait before it in milliseconds (after jitter and `Retry-After`), `error`
   * what caused it: the `HTTPError` of the retried status (its body not read: `body` is
   * `undefined`) or the `NetworkError`. For a "retrying…" notice. What it throws is reported
   * (`reportError` where it exists, else `console.error`) and never ends or changes the call.
   */
  onRetry?: ((retry: { readonly attempt: number; readonly delay: number; readonly error: unknown }) => void) | undefined;
}

/**
 * Resuming a dropped stream from its last event ID (WHATWG HTML § "Server-sent events",
 * reconnection and `Last-Event-ID`), for servers that send `id` fields and can resume after one.
 *
 * Two bounds keep a call from re-sending its request for ever: `limit` reconnections in a row
 * without an event between them (then the last drop's error is thrown), and `totalLimit`
 * reconnections in the whole call, events or not (then a `ReconnectLimitError`). The wait before
 * each reconnection is `delay`, or the server's latest `retry` field but never less than `minDelay`.
 */
export interface ReconnectOptions {
  /**
   * The most reconnections in a row without an event between them. Past it, the error of the last
   * drop is thrown (for `streamTokens`, an `IncompleteStreamError` when the body just ended).
   * A non-negative integer, or `Infinity`.
   * @defaultValue `3`
   */
  limit?: number | undefined;
  /**
   * The most reconnections in one call, in total: every event resets the `limit` count, not this
   * one. Past it, a `ReconnectLimitError` is thrown with the text so far. A non-negative integer,
   * or `Infinity` for no bound.
   * @defaultValue `20`: room for a long answer whose connection a proxy cuts every minute or so,
   *   while a server that ends each connection after one event costs at most 21 requests
   */
  totalLimit?: number | undefined;
  /**
   * The wait before reconnecting, in milliseconds, until the server sends a `retry` field. A
   * finite non-negative number.
   * @defaultValue `1000`
   */
  delay?: number | undefined;
  /**
   * The shortest wait, in milliseconds, that a server's `retry` field can set (a `retry: 0` means
   * this). It does not apply to `delay`, which is yours to choose. A finite non-negative number.
   * @defaultValue `500`: the floor Firefox's `EventSource` applies to `retry`
   *   (`MIN_RECONNECTION_TIME_VALUE` in Gecko's `dom/base/EventSource.cpp`)
   */
  minDelay?: number | undefined;
}

/**
 * Options for a streaming request: every `RequestInit` field of `fetch` (`headers`, `credentials`,
 * `mode`, `cache`, `keepalive`, …) plus the ones below.
 */
export interface EventStreamRequestInit extends Omit<RequestInit, 'body' | 'method' | 'signal' | 'window'> {
  /**
   * The HTTP method.
   * @defaultValue `"POST"`
   */
  method?: string | undefined;
  /**
   * The request body. A plain object or an array is sent as JSON (with
   * `Content-Type: application/json` unless `headers` set one); anything `fetch` accepts
   * (string, `FormData`, `Blob`, `URLSearchParams`, …) is passed through as is.
   */
  body?: JsonBody | BodyInit | null | undefined;
  /**
   * Cancels the request at any point, before the response or mid-stream. The body's reader is
   * cancelled, so the server sees the connection close. The error thrown is `signal.reason`,
   * not wrapped (the platform's `AbortError` `DOMException` for a plain `abort()`).
   */
  signal?: AbortSignal | undefined;
  /**
   * The `fetch` to call, e.g. a test double or an instrumented wrapper.
   * @defaultValue `globalThis.fetch`, looked up at call time (so a mock installed later is used)
   */
  fetch?: typeof fetch | undefined;
  /**
   * The most one event may take, in UTF-16 code units of decoded text (one per ASCII character,
   * so about bytes). Past it the request is aborted with an `EventTooLargeError`. A positive
   * number; anything else is a `RangeError` before the request is sent.
   * @defaultValue 16 Mi (16,777,216): room for base64 images inside events
   */
  maxEventSize?: number | undefined;
  /**
   * Milliseconds without a single byte (while waiting for the response, or between chunks of the
   * body) after which the request is aborted with a `TimeoutError` of kind `idle`. Comments and
   * keep-alives count as bytes, and so do the chunks of an error response's body (when a timeout
   * still cuts that body, the call fails with the `HTTPError`, not a `TimeoutError`). `false` waits for ever;
   * a value past 2^31 - 1 ms (the timers' limit) waits that long, about 24.8 days. It is a deadline
   * measured with `performance.now()` (one timer per call, none per chunk), so fake timers in tests
   * must fake `performance` too (vitest's `vi.useFakeTimers()` does by default).
   * @defaultValue `120000` (2 minutes: long enough for a model that thinks before its first token)
   */
  idleTimeout?: number | false | undefined;
  /**
   * Milliseconds the whole call may take, retries and reading included, after which it is aborted
   * with a `TimeoutError` of kind `total`. `false` or omitted: no limit. A value past 2^31 - 1 ms
   * (the timers' limit) waits that long, about 24.8 days.
   * @defaultValue `false`
   */
  timeout?: number | false | undefined;
  /**
   * Retries for failures before any response body arrived: network failures (`fetch` rejected
   * with a `TypeError`) and, by default, statuses 408, 429, 500, 502, 503 and 504, with exponential
   * backoff and jitter, honouring `Retry-After`. Only what a retry could fix: a request that cannot
   * be built (invalid or base-less URL, invalid header or method) fails before the first attempt
   * with a `TypeError`, and other errors from a custom `fetch` are not retried. A request answered
   * with status 200 is never sent again. `true` uses the defaults; a number is the retry limit; any
   * other type, or a negative count or delay, is a `RangeError` before anything is sent.
   * When retries run out, the error's `attempts` says how many requests were sent.
   * @defaultValue `false`: a POST to a model costs tokens, so nothing is re-sent unless asked
   */
  retry?: number | boolean | RetryOptions | undefined;
  /**
   * After the stream drops (the connection breaks, or the body ends before the stream's
   * terminator), send the request again with a `Last-Event-ID` header (the ID in UTF-8) so the
   * server resumes after the last event received. Only when the server has sent an event `id`.
   * The server's `retry` field sets the wait (never below `minDelay`); a `204 No Content` answer to
   * a reconnection ends the stream (as it stops `EventSource`). At most `limit` reconnections in a
   * row without an event and `totalLimit` in all (see {@link ReconnectOptions}). `true` uses the defaults;
   * any other type, or an invalid field, is a `RangeError` before anything is sent.
   * @defaultValue `false`
   */
  reconnect?: boolean | ReconnectOptions | undefined;
  /**
   * Called with the value of each valid `retry` field the server sends, in milliseconds (rule 15
   * of `docs/event-stream-parsing.md`: one or more ASCII digits; other values never reach it).
   * Not to be confused with `retry.onRetry`, which is called before a request is re-sent. What it
   * throws is reported (`reportError` where it exists, else `console.error`) and changes nothing.
   */
  onRetry?: ((retry: number) => void) | undefined;
  /**
   * Called with each comment line's text, after the `:` and one leading space (rule 8): keep-alives
   * such as `: ping` give `"ping"`. What it throws is reported (`reportError` where it exists,
   * else `console.error`) and changes nothing: the stream reads on.
   */
  onComment?: ((comment: string) => void) | undefined;
}

/** The default `idleTimeout`: 120,000 ms (2 minutes). */
export const DEFAULT_IDLE_TIMEOUT = 120_000;

/** A complete retry policy (`limit` 0: no retries). @internal */
export interface RetryPolicy {
  readonly limit: number;
  readonly statusCodes: readonly number[];
  readonly delay: number;
  readonly backoffFactor: number;
  readonly maxDelay: number;
  readonly jitter: boolean;
  readonly onRetry: RetryOptions['onRetry'];
}

/** A complete reconnection policy. @internal */
export interface ReconnectPolicy {
  readonly limit: number;
  readonly totalLimit: number;
  readonly delay: number;
  readonly minDelay: number;
}

/** One call's options, resolved and checked: what every layer below the public functions reads. @internal */
export interface ResolvedOptions {
  /** The request for errors: its URL redacted. */
  readonly request: RequestDescription;
  readonly input: string | URL;
  /** The `fetch` init without `headers` and `signal` (set per attempt). */
  readonly init: RequestInit;
  readonly headers: Headers;
  /** Called as a plain function, never as a method (see where {@link resolveOptions} builds it). */
  readonly fetch: typeof fetch;
  readonly signal?: AbortSignal | undefined;
  /** In ms; `undefined`: no idle limit. */
  readonly idleTimeout: number | undefined;
  /** In ms; `undefined`: no total limit. */
  readonly timeout: number | undefined;
  /** `undefined`: the parser's default. */
  readonly maxEventSize?: number | undefined;
  readonly retry: RetryPolicy;
  /** `undefined`: no reconnection. */
  readonly reconnect: ReconnectPolicy | undefined;
  readonly onRetry?: ((retry: number) => void) | undefined;
  readonly onComment?: ((comment: string) => void) | undefined;
  /** See {@link InternalRequestInit.onResponse}. */
  readonly onResponse?: ((response: Response) => void) | undefined;
}

/** The options of {@link resolveOptions}: the public ones and the chat store's hook. @internal */
export interface InternalRequestInit extends EventStreamRequestInit {
  /**
   * Called with every response `fetch` resolves with (each attempt), before it is checked. An
   * observer: what it throws is reported (`reportError` where it exists, else `console.error`) and
   * changes nothing: the response is checked and read (or its body cancelled) as usual.
   */
  readonly onResponse?: ((response: Response) => void) | undefined;
}

/** Throws the RangeError every option check throws: `<name> must be <what>, got <value>`. */
function invalid(name: string, what: string, value: unknown): never {
  throw new RangeError(`${name} must be ${what}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
}

/** `value` when it is a positive number (or `Infinity`); else the RangeError `<name> must be a positive number of <unit>, got <value>`. */
function positive(name: string, value: unknown, unit: string): number {
  return (value as number) > 0 ? (value as number) : invalid(name, `a positive number of ${unit}`, value);
}

/** A timeout in ms, `undefined` for none (`false`, `Infinity`, omitted). */
function toTimeout(name: string, value: unknown): number | undefined {
  return value === undefined || value === false || value === Infinity ? undefined : positive(name, value, 'milliseconds or false');
}

/**
 * A policy: `false`/`undefined` → `undefined`; `true` → the defaults; an object → its defined
 * fields over the defaults; a number → the defaults with that `limit`, for a policy without
 * `counts` (retry's). Then each field whose default is a number must be a non-negative number;
 * with `counts` (reconnect's), those in `counts` a non-negative integer or `Infinity`, the others finite.
 */
function toPolicy<T extends object>(name: string, value: unknown, defaults: T, counts?: readonly (keyof T & string)[]): T | undefined {
  if (value === undefined || value === false) return undefined;
  const policy = { ...defaults } as Record<string, unknown>;
  if (typeof value === 'number' && !counts) policy.limit = value;
  else if (typeof value === 'object' && value !== null) {
    for (const [key, field] of Object.entries(value)) if (field !== undefined) policy[key] = field;
  } else if (value !== true) invalid(name, `a boolean${counts ? '' : ', a number'} or an object`, value);
  for (const key in defaults) {
    const field = policy[key] as number;
    const count = counts?.includes(key);
    if (typeof defaults[key] === 'number' && !(field >= 0 && (count ? Number.isInteger(field) || field === Infinity : !counts || field < Infinity))) {
      invalid(`${name}.${key}`, `a non-negative ${count ? 'integer (or Infinity)' : 'number'}`, field);
    }
  }
  return policy as T;
}

/**
 * Normalises the `retry` option: `false`/`undefined` → no retries (a `limit` of 0); `true` → the
 * defaults; a number → that many retries with the defaults; an object → its fields over the defaults.
 *
 * @internal
 * @throws {RangeError} for another type, or when a count or a delay is negative or not a number.
 */
export function toRetryPolicy(retry: unknown): RetryPolicy {
  const defaults: RetryPolicy = {
    limit: 2,
    statusCodes: [408, 429, 500, 502, 503, 504],
    delay: 1000,
    backoffFactor: 2,
    maxDelay: 30_000,
    jitter: true,
    onRetry: undefined,
  };
  return toPolicy('retry', retry, defaults) ?? { ...defaults, limit: 0 };
}

/**
 * Normalises the `reconnect` option: `false`/`undefined` → no reconnection; `true` → the defaults;
 * an object → its fields over the defaults.
 *
 * @internal
 * @throws {RangeError} for another type, when a count is not a non-negative integer (or
 *   `Infinity`), or a delay not a finite non-negative number.
 */
export function toReconnectPolicy(reconnect: unknown): ReconnectPolicy | undefined {
  const defaults: ReconnectPolicy = { limit: 3, totalLimit: 20, delay: 1000, minDelay: 500 };
  return toPolicy('reconnect', reconnect, defaults, ['limit', 'totalLimit']);
}

/** True for a body sent as JSON: an array, or an object whose prototype is `Object.prototype` or `null`. @internal */
export function isJsonBody(body: unknown): body is JsonBody {
  // A primitive's prototype is its wrapper's (`String.prototype`, …): never one of these two.
  return Array.isArray(body) || (body != null && [Object.prototype, null].includes(Object.getPrototypeOf(body) as object | null));
}

/**
 * Resolves and checks every option of one call, before anything is sent: builds the `fetch`
 * arguments (method, POST by default; JSON bodies; the `Accept` header), checks what no retry
 * could fix (see `request-validation.ts`), and normalises the timeouts, `maxEventSize`, `retry`
 * and `reconnect`. Keys that are not `fetch` options (`protocol`, `onToken`, `onPart`) are left
 * out of the `fetch` init.
 *
 * @internal
 * @throws {TypeError} for a URL, header, method or option that cannot make a request, saying
 *   what is wrong.
 * @throws {RangeError} for an invalid timeout, `maxEventSize`, `retry` or `reconnect` option.
 */
export function resolveOptions(input: string | URL, options: InternalRequestInit): ResolvedOptions {
  // Every key that is not a `fetch` option is named here, to be left out of `rest`.
  const {
    method: requestedMethod,
    body,
    signal: _signal,
    fetch: customFetch,
    maxEventSize,
    onRetry: _onRetry,
    onComment: _onComment,
    onResponse: _onResponse,
    idleTimeout = DEFAULT_IDLE_TIMEOUT,
    timeout,
    retry,
    reconnect,
    headers: headersInit,
    // Options of streamTokens and streamParts, not of fetch.
    protocol: _protocol,
    onToken: _onToken,
    onPart: _onPart,
    ...rest
  } = options as InternalRequestInit & Record<'protocol' | 'onToken' | 'onPart', unknown>;
  const method = (requestedMethod ?? 'POST').toUpperCase();
  const url = String(input);
  const request: RequestDescription = { method, url: redactUrl(url) };
  checkUrl(url, request.url, customFetch !== undefined);
  const headers = checkRequest(method, headersInit, rest, body != null, `${method} ${request.url}`);
  const json = isJsonBody(body);
  if (!headers.has('accept')) headers.set('accept', 'text/event-stream');
  if (json && !headers.has('content-type')) headers.set('content-type', 'application/json');
  if (maxEventSize !== undefined) positive('maxEventSize', maxEventSize, 'UTF-16 code units');
  return {
    // `signal`, `maxEventSize`, `onRetry`, `onComment` and `onResponse` as given (and the raw
    // options, which no layer reads), with what is resolved over them.
    ...options,
    request,
    input,
    init: { ...rest, method, ...(body === undefined ? {} : { body: json ? JSON.stringify(body) : body }) },
    headers,
    // Called as a plain function, never as a method: browsers reject a `fetch` whose `this` is
    // not the global object ("Illegal invocation"). The global one is looked up at call time.
    fetch: customFetch ?? ((resource, init) => globalThis.fetch(resource, init)),
    idleTimeout: toTimeout('idleTimeout', idleTimeout),
    timeout: toTimeout('timeout', timeout),
    retry: toRetryPolicy(retry),
    reconnect: toReconnectPolicy(reconnect),
  };
}
