// HTTP retries (the `retry` option) shown in the snapshot: `retry` is set while a failed attempt's
// retry is pending, cleared once a retried attempt streams or the reply ends.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChatStore, HTTPError, NetworkError, type ChatSnapshot, type ChatStoreOptions } from './index.js';
import { track } from './test/chat-harness.js';
import { createControlledResponse, createFakeFetch, errorResponse, sseResponse, tokenEvents } from './testing/index.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A store whose requests are answered in turn by `answers` (the last one repeats), retrying after 100 ms then 200 ms. */
function retryingStore(answers: (() => Response | Promise<Response>)[], options: Partial<ChatStoreOptions> = {}) {
  const fetch = createFakeFetch(() => answers[Math.min(fetch.requests.length - 1, answers.length - 1)]!());
  const store = createChatStore({ url: '/c', fetch, batch: false, retry: { limit: 2, delay: 100, jitter: false }, ...options });
  return { store, fetch, snapshots: track(store) };
}

const busy = () => errorResponse(503, 'busy');
const ok = () => sseResponse(tokenEvents(['ok']));

describe('snapshot.retry: the HTTP retry in progress', () => {
  it('is set during the wait (attempt, delay in ms, the HTTPError), status submitted; cleared when the retried attempt gets its 200', async () => {
    const retried = createControlledResponse();
    const { store, fetch, snapshots } = retryingStore([busy, () => retried.response]);
    const done = store.send('x');
    await vi.advanceTimersByTimeAsync(0);
    const waiting = store.getSnapshot();
    expect(waiting).toMatchObject({ status: 'submitted', retry: { attempt: 1, delay: 100 } });
    expect(waiting.retry?.error).toBeInstanceOf(HTTPError);
    expect(waiting.retry?.error).toMatchObject({ status: 503 });
    expect(snapshots.at(-1)).toBe(waiting); // the listeners were told
    await vi.advanceTimersByTimeAsync(99);
    expect(fetch.requests).toHaveLength(1);
    expect(store.getSnapshot().retry).toBe(waiting.retry);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch.requests).toHaveLength(2);
    // The 200 arrived: no retry in progress, though nothing has streamed yet.
    expect(store.getSnapshot()).toMatchObject({ status: 'submitted', retry: undefined });
    expect(snapshots.at(-1)?.retry).toBeUndefined();
    retried.write(tokenEvents(['ok']));
    await done;
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'ok', retry: undefined });
  });

  it('is replaced at each further retry: a NetworkError (fetch rejected) at the second', async () => {
    const { store } = retryingStore([busy, () => Promise.reject(new TypeError('fetch failed')), ok]);
    const done = store.send('x');
    await vi.advanceTimersByTimeAsync(100);
    const second = store.getSnapshot().retry;
    expect(second).toMatchObject({ attempt: 2, delay: 200 });
    expect(second?.error).toBeInstanceOf(NetworkError);
    expect(store.getSnapshot().status).toBe('submitted');
    await vi.advanceTimersByTimeAsync(200);
    await done;
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'ok', retry: undefined });
  });

  it('is cleared when the retries run out: the reply fails with the last HTTPError', async () => {
    const { store, fetch, snapshots } = retryingStore([busy], { retry: { limit: 1, delay: 100, jitter: false } });
    const done = store.send('x');
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getSnapshot().retry).toMatchObject({ attempt: 1 });
    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(fetch.requests).toHaveLength(2);
    expect(store.getSnapshot()).toMatchObject({ status: 'error', retry: undefined });
    expect(store.getSnapshot().error).toMatchObject({ status: 503, attempts: 2 });
    expect(snapshots.at(-1)).toMatchObject({ status: 'error', retry: undefined });
  });

  it('is cleared by stop during the wait, and no retry is made', async () => {
    const { store, fetch } = retryingStore([busy, ok]);
    const done = store.send('x');
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getSnapshot().retry).toBeDefined();
    store.stop();
    expect(store.getSnapshot()).toMatchObject({ status: 'aborted', retry: undefined });
    await done;
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch.requests).toHaveLength(1);
  });

  it('is cleared when a new send supersedes the reply (whileStreaming: abort), and the old retry never shows again', async () => {
    const { store } = retryingStore([busy, busy, ok]);
    void store.send('one');
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getSnapshot().retry).toBeDefined();
    const second = store.send('two');
    expect(store.getSnapshot()).toMatchObject({ status: 'submitted', retry: undefined });
    await vi.advanceTimersByTimeAsync(0);
    // The second send's own first attempt failed (503): its retry shows.
    expect(store.getSnapshot().retry).toMatchObject({ attempt: 1 });
    await vi.advanceTimersByTimeAsync(100);
    await second;
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'ok', retry: undefined });
  });

  it('stays undefined without the retry option: the first failure ends the reply', async () => {
    const { store, snapshots } = retryingStore([busy], { retry: undefined });
    await store.send('x');
    expect(store.getSnapshot()).toMatchObject({ status: 'error', retry: undefined });
    expect(snapshots.every((snapshot: ChatSnapshot) => snapshot.retry === undefined)).toBe(true);
  });
});

describe('the retry option and its onRetry', () => {
  it('a number of retries works too (the default delays)', async () => {
    const { store } = retryingStore([busy, ok], { retry: 2 });
    const done = store.send('x');
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getSnapshot().retry).toMatchObject({ attempt: 1 });
    await vi.advanceTimersByTimeAsync(1000); // at most the default 1 s delay, jittered
    await done;
    expect(store.getSnapshot()).toMatchObject({ status: 'done', retry: undefined });
  });

  it('retry.onRetry is still called, with the same object, once the snapshot shows it; what it throws is reported', async () => {
    const reported: unknown[] = [];
    vi.stubGlobal('reportError', (error: unknown) => reported.push(error));
    const seen: unknown[] = [];
    const bug = new Error('bug in onRetry');
    const { store } = retryingStore([busy, ok], {
      retry: {
        delay: 100,
        jitter: false,
        onRetry: (info) => {
          seen.push(info, store.getSnapshot().retry);
          throw bug;
        },
      },
    });
    const done = store.send('x');
    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]).toMatchObject({ attempt: 1, delay: 100 });
    expect(reported).toEqual([bug]);
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'ok' });
  });

  it('the store’s onRetry is the SSE retry: field (a reconnection delay), never an HTTP retry', async () => {
    const onRetry = vi.fn();
    const { store } = retryingStore([() => sseResponse(['retry: 3000\n\n', ...tokenEvents(['ok'])])], { onRetry });
    await store.send('x');
    expect(onRetry).toHaveBeenCalledWith(3000);
    expect(store.getSnapshot()).toMatchObject({ status: 'done', retry: undefined });
  });

  it('an invalid retry option still fails the reply with the client’s RangeError', async () => {
    const { store, fetch } = retryingStore([ok], { retry: { limit: -1 } });
    await store.send('x');
    expect(store.getSnapshot().error).toBeInstanceOf(RangeError);
    expect(fetch.requests).toHaveLength(0);
  });
});
