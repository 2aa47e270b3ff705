import {
  ContentTypeError,
  HTTPError,
  MAX_ERROR_BODY_BYTES,
  NetworkError,
  type RequestDescription,
} from './errors.js';
import type { EventStreamRequestInit, JsonBody } from './fetch-event-stream.js';
import type { RequestScope } from './request-scope.js';
import { parseRetryAfter, retryDelay, sleep, toRetryPolicy } from './retry.js';

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

/** Reads at most {@link MAX_ERROR_BODY_BYTES} of a response body: JSON when it says JSON, else text. */
async function readErrorBody(response: Response): Promise<unknown> {
  const body = response.body;
  if (body === null) return undefined;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = MAX_ERROR_BODY_BYTES - bytes;
      text += decoder.decode(value.byteLength > room ? value.subarray(0, room) : value, { stream: true });
      bytes += value.byteLength;
      if (bytes >= MAX_ERROR_BODY_BYTES) {
        reader.cancel().catch(() => undefined);
        break;
      }
    }
    text += decoder.decode();
  } catch {
    return text === '' ? undefined : text;
  } finally {
    reader.releaseLock();
  }
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

/** A request ready to send, built once from the options. @internal */
export interface PreparedRequest {
  readonly description: RequestDescription;
  readonly input: string | URL;
  readonly init: RequestInit;
  readonly headers: Headers;
  readonly fetch: typeof fetch;
}

/** Builds the `fetch` arguments: method (POST by default), JSON bodies, the `Accept` header. @internal */
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
    retry: _retry,
    reconnect: _reconnect,
    headers: headersInit,
    ...rest
  } = options;
  const method = (requestedMethod ?? 'POST').toUpperCase();
  const headers = new Headers(headersInit);
  if (!headers.has('accept')) headers.set('accept', 'text/event-stream');
  let requestBody: BodyInit | null | undefined;
  if (isJsonBody(body)) {
    requestBody = JSON.stringify(body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  } else {
    requestBody = body;
  }
  return {
    description: { method, url: typeof input === 'string' ? input : input.href },
    input,
    init: { ...rest, method, ...(requestBody === undefined ? {} : { body: requestBody }) },
    headers,
    // Called as a plain function, never as a method: browsers reject a `fetch` whose `this` is
    // not the global object ("Illegal invocation"). The global one is looked up at call time.
    fetch: customFetch ?? ((resource, init) => globalThis.fetch(resource, init)),
  };
}

/**
 * Sends the request and checks that the answer is an event stream (rule 22): status 200 and a
 * `text/event-stream` media type. Under a `retry` policy, network failures and the policy's
 * statuses are retried with backoff; a 200 is never retried.
 *
 * @internal
 * @throws {HTTPError} for any status other than 200 (the body is read, up to 64 KiB).
 * @throws {ContentTypeError} for a 200 that is not `text/event-stream` (the body is cancelled unread).
 * @throws {NetworkError} when `fetch` rejects for any reason other than an abort.
 * @throws the scope's mapped abort reason (the user's `signal.reason`, or a `TimeoutError`).
 */
export async function openEventStream(
  prepared: PreparedRequest,
  options: EventStreamRequestInit,
  scope: RequestScope,
  lastEventId: string,
): Promise<OpenedEventStream> {
  const request = prepared.description;
  const policy = toRetryPolicy(options.retry);
  const headers = new Headers(prepared.headers);
  if (lastEventId !== '') headers.set('last-event-id', lastEventId);

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
      const delay = error instanceof NetworkError && attempt <= policy.limit ? retryDelay(policy, attempt, undefined) : undefined;
      if (delay === undefined) throw error;
      await wait(delay, attempt);
      continue;
    }
    if (scope.signal.aborted) {
      response.body?.cancel().catch(() => undefined);
      throw scope.mapError(scope.signal.reason, request, '', attempt);
    }
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
      const body = await readErrorBody(response);
      if (scope.signal.aborted) throw scope.mapError(scope.signal.reason, request, '', attempt);
      throw new HTTPError(response, request, body, attempt);
    }
    if (!isEventStreamContentType(response.headers.get('content-type')) || response.body === null) {
      response.body?.cancel().catch(() => undefined);
      throw new ContentTypeError(response, request);
    }
    scope.activity();
    return { response, body: response.body, request };
  }
}
