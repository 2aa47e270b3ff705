import {
  ContentTypeError,
  HTTPError,
  MAX_ERROR_BODY_BYTES,
  NetworkError,
  TimeoutError,
  type RequestDescription,
} from './errors.js';
import type { EventStreamRequestInit, JsonBody } from './fetch-event-stream.js';
import { redactUrl } from './redact-url.js';
import type { RequestScope } from './request-scope.js';
import { checkRequest, checkUrl } from './request-validation.js';
import { isRetriableFailure, parseRetryAfter, retryDelay, sleep, toRetryPolicy, type RetryPolicy } from './retry.js';

/** A validated event-stream response and the request it answers. @internal */
export interface OpenedEventStream {
  readonly response: Response;
  readonly body: ReadableStream<Uint8Array>;
  readonly request: RequestDescription;
}

function isJsonBody(body: unknown): body is JsonBody {
  if (Array.isArray(body)) return true;
  if (typeof body !== 'object' || body === null) return false;
  const proto = Object.getPrototypeOf(body) as unknown;
  return proto === Object.prototype || proto === null;
}

/** True when a `Content-Type` header's media type is `text/event-stream` (rule 22). @internal */
export function isEventStreamContentType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const semicolon = contentType.indexOf(';');
  const mediaType = semicolon === -1 ? contentType : contentType.slice(0, semicolon);
  return mediaType.trim().toLowerCase() === 'text/event-stream';
}

/**
 * Reads at most {@link MAX_ERROR_BODY_BYTES} of a response body: JSON when it says JSON, else text.
 * Each chunk counts as activity for the idle timeout. When the call is aborted (a timeout, or the
 * user), reading stops and what was read so far is returned: the caller decides what to throw.
 */
async function readErrorBody(response: Response, scope: RequestScope): Promise<unknown> {
  const body = response.body;
  if (body === null) return undefined;
  const reader = body.getReader();
  // A body that is not tied to the signal (a custom fetch's) must stop on an abort too.
  const onAbort = (): void => {
    reader.cancel(scope.signal.reason).catch(() => undefined);
  };
  scope.signal.addEventListener('abort', onAbort, { once: true });
  if (scope.signal.aborted) onAbort();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  let complete = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      scope.activity();
      const room = MAX_ERROR_BODY_BYTES - bytes;
      text += decoder.decode(value.byteLength > room ? value.subarray(0, room) : value, { stream: true });
      bytes += value.byteLength;
      if (bytes >= MAX_ERROR_BODY_BYTES) {
        reader.cancel().catch(() => undefined);
        break;
      }
    }
    text += decoder.decode();
    complete = !scope.signal.aborted;
  } catch {
    text += decoder.decode();
  } finally {
    scope.signal.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
  if (!complete) return text === '' ? undefined : text;
  const contentType = response.headers.get('content-type') ?? '';
  if (/[/+]json\b/i.test(contentType)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * A `Last-Event-ID` value: the ID encoded as UTF-8, one char per byte, since header values are
 * byte strings (WHATWG HTML § "Server-sent events": "the last event ID string, encoded as UTF-8").
 * Passing the string as is would send `é` as the Latin-1 byte `E9`, and make `Headers` throw for
 * any character past U+00FF.
 *
 * @internal
 */
export function lastEventIdHeader(id: string): string {
  let ascii = true;
  for (let i = 0; i < id.length && ascii; i += 1) ascii = id.charCodeAt(i) < 0x80;
  if (ascii) return id;
  let value = '';
  for (const byte of new TextEncoder().encode(id)) value += String.fromCharCode(byte);
  return value;
}

/** A request ready to send, built and checked once from the options. @internal */
export interface PreparedRequest {
  /** The request for errors: its URL redacted. */
  readonly description: RequestDescription;
  readonly input: string | URL;
  readonly init: RequestInit;
  readonly headers: Headers;
  readonly fetch: typeof fetch;
  readonly retry: RetryPolicy;
}

/**
 * Builds the `fetch` arguments (method, POST by default; JSON bodies; the `Accept` header) and
 * checks, before anything is sent, what no retry could fix (see `request-validation.ts`).
 *
 * @internal
 * @throws {TypeError} for a URL, header, method or option that cannot make a request, saying
 *   what is wrong; nothing is sent.
 * @throws {RangeError} for an invalid `retry` option.
 */
export function prepareRequest(input: string | URL, options: EventStreamRequestInit): PreparedRequest {
  const {
    method: requestedMethod,
    body,
    signal: _signal,
    fetch: customFetch,
    maxEventSize: _maxEventSize,
    onRetry: _onRetry,
    onComment: _onComment,
    idleTimeout: _idleTimeout,
    timeout: _timeout,
    retry,
    reconnect: _reconnect,
    headers: headersInit,
    ...rest
  } = options;
  const method = (requestedMethod ?? 'POST').toUpperCase();
  const url = typeof input === 'string' ? input : input.href;
  const description: RequestDescription = { method, url: redactUrl(url) };
  const where = `${method} ${description.url}`;
  checkUrl(url, customFetch !== undefined);
  const headers = checkRequest(method, headersInit, rest, body !== undefined && body !== null, where);
  if (!headers.has('accept')) headers.set('accept', 'text/event-stream');
  let requestBody: BodyInit | null | undefined;
  if (isJsonBody(body)) {
    requestBody = JSON.stringify(body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  } else {
    requestBody = body;
  }
  return {
    description,
    input,
    init: { ...rest, method, ...(requestBody === undefined ? {} : { body: requestBody }) },
    headers,
    // Called as a plain function, never as a method: browsers reject a `fetch` whose `this` is
    // not the global object ("Illegal invocation"). The global one is looked up at call time.
    fetch: customFetch ?? ((resource, init) => globalThis.fetch(resource, init)),
    retry: toRetryPolicy(retry),
  };
}

/**
 * Sends the request and checks that the answer is an event stream (rule 22): status 200 and a
 * `text/event-stream` media type. Under a `retry` policy, network failures (see
 * {@link isRetriableFailure}) and the policy's statuses are retried with backoff; a 200 is never
 * retried. `lastEventId`, when not empty, is sent as `Last-Event-ID` in UTF-8.
 *
 * @internal
 * @throws {HTTPError} for any status other than 200 (the body is read, up to 64 KiB, each chunk
 *   counting as activity; when a timeout passes while it arrives, with the part read and the
 *   `TimeoutError` as `cause`).
 * @throws {ContentTypeError} for a 200 that is not `text/event-stream` (the body is cancelled unread).
 * @throws {NetworkError} when `fetch` rejects for any reason other than an abort.
 * @throws the scope's mapped abort reason (the user's `signal.reason`, or a `TimeoutError`).
 */
export async function openEventStream(
  prepared: PreparedRequest,
  scope: RequestScope,
  lastEventId: string,
): Promise<OpenedEventStream> {
  const request = prepared.description;
  const policy = prepared.retry;
  const headers = new Headers(prepared.headers);
  if (lastEventId !== '') headers.set('last-event-id', lastEventIdHeader(lastEventId));

  async function wait(delay: number, attempt: number): Promise<void> {
    scope.pauseIdle();
    try {
      await sleep(delay, scope.signal);
    } catch (error) {
      throw scope.mapError(error, request, '', attempt);
    }
  }

  for (let attempt = 1; ; attempt += 1) {
    if (scope.signal.aborted) throw scope.mapError(scope.signal.reason, request, '', attempt);
    scope.activity();
    let response: Response;
    try {
      const send = prepared.fetch;
      response = await send(prepared.input, { ...prepared.init, headers, signal: scope.signal });
    } catch (cause) {
      const error = scope.mapError(cause, request, '', attempt);
      const delay =
        error instanceof NetworkError && isRetriableFailure(cause) && attempt <= policy.limit
          ? retryDelay(policy, attempt, undefined)
          : undefined;
      if (delay === undefined) throw error;
      await wait(delay, attempt);
      continue;
    }
    if (scope.signal.aborted) {
      response.body?.cancel().catch(() => undefined);
      throw scope.mapError(scope.signal.reason, request, '', attempt);
    }
    scope.activity();
    if (response.status !== 200) {
      const delay =
        attempt <= policy.limit && policy.statusCodes.includes(response.status)
          ? retryDelay(policy, attempt, parseRetryAfter(response.headers.get('retry-after')))
          : undefined;
      if (delay !== undefined) {
        response.body?.cancel().catch(() => undefined);
        await wait(delay, attempt);
        continue;
      }
      const body = await readErrorBody(response, scope);
      if (scope.signal.aborted) {
        const reason = scope.mapError(scope.signal.reason, request, '', attempt);
        // A timeout while the error body arrived: the status is the news, with what was read.
        if (reason instanceof TimeoutError) throw new HTTPError(response, request, body, attempt, { cause: reason });
        throw reason;
      }
      throw new HTTPError(response, request, body, attempt);
    }
    if (!isEventStreamContentType(response.headers.get('content-type')) || response.body === null) {
      response.body?.cancel().catch(() => undefined);
      throw new ContentTypeError(response, request);
    }
    return { response, body: response.body, request };
  }
}
