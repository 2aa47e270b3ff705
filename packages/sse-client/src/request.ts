import {
  ContentTypeError,
  HTTPError,
  MAX_ERROR_BODY_BYTES,
  NetworkError,
  reportCallbackError,
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

/**
 * Reads at most {@link MAX_ERROR_BODY_BYTES} of a response body: JSON when it says JSON, else text.
 * Each chunk counts as activity for the idle timeout. When the call is aborted (a timeout, or the
 * user), reading stops and what was read so far is returned: the caller decides what to throw.
 */
async function readErrorBody(response: Response, scope: RequestScope): Promise<unknown> {
  const { body, headers } = response;
  if (body === null) return undefined;
  const { signal } = scope;
  const reader = body.getReader();
  // A body that is not tied to the signal (a custom fetch's) must stop on an abort too.
  const onAbort = (): void => void reader.cancel(signal.reason).catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  const decoder = new TextDecoder();
  let text = '';
  let room = MAX_ERROR_BODY_BYTES;
  let complete = false;
  try {
    // Stops at the end, or once MAX_ERROR_BODY_BYTES have arrived (the rest is cancelled, unread).
    for (let chunk; room > 0 && !(chunk = await reader.read()).done; ) {
      scope.activity();
      text += decoder.decode(chunk.value.subarray(0, room), { stream: true });
      room -= chunk.value.byteLength;
    }
    complete = !signal.aborted;
  } catch {
    // The connection failed or the call was aborted: what was read is kept.
  } finally {
    signal.removeEventListener('abort', onAbort);
    reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  text += decoder.decode();
  if (!complete) return text || undefined;
  try {
    if (/[/+]json\b/i.test(headers.get('content-type') ?? '')) return JSON.parse(text) as unknown;
  } catch {
    // Not JSON after all: kept as text.
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
  /** Called as a plain function, never as a method (see where `prepareRequest` builds it). */
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
  const url = String(input);
  const description: RequestDescription = { method, url: redactUrl(url) };
  checkUrl(url, customFetch !== undefined);
  const headers = checkRequest(method, headersInit, rest, body != null, `${method} ${description.url}`);
  const json = isJsonBody(body);
  if (!headers.has('accept')) headers.set('accept', 'text/event-stream');
  if (json && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return {
    description,
    input,
    init: { ...rest, method, ...(body === undefined ? {} : { body: json ? JSON.stringify(body) : body }) },
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
  const { description: request, retry: policy, fetch: send } = prepared;
  const { signal } = scope;
  const headers = new Headers(prepared.headers);
  if (lastEventId !== '') headers.set('last-event-id', lastEventIdHeader(lastEventId));
  const cancel = (response: Response): void => void response.body?.cancel().catch(() => undefined);

  for (let attempt = 1; ; attempt += 1) {
    const fail = (error: unknown): unknown => scope.mapError(error, request, '', attempt);
    const wait = async (delay: number, error: unknown): Promise<void> => {
      try {
        policy.onRetry?.({ attempt, delay, error });
      } catch (callbackError) {
        reportCallbackError(callbackError);
      }
      scope.pauseIdle();
      try {
        await sleep(delay, signal);
      } catch (error) {
        throw fail(error);
      }
    };
    if (signal.aborted) throw fail(signal.reason);
    scope.activity();
    let response: Response;
    try {
      response = await send(prepared.input, { ...prepared.init, headers, signal });
    } catch (cause) {
      const error = fail(cause);
      if (!(error instanceof NetworkError && isRetriableFailure(cause) && attempt <= policy.limit)) throw error;
      await wait(retryDelay(policy, attempt, undefined)!, error);
      continue;
    }
    if (signal.aborted) {
      cancel(response);
      throw fail(signal.reason);
    }
    scope.activity();
    const { status, body } = response;
    if (status === 200) {
      // Rule 22: the media type must be text/event-stream (parameters such as charset are ignored).
      if (body && /^\s*text\/event-stream\s*(;|$)/i.test(response.headers.get('content-type') ?? '')) {
        return { response, body, request };
      }
      cancel(response);
      throw new ContentTypeError(response, request);
    }
    const delay =
      attempt <= policy.limit && policy.statusCodes.includes(status)
        ? retryDelay(policy, attempt, parseRetryAfter(response.headers.get('retry-after')))
        : undefined;
    if (delay === undefined) {
      const errorBody = await readErrorBody(response, scope);
      const reason = signal.aborted ? fail(signal.reason) : undefined;
      // A timeout while the error body arrived: the status is the news, with what was read.
      if (reason === undefined || reason instanceof TimeoutError) {
        throw new HTTPError(response, request, errorBody, attempt, reason === undefined ? undefined : { cause: reason });
      }
      throw reason;
    }
    cancel(response);
    await wait(delay, new HTTPError(response, request, undefined, attempt));
  }
}
