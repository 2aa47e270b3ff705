import {
  ContentTypeError,
  HTTPError,
  isTokenStreamError,
  MAX_ERROR_BODY_BYTES,
  NetworkError,
  type RequestDescription,
} from './errors.js';
import { readEventBatches, type ParseEventStreamOptions } from './parse-event-stream.js';
import type { ServerSentEvent } from './types.js';

/** A JSON value given as a request body: a plain object or an array, sent with `JSON.stringify`. */
export type JsonBody = Record<string, unknown> | readonly unknown[];

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
   * The most one event may take, in UTF-16 code units of decoded text.
   * @defaultValue 16 Mi (16,777,216): see {@link ParserOptions.maxEventSize}
   */
  maxEventSize?: number | undefined;
  /** Called with each valid `retry` field's value, in milliseconds. */
  onRetry?: ParseEventStreamOptions['onRetry'];
  /** Called with each comment's text (keep-alives such as `: ping`). */
  onComment?: ParseEventStreamOptions['onComment'];
}

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

/**
 * Sends the request and checks that the answer is an event stream (rule 22): status 200 and a
 * `text/event-stream` media type.
 *
 * @internal
 * @throws {HTTPError} for any status other than 200 (the body is read, up to 64 KiB).
 * @throws {ContentTypeError} for a 200 that is not `text/event-stream` (the body is cancelled unread).
 * @throws {NetworkError} when `fetch` rejects for any reason other than an abort.
 * @throws `signal.reason` when `signal` aborts.
 */
export async function openEventStream(input: string | URL, init: EventStreamRequestInit): Promise<OpenedEventStream> {
  const {
    method: requestedMethod,
    body,
    signal,
    fetch: customFetch,
    maxEventSize: _maxEventSize,
    onRetry: _onRetry,
    onComment: _onComment,
    headers: headersInit,
    ...rest
  } = init;
  const method = (requestedMethod ?? 'POST').toUpperCase();
  const request: RequestDescription = { method, url: typeof input === 'string' ? input : input.href };
  const headers = new Headers(headersInit);
  if (!headers.has('accept')) headers.set('accept', 'text/event-stream');
  let requestBody: BodyInit | null | undefined;
  if (isJsonBody(body)) {
    requestBody = JSON.stringify(body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  } else {
    requestBody = body;
  }
  const doFetch = customFetch ?? globalThis.fetch;
  signal?.throwIfAborted();

  let response: Response;
  try {
    response = await doFetch(input, {
      ...rest,
      method,
      headers,
      ...(requestBody === undefined ? {} : { body: requestBody }),
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (cause) {
    signal?.throwIfAborted();
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new NetworkError(request, { text: '', cause });
  }
  if (signal?.aborted) {
    response.body?.cancel().catch(() => undefined);
    signal.throwIfAborted();
  }
  if (response.status !== 200) {
    throw new HTTPError(response, request, await readErrorBody(response));
  }
  if (!isEventStreamContentType(response.headers.get('content-type')) || response.body === null) {
    response.body?.cancel().catch(() => undefined);
    throw new ContentTypeError(response, request);
  }
  return { response, body: response.body, request };
}

/**
 * Wraps the errors of reading an opened stream: the user's abort stays `signal.reason`, this
 * library's errors pass through, anything else (a dropped connection) becomes a {@link NetworkError}.
 *
 * @internal
 */
export function toStreamError(error: unknown, request: RequestDescription, text: string, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  if (isTokenStreamError(error)) return error;
  if (error instanceof DOMException && error.name === 'AbortError') return error;
  return new NetworkError(request, { text, cause: error });
}

/**
 * Sends a request (any method; POST by default) and yields the raw {@link ServerSentEvent}s of its
 * response: for event streams that are not token streams (progress events, notifications).
 *
 * The response must have status 200 and `Content-Type: text/event-stream` (rule 22 of
 * `spec/event-stream-parsing.md`); the body is parsed with {@link parseEventStream}. Ending the
 * loop early or aborting `signal` cancels the body, so the server sees the connection close.
 *
 * @throws {HTTPError} for any status other than 200, with the body (JSON or text, up to 64 KiB).
 * @throws {ContentTypeError} for a 200 that is not `text/event-stream`.
 * @throws {NetworkError} when the request fails or the connection drops mid-stream.
 * @throws {EventTooLargeError} when one event grows past `maxEventSize`.
 * @throws `signal.reason` (not wrapped) when `signal` aborts.
 *
 * @example
 * ```ts
 * for await (const event of fetchEventStream('/jobs/42/progress', { method: 'GET' })) {
 *   if (event.type === 'progress') render(JSON.parse(event.data));
 * }
 * ```
 */
export async function* fetchEventStream(
  input: string | URL,
  init: EventStreamRequestInit = {},
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const { body, request } = await openEventStream(input, init);
  const { signal, maxEventSize, onRetry, onComment } = init;
  try {
    for await (const events of readEventBatches(body, { signal, maxEventSize, onRetry, onComment })) {
      yield* events;
    }
  } catch (error) {
    throw toStreamError(error, request, '', signal);
  }
}
