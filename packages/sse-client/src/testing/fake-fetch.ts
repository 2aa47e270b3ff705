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
}

/** Answers one request: a `Response` (or a promise of one); throwing rejects `fetch` (as a network failure does). */
export type FakeFetchHandler = (request: RecordedRequest) => Response | Promise<Response>;

/** A `fetch` test double that records its requests. */
export interface FakeFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Every request received, oldest first. */
  readonly requests: readonly RecordedRequest[];
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

/**
 * Creates a `fetch` test double: each call records the request and answers with `handler`'s
 * response. Like the real `fetch`, it rejects with `signal.reason` when the signal is (or becomes)
 * aborted before the response, and errors the response body when it aborts after.
 *
 * @param handler - Answers each request; or one `Response` to answer the first request with.
 *
 * @example
 * ```ts
 * const fetch = createFakeFetch(() => eventStreamResponse(tokenEvents(['Hel', 'lo'])));
 * const text = await streamTokens('/chat/stream', { body: { prompt: 'hi' }, fetch }).text;
 * expect(fetch.requests[0]?.body).toEqual({ prompt: 'hi' });
 * ```
 */
export function createFakeFetch(handler: FakeFetchHandler | Response): FakeFetch {
  const requests: RecordedRequest[] = [];
  const answer: FakeFetchHandler = typeof handler === 'function' ? handler : () => handler;
  const fakeFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const signal = init.signal ?? (input instanceof Request ? input.signal : new AbortController().signal);
    const request: RecordedRequest = {
      method: (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase(),
      url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      headers: new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined)),
      body: parseBody(init.body),
      signal,
    };
    requests.push(request);
    signal.throwIfAborted();
    const response = await Promise.race([
      answer(request),
      new Promise<never>((_, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      }),
    ]);
    if (response.body === null || NULL_BODY_STATUSES.has(response.status)) return response;
    return new Response(abortableBody(response.body, signal), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return Object.assign(fakeFetch, { requests }) as FakeFetch;
}
