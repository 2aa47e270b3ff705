/** One request a {@link FakeFetch} received. */
export interface RecordedRequest {
  /** The method, upper case. */
  readonly method: string;
  /** The URL as the caller gave it (a relative URL stays relative). */
  readonly url: string;
  /** The request headers. */
  readonly headers: Headers;
  /** The body: parsed JSON when it is a JSON string, else the raw `BodyInit` (`undefined` when none). */
  readonly body: unknown;
  /** The request's signal: `signal.aborted` tells whether the caller cancelled it. */
  readonly signal: AbortSignal;
  /**
   * The `Response` handed back to the caller, once it has been (`undefined` before, or when the
   * request failed or was aborted first). After the caller is done, `response.body?.locked === false`
   * tells that it released the body's reader.
   */
  readonly response: Response | undefined;
}

/** Answers one request: a `Response` (or a promise of one); throwing rejects `fetch` (as a network failure does). */
export type FakeFetchHandler = (request: RecordedRequest) => Response | Promise<Response>;

/**
 * What a {@link FakeFetch} answers with: one handler for every request; one `Response` for the
 * first request only; or a script, an array whose entry `k` (a `Response` or a handler) answers request `k`.
 */
export type FakeFetchAnswer = FakeFetchHandler | Response | readonly (Response | FakeFetchHandler)[];

/** A `fetch` test double that records its requests. */
export interface FakeFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Every request received, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Resolves with request `index` (0-based: the first by default) once it has been received: explicit
   * synchronisation, with no polling (so it works under fake timers).
   */
  waitForRequest(index?: number): Promise<RecordedRequest>;
}

interface MutableRequest extends RecordedRequest {
  response: Response | undefined;
}

function parseBody(body: BodyInit | null | undefined): unknown {
  if (typeof body !== 'string') return body ?? undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Errors the body when `signal` aborts, as a real `fetch` does after its response arrived.
 */
function abortableBody(body: ReadableStream<Uint8Array>, signal: AbortSignal): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let aborted = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const onAbort = (): void => {
          aborted = true;
          controller.error(signal.reason);
          reader.cancel(signal.reason).catch(() => undefined);
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      },
      async pull(controller) {
        const result = await reader.read().catch((error: unknown) => {
          if (!aborted) controller.error(error);
          return undefined;
        });
        if (result === undefined || aborted) return;
        if (result.done) controller.close();
        else controller.enqueue(result.value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

function describe(request: RecordedRequest, index: number): string {
  return `request ${index + 1} (${request.method} ${request.url})`;
}

function toHandler(answer: FakeFetchAnswer): (request: RecordedRequest, index: number) => Response | Promise<Response> {
  if (typeof answer === 'function') return answer;
  const script: readonly (Response | FakeFetchHandler)[] = Array.isArray(answer) ? answer : [answer as Response];
  return (request, index) => {
    const entry = script[index];
    if (entry === undefined) {
      throw new Error(
        `createFakeFetch: no answer for ${describe(request, index)}: the script has ${script.length} (give a handler to answer any number of requests)`,
      );
    }
    return typeof entry === 'function' ? entry(request) : entry;
  };
}

/**
 * Creates a `fetch` test double: each call records the request and answers it. Like the real
 * `fetch`, it rejects with `signal.reason` when the signal is (or becomes) aborted before the
 * response, and errors the response body when it aborts after.
 *
 * @param answer - A handler answering every request; or a `Response` answering the first request;
 *   or a script, `[first, second, …]`, whose entries (`Response`s or handlers) answer successive
 *   requests in order. A request beyond the script rejects with an `Error` that says so (the
 *   clients report it as a `NetworkError` whose `cause` is that error). A `Response` can be read
 *   once, so a handler should build a new one per request.
 * @throws (rejects) an `Error` when the answer is a `Response` whose body was already used or locked.
 *
 * @example
 * ```ts
 * const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo'])));
 * const text = await streamTokens('/chat/stream', { body: { prompt: 'hi' }, fetch }).text;
 * expect(fetch.requests[0]?.body).toEqual({ prompt: 'hi' });
 * expect(fetch.requests[0]?.response?.body?.locked).toBe(false); // the reader was released
 * ```
 * @example A script: a 503, then a stream.
 * ```ts
 * const fetch = createFakeFetch([errorResponse(503), sseResponse(tokenEvents(['ok']))]);
 * ```
 */
export function createFakeFetch(answer: FakeFetchAnswer): FakeFetch {
  const requests: MutableRequest[] = [];
  const waiters = new Map<number, ((request: RecordedRequest) => void)[]>();
  const handle = toHandler(answer);
  const fakeFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const signal = init.signal ?? (input instanceof Request ? input.signal : new AbortController().signal);
    const request: MutableRequest = {
      method: (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase(),
      url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      headers: new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined)),
      body: parseBody(init.body),
      signal,
      response: undefined,
    };
    const index = requests.push(request) - 1;
    for (const resolve of waiters.get(index) ?? []) resolve(request);
    waiters.delete(index);
    signal.throwIfAborted();
    let onAbort: (() => void) | undefined;
    const response = await Promise.race([
      (async () => handle(request, index))(),
      new Promise<never>((_, reject) => {
        onAbort = () => reject(signal.reason as Error);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]).finally(() => signal.removeEventListener('abort', onAbort!));
    if (response.bodyUsed || response.body?.locked === true) {
      throw new Error(
        `createFakeFetch: the Response for ${describe(request, index)} was already read; a Response can answer one request: build one per request`,
      );
    }
    request.response =
      response.body === null || NULL_BODY_STATUSES.has(response.status)
        ? response
        : new Response(abortableBody(response.body, signal), {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
          });
    return request.response;
  };
  const waitForRequest = (index = 0): Promise<RecordedRequest> => {
    const request = requests[index];
    if (request !== undefined) return Promise.resolve(request);
    return new Promise((resolve) => waiters.set(index, [...(waiters.get(index) ?? []), resolve]));
  };
  return Object.assign(fakeFetch, { requests, waitForRequest }) as FakeFetch;
}
