// fetchEventStream: raw events of any event stream, with the same errors, abort, timeouts and retries.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ContentTypeError,
  fetchEventStream,
  HTTPError,
  NetworkError,
  TimeoutError,
  type ServerSentEvent,
} from './index.js';
import { readAll } from './test/helpers.js';
import { createControlledResponse, createFakeFetch, sseResponse, formatEvent } from './testing/index.js';

afterEach(() => {
  vi.useRealTimers();
});

async function collect(iterable: AsyncIterable<ServerSentEvent>) {
  const { items, error } = await readAll(iterable);
  return { events: items, error };
}

const progress = [
  formatEvent({ event: 'progress', id: '1', data: '{"percent":50}' }),
  ': keep-alive\n\n',
  formatEvent({ event: 'progress', id: '2', data: '{"percent":100}' }),
  formatEvent({ data: 'done' }),
];

describe('fetchEventStream', () => {
  it('yields the raw events, with their type, data and last event ID; a clean end is the end', async () => {
    const fetch = createFakeFetch(() => sseResponse(progress));
    const { events, error } = await collect(fetchEventStream('/jobs/42/progress', { method: 'GET', fetch }));
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: 'progress', data: '{"percent":50}', lastEventId: '1' },
      { type: 'progress', data: '{"percent":100}', lastEventId: '2' },
      { type: 'message', data: 'done', lastEventId: '2' },
    ]);
    expect(fetch.requests[0]).toMatchObject({ method: 'GET', url: '/jobs/42/progress', body: undefined });
    expect(fetch.requests[0]?.headers.get('accept')).toBe('text/event-stream');
  });

  it('POSTs JSON by default and reports comments and retry values', async () => {
    const fetch = createFakeFetch(() => sseResponse([': hello\nretry: 2500\n\n', formatEvent({ data: 'x' })]));
    const comments: string[] = [];
    const retries: number[] = [];
    const { events } = await collect(
      fetchEventStream('/notify', { fetch, body: { topic: 't' }, onComment: (c) => comments.push(c), onRetry: (r) => retries.push(r) }),
    );
    expect(events.map((e) => e.data)).toEqual(['x']);
    expect(fetch.requests[0]).toMatchObject({ method: 'POST', body: { topic: 't' } });
    expect(comments).toEqual(['hello']);
    expect(retries).toEqual([2500]);
  });

  it('throws the same typed errors as streamTokens', async () => {
    const http = await collect(fetchEventStream('/e', { fetch: createFakeFetch(new Response('no', { status: 404 })) }));
    expect(http.error).toBeInstanceOf(HTTPError);

    const html = new Response('<html></html>', { headers: { 'content-type': 'text/html' } });
    const type = await collect(fetchEventStream('/e', { fetch: createFakeFetch(html) }));
    expect(type.error).toBeInstanceOf(ContentTypeError);

    const server = createControlledResponse();
    const dropped = collect(fetchEventStream('/e', { fetch: createFakeFetch(() => server.response) }));
    server.write(formatEvent({ data: 'one' }));
    await vi.waitFor(() => expect(server.response.bodyUsed).toBe(true));
    server.error();
    const { events, error } = await dropped;
    expect(events.map((e) => e.data)).toEqual(['one']);
    expect(error).toBeInstanceOf(NetworkError);
  });

  it('an abort ends it with the AbortError and cancels the body', async () => {
    const controller = new AbortController();
    const server = createControlledResponse();
    const done = collect(fetchEventStream('/e', { fetch: createFakeFetch(() => server.response), signal: controller.signal }));
    server.write(formatEvent({ data: 'one' }));
    await vi.waitFor(() => expect(server.response.bodyUsed).toBe(true));
    controller.abort();
    expect((await done).error).toMatchObject({ name: 'AbortError' });
    expect(server.cancelled).toBe(true);
  });

  it('an abort from the loop body between two events of one chunk: the next next() throws its reason, the later events are not handed over', async () => {
    const controller = new AbortController();
    const server = createControlledResponse();
    const iterator = fetchEventStream('/e', { fetch: createFakeFetch(() => server.response), signal: controller.signal });
    server.write(formatEvent({ data: 'one' }) + formatEvent({ data: 'two' }) + formatEvent({ data: 'three' }));
    expect(await iterator.next()).toEqual({ done: false, value: { type: 'message', data: 'one', lastEventId: '' } });
    controller.abort();
    const reason: unknown = controller.signal.reason;
    await expect(iterator.next()).rejects.toBe(reason);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(server.cancelled).toBe(true);
  });

  it.each([
    ['onComment', ': stop\n'],
    ['onRetry', 'retry: 10\n'],
  ])('an abort from %s: no event of its chunk (before or after it) is delivered; the reason is thrown, the body cancelled', async (callback, line) => {
    const controller = new AbortController();
    const reason = new Error('stopped by an observer');
    const server = createControlledResponse();
    const iterator = fetchEventStream('/e', {
      fetch: createFakeFetch(() => server.response),
      signal: controller.signal,
      [callback]: () => controller.abort(reason),
    });
    server.write(formatEvent({ data: 'one' }));
    expect(await iterator.next()).toEqual({ done: false, value: { type: 'message', data: 'one', lastEventId: '' } });
    server.write(formatEvent({ data: 'two' }) + line + formatEvent({ data: 'three' }));
    await expect(iterator.next()).rejects.toBe(reason);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(server.cancelled).toBe(true);
  });

  it('times out when idle', async () => {
    vi.useFakeTimers();
    const server = createControlledResponse();
    const done = collect(fetchEventStream('/e', { fetch: createFakeFetch(() => server.response), idleTimeout: 5000 }));
    await vi.advanceTimersByTimeAsync(5000);
    const { error } = await done;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'idle', timeout: 5000 });
    expect(server.cancelled).toBe(true);
  });

  it('retries before the body, when asked', async () => {
    let calls = 0;
    const fetch = createFakeFetch(() =>
      calls++ === 0 ? new Response(null, { status: 502 }) : sseResponse([formatEvent({ data: 'ok' })]),
    );
    const { events } = await collect(fetchEventStream('/e', { fetch, retry: { delay: 1, jitter: false } }));
    expect(events.map((e) => e.data)).toEqual(['ok']);
    expect(fetch.requests).toHaveLength(2);
  });

  it('with reconnect, resumes after the body ends, sending Last-Event-ID, like EventSource', async () => {
    const answers = [
      [formatEvent({ id: '1', data: 'a' }), 'retry: 1\n\n'],
      [formatEvent({ id: '2', data: 'b' })],
    ];
    const fetch = createFakeFetch(() => {
      const chunks = answers.shift();
      return chunks ? sseResponse(chunks) : new Response(null, { status: 204 });
    });
    const { events, error } = await collect(fetchEventStream('/e', { method: 'GET', fetch, reconnect: { limit: 5, minDelay: 1 } }));
    expect(events.map((e) => [e.data, e.lastEventId])).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(fetch.requests.map((r) => r.headers.get('last-event-id'))).toEqual([null, '1', '2']);
    // 204 No Content tells the client to stop reconnecting: the stream ends.
    expect(error).toBeUndefined();
  });
});

describe('fetchEventStream: onComment and onRetry are observers', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('reports what they throw and reads on: the stream is not taken for dropped', async () => {
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    const commentError = new TypeError('comment observer failed');
    const retryError = new TypeError('retry observer failed');
    const fetch = createFakeFetch(() => sseResponse([...progress, 'retry: 1000\n\n']));
    const { events, error } = await collect(
      fetchEventStream('/jobs/42/progress', {
        method: 'GET',
        fetch,
        onComment: () => {
          throw commentError;
        },
        onRetry: () => {
          throw retryError;
        },
      }),
    );
    expect(error).toBeUndefined();
    expect(events.map((event) => event.data)).toEqual(['{"percent":50}', '{"percent":100}', 'done']);
    expect(fetch.requests).toHaveLength(1);
    expect(reportError.mock.calls).toEqual([[commentError], [retryError]]);
  });
});
