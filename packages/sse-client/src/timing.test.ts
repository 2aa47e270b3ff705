// Retry backoff, Retry-After and the idle timer, under fake timers: exact, and no real waiting.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReconnectLimitError } from './errors.js';
import { HTTPError, NetworkError, streamTokens, TimeoutError } from './index.js';
import { parseRetryAfter, retryDelay, toRetryPolicy } from './retry.js';
import { rejectionOf } from './test/helpers.js';
import { createControlledResponse, createFakeFetch, formatEvent, sseResponse, tokenEvents } from './testing/index.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const busy = (headers: Record<string, string> = {}) => new Response('busy', { status: 503, headers });

describe('retry backoff', () => {
  it('waits delay × backoffFactor^n between attempts (no jitter)', async () => {
    const fetch = createFakeFetch(() => busy());
    const done = rejectionOf(streamTokens('/c', { fetch, retry: { limit: 3, delay: 100, jitter: false } }).text);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(fetch.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(199);
    expect(fetch.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch.requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(400);
    expect(fetch.requests).toHaveLength(4);
    expect(await done).toMatchObject({ status: 503, attempts: 4 });
  });

  it('jitter picks a wait between half the delay and all of it', () => {
    const policy = toRetryPolicy({ delay: 1000, maxDelay: 5000 });
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(retryDelay(policy, 1, undefined)).toBe(500);
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
    expect(retryDelay(policy, 1, undefined)).toBeCloseTo(1000, 2);
    expect(retryDelay(policy, 10, undefined)).toBeLessThanOrEqual(5000);
  });

  it('honours Retry-After in seconds', async () => {
    let calls = 0;
    const fetch = createFakeFetch(() => (calls++ === 0 ? busy({ 'retry-after': '3' }) : sseResponse(tokenEvents(['ok']))));
    const stream = streamTokens('/c', { fetch, retry: { delay: 10, jitter: false } });
    const text = stream.text;
    await vi.advanceTimersByTimeAsync(2999);
    expect(fetch.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(text).resolves.toBe('ok');
    expect(fetch.requests).toHaveLength(2);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('gives up at once when Retry-After asks for longer than maxDelay', async () => {
    const fetch = createFakeFetch(() => busy({ 'retry-after': '120' }));
    const error = await rejectionOf(streamTokens('/c', { fetch, retry: { maxDelay: 60_000 } }).text);
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({ attempts: 1 });
    expect(fetch.requests).toHaveLength(1);
  });

  it('retries network failures', async () => {
    let calls = 0;
    const fetch = createFakeFetch(() =>
      calls++ < 2 ? Promise.reject(new TypeError('fetch failed')) : sseResponse(tokenEvents(['ok'])),
    );
    const text = streamTokens('/c', { fetch, retry: { delay: 10, jitter: false } }).text;
    await vi.advanceTimersByTimeAsync(30);
    await expect(text).resolves.toBe('ok');
    expect(fetch.requests).toHaveLength(3);
  });

  it('reports a network failure that outlasts the retries with the attempt count', async () => {
    const fetch = createFakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    const done = rejectionOf(streamTokens('/c', { fetch, retry: { limit: 1, delay: 10, jitter: false } }).text);
    await vi.advanceTimersByTimeAsync(10);
    const error = await done;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ attempts: 2 });
    expect((error as Error).message).toContain('gave up after 2 attempts');
  });

  it('an abort while waiting to retry ends at once with the AbortError and sends nothing more', async () => {
    const controller = new AbortController();
    const fetch = createFakeFetch(() => busy());
    const done = rejectionOf(streamTokens('/c', { fetch, signal: controller.signal, retry: { delay: 10_000 } }).text);
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    expect(await done).toMatchObject({ name: 'AbortError' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetch.requests).toHaveLength(1);
  });

  it('calls retry.onRetry before each wait with the attempt, the delay waited and the error that caused it', async () => {
    let calls = 0;
    const fetch = createFakeFetch(() =>
      calls++ === 0 ? busy() : calls === 2 ? Promise.reject(new TypeError('fetch failed')) : sseResponse(tokenEvents(['ok'])),
    );
    const retries: { attempt: number; delay: number; error: unknown; requests: number }[] = [];
    const onRetry = (retry: { attempt: number; delay: number; error: unknown }) => retries.push({ ...retry, requests: fetch.requests.length });
    const text = streamTokens('/c', { fetch, retry: { delay: 100, jitter: false, onRetry } }).text;
    await vi.advanceTimersByTimeAsync(0);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 1, delay: 100, requests: 1 });
    expect(retries[0]!.error).toBeInstanceOf(HTTPError);
    expect(retries[0]!.error).toMatchObject({ status: 503, attempts: 1, body: undefined });
    await vi.advanceTimersByTimeAsync(100);
    expect(retries).toHaveLength(2);
    expect(retries[1]).toMatchObject({ attempt: 2, delay: 200, requests: 2 });
    expect(retries[1]!.error).toBeInstanceOf(NetworkError);
    await vi.advanceTimersByTimeAsync(200);
    await expect(text).resolves.toBe('ok');
    expect(retries).toHaveLength(2);
  });

  it('reports what retry.onRetry throws and retries all the same', async () => {
    const reported: unknown[] = [];
    vi.stubGlobal('reportError', (error: unknown) => reported.push(error));
    try {
      let calls = 0;
      const fetch = createFakeFetch(() => (calls++ === 0 ? busy() : sseResponse(tokenEvents(['ok']))));
      const bug = new Error('bug in onRetry');
      const text = streamTokens('/c', { fetch, retry: { delay: 10, jitter: false, onRetry: () => { throw bug; } } }).text;
      await vi.advanceTimersByTimeAsync(10);
      await expect(text).resolves.toBe('ok');
      expect(reported).toEqual([bug]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('rejects a negative retry option with a RangeError', () => {
    expect(() => toRetryPolicy({ limit: -1 })).toThrow(RangeError);
    expect(() => toRetryPolicy({ delay: Number.NaN })).toThrow(RangeError);
  });
});

describe('idle timeout', () => {
  it('comments and keep-alives count as activity', async () => {
    const server = createControlledResponse();
    const stream = streamTokens('/c', { fetch: createFakeFetch(() => server.response), idleTimeout: 1000 });
    const done = rejectionOf(stream.text);
    for (let i = 0; i < 10; i += 1) {
      await vi.advanceTimersByTimeAsync(900);
      server.write(': ping\n\n');
    }
    expect(server.cancelled).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    const error = await done;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'idle', timeout: 1000 });
    expect(server.cancelled).toBe(true);
  });

  it('defaults to 120 seconds', async () => {
    const server = createControlledResponse();
    const done = rejectionOf(streamTokens('/c', { fetch: createFakeFetch(() => server.response) }).text);
    await vi.advanceTimersByTimeAsync(119_999);
    expect(server.cancelled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await done).toMatchObject({ kind: 'idle', timeout: 120_000 });
  });

  it('can be turned off', async () => {
    const server = createControlledResponse();
    const stream = streamTokens('/c', { fetch: createFakeFetch(() => server.response), idleTimeout: false });
    const text = stream.text;
    await vi.advanceTimersByTimeAsync(24 * 60 * 60 * 1000);
    server.write(tokenEvents(['late but fine']).join(''));
    await expect(text).resolves.toBe('late but fine');
  });

  it('rejects an invalid timeout with a RangeError', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    await expect(streamTokens('/c', { fetch, idleTimeout: 0 }).text).rejects.toThrow(RangeError);
    await expect(streamTokens('/c', { fetch, timeout: -5 }).text).rejects.toThrow(RangeError);
  });
});

describe('reconnect delays and bounds', () => {
  /** Every answer: `retry` (when given), one event with the next id, and the end of the body. */
  function oneEventPerConnection(retry?: number) {
    let next = 0;
    return createFakeFetch(() => {
      const id = String(next++);
      return sseResponse([formatEvent({ id, retry, data: JSON.stringify({ token: id }) })]);
    });
  }

  it('a server’s retry: 0 cannot go below minDelay, 500 ms by default', async () => {
    const fetch = oneEventPerConnection(0);
    const done = rejectionOf(streamTokens('/c', { fetch, reconnect: true }).text);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(fetch.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(60_000);
    await done;
  });

  it('ends after 20 reconnections in all by default, however many events came between', async () => {
    const fetch = oneEventPerConnection(0);
    const done = rejectionOf(streamTokens('/c', { fetch, reconnect: true }).text);
    await vi.advanceTimersByTimeAsync(20 * 500);
    const error = await done;
    expect(error).toBeInstanceOf(ReconnectLimitError);
    expect(error).toMatchObject({ reconnects: 20, text: Array.from({ length: 21 }, (_, i) => i).join('') });
    expect(fetch.requests).toHaveLength(21);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetch.requests).toHaveLength(21);
  });

  it('the delay option is not raised to minDelay (it is the caller’s choice)', async () => {
    const fetch = oneEventPerConnection();
    const done = rejectionOf(streamTokens('/c', { fetch, reconnect: { delay: 10, totalLimit: 1 } }).text);
    await vi.advanceTimersByTimeAsync(9);
    expect(fetch.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch.requests).toHaveLength(2);
    expect(await done).toBeInstanceOf(ReconnectLimitError);
  });

  it('a server’s retry above minDelay is honoured', async () => {
    const fetch = oneEventPerConnection(2500);
    const done = rejectionOf(streamTokens('/c', { fetch, reconnect: { totalLimit: 1 } }).text);
    await vi.advanceTimersByTimeAsync(2499);
    expect(fetch.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch.requests).toHaveLength(2);
    await done;
  });
});
