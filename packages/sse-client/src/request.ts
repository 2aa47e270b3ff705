import { ContentTypeError, HTTPError, MAX_ERROR_BODY_BYTES, NetworkError, notify, TimeoutError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import type { RequestScope } from './request-scope.js';
import { isRetriableFailure, parseRetryAfter, retryDelay, sleep } from './retry.js';

/** A validated event-stream response (the request it answers is the options' `request`). @internal */
export interface OpenedEventStream {
  readonly response: Response;
  readonly body: ReadableStream<Uint8Array>;
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
  options: ResolvedOptions,
  scope: RequestScope,
  lastEventId: string,
): Promise<OpenedEventStream> {
  const { request, retry: policy, fetch: send } = options;
  const { signal } = scope;
  const headers = new Headers(options.headers);
  if (lastEventId !== '') {
    // The ID encoded as UTF-8, one char per byte, since header values are byte strings (WHATWG HTML
    // § "Server-sent events": "the last event ID string, encoded as UTF-8"). Passing the string as
    // is would send `é` as the Latin-1 byte `E9`, and make `Headers` throw for any char past U+00FF.
    let value = '';
    for (const byte of new TextEncoder().encode(lastEventId)) value += String.fromCharCode(byte);
    headers.set('last-event-id', value);
  }
  const cancel = (response: Response): void => void response.body?.cancel().catch(() => undefined);

  let attempt = 0;
  const fail = (error: unknown): unknown => scope.mapError(error, request, '', attempt);
  for (;;) {
    attempt += 1;
    if (signal.aborted) throw fail(signal.reason);
    scope.activity();
    // What the retry about to be made is for, and the wait before it.
    let error: unknown;
    let delay: number | undefined;
    let response!: Response;
    try {
      response = await send(options.input, { ...options.init, headers, signal });
    } catch (cause) {
      error = fail(cause);
      if (!(error instanceof NetworkError && isRetriableFailure(cause) && attempt <= policy.limit)) throw error;
      delay = retryDelay(policy, attempt, undefined);
    }
    // `error` is a NetworkError when fetch rejected (any other was thrown), else `undefined`.
    if (error === undefined) {
      // An observer: what it throws is reported, and the response is handled as if it had not thrown
      // (a throw here would leave the body open, and be taken for a network failure).
      notify(options.onResponse, response);
      if (signal.aborted) {
        cancel(response);
        throw fail(signal.reason);
      }
      scope.activity();
      const { status, body } = response;
      if (status === 200) {
        // Rule 22: the media type must be text/event-stream (parameters such as charset are ignored).
        if (body && /^\s*text\/event-stream\s*(;|$)/i.test(response.headers.get('content-type') ?? '')) {
          return { response, body };
        }
        cancel(response);
        throw new ContentTypeError({ response, request });
      }
      delay =
        attempt <= policy.limit && policy.statusCodes.includes(status)
          ? retryDelay(policy, attempt, parseRetryAfter(response.headers.get('retry-after')))
          : undefined;
      if (delay === undefined) {
        const errorBody = await readErrorBody(response, scope);
        const reason = signal.aborted ? fail(signal.reason) : undefined;
        // A timeout while the error body arrived: the status is the news, with what was read.
        if (reason === undefined || reason instanceof TimeoutError) {
          throw new HTTPError({ response, request, body: errorBody, attempts: attempt, cause: reason });
        }
        throw reason;
      }
      cancel(response);
      error = new HTTPError({ response, request, attempts: attempt });
    }
    notify(policy.onRetry, { attempt, delay: delay!, error });
    scope.pauseIdle();
    try {
      await sleep(delay!, signal);
    } catch (error) {
      throw fail(error);
    }
  }
}
