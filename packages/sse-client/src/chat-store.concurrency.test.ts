// A send while a reply is in flight: abort (default), queue or reject; and a send superseded
// before its request went out (Strict Mode's doubled effects) leaves no trace.
import { describe, expect, it, vi } from 'vitest';
import { createChatStore, isTokenStreamError, messageText, type ChatStore } from './index.js';
import { scriptedServer, track } from './test/chat-harness.js';
import { createFakeFetch, sseResponse, tokenEvents } from './testing/index.js';

const conversation = (store: ChatStore) => store.getSnapshot().messages.map((m) => [m.role, messageText(m), m.status]);

describe('a send superseded before its request went out', () => {
  it('two sends in one task (Strict Mode runs an effect twice): one request, one user message', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hello'])));
    const store = createChatStore({ url: '/c', fetch });
    const first = store.send('Hi');
    const second = store.send('Hi');
    await Promise.all([first, second]);
    expect(fetch.requests).toHaveLength(1);
    expect(conversation(store)).toEqual([
      ['user', 'Hi', undefined],
      ['assistant', 'Hello', 'done'],
    ]);
  });

  it('send, stop, send in one task (an effect, its cleanup, the effect again): one request, one user message', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hello'])));
    const store = createChatStore({ url: '/c', fetch });
    const first = store.send('Hi');
    store.stop();
    expect(store.getSnapshot().messages).toEqual([]);
    expect(store.getSnapshot().status).toBe('idle');
    await Promise.all([first, store.send('Hi')]);
    expect(fetch.requests).toHaveLength(1);
    expect(conversation(store)).toEqual([
      ['user', 'Hi', undefined],
      ['assistant', 'Hello', 'done'],
    ]);
  });

  it('listeners batched by frame never see the superseded messages', async () => {
    vi.useFakeTimers();
    try {
      const server = scriptedServer();
      const store = createChatStore({ url: '/c', fetch: server.fetch });
      const snapshots = track(store);
      void store.send('Hi');
      void store.send('Hi');
      await vi.advanceTimersByTimeAsync(16);
      expect(snapshots.map((s) => s.messages.length)).toEqual([2]);
      expect(server.fetch.requests).toHaveLength(1);
      store.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a regenerate superseded in the same task leaves the conversation as it was', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['answer'])));
    const store = createChatStore({ url: '/c', fetch });
    await store.send('Q');
    const before = store.getSnapshot().messages;
    void store.regenerate();
    store.stop();
    expect(store.getSnapshot().messages).toBe(before);
    expect(fetch.requests).toHaveLength(1);
  });
});

describe("whileStreaming: 'abort' (the default)", () => {
  it('aborts the reply in flight (kept, aborted, what arrived kept) and sends', async () => {
    const server = scriptedServer();
    const store = createChatStore({ url: '/c', fetch: server.fetch });
    const first = store.send('one');
    const response = await server.response(0);
    response.write(tokenEvents(['Hal'], 'cut'));
    await response.whenDrained();
    const second = store.send('two');
    expect(response.cancelled || server.fetch.requests[0]!.signal.aborted).toBe(true);
    await first;
    (await server.response(1)).write(tokenEvents(['fresh']));
    await second;
    expect(conversation(store)).toEqual([
      ['user', 'one', undefined],
      ['assistant', 'Hal', 'aborted'],
      ['user', 'two', undefined],
      ['assistant', 'fresh', 'done'],
    ]);
  });

  it('applies to regenerate too', async () => {
    const server = scriptedServer();
    const store = createChatStore({ url: '/c', fetch: server.fetch });
    void store.send('Q');
    const response = await server.response(0);
    response.write(tokenEvents(['Bad an'], 'cut'));
    await response.whenDrained();
    const again = store.regenerate();
    (await server.response(1)).write(tokenEvents(['Good answer']));
    await again;
    expect(server.fetch.requests[0]!.signal.aborted).toBe(true);
    expect(conversation(store)).toEqual([
      ['user', 'Q', undefined],
      ['assistant', 'Good answer', 'done'],
    ]);
  });
});

describe("whileStreaming: 'queue'", () => {
  it('sends once the reply in flight has ended; its messages are added then', async () => {
    const server = scriptedServer();
    const store = createChatStore({ url: '/c', fetch: server.fetch, whileStreaming: 'queue' });
    const first = store.send('one');
    const response = await server.response(0);
    const second = store.send('two');
    const third = store.send('three');
    expect(store.getSnapshot().messages).toHaveLength(2);
    response.write(tokenEvents(['uno']));
    await first;
    const next = await server.response(1);
    expect(server.fetch.requests).toHaveLength(2); // not three: 'three' waits for 'two'
    expect(conversation(store)).toEqual([
      ['user', 'one', undefined],
      ['assistant', 'uno', 'done'],
      ['user', 'two', undefined],
      ['assistant', '', 'submitted'],
    ]);
    next.write(tokenEvents(['dos']));
    await second;
    (await server.response(2)).write(tokenEvents(['tres']));
    await third;
    expect(store.getSnapshot().messages.map(messageText)).toEqual(['one', 'uno', 'two', 'dos', 'three', 'tres']);
  });

  it('a queued send goes after a failed reply too; stop drops the queued sends (they resolve, nothing is sent)', async () => {
    const server = scriptedServer();
    const store = createChatStore({ url: '/c', fetch: server.fetch, whileStreaming: 'queue' });
    void store.send('one');
    const first = await server.response(0);
    const queued = store.send('two');
    first.write(tokenEvents(['x'], 'error'));
    await server.response(1);
    const dropped = store.send('three');
    store.stop();
    await Promise.all([queued, dropped]);
    expect(server.fetch.requests).toHaveLength(2);
    expect(store.getSnapshot().messages.map((m) => m.status)).toEqual([undefined, 'error', undefined, 'aborted']);
  });
});

describe("whileStreaming: 'reject'", () => {
  it('sends nothing and changes nothing; onError gets a TokenStreamError and the reply in flight, which goes on', async () => {
    const server = scriptedServer();
    const onError = vi.fn();
    const store = createChatStore({ url: '/c', fetch: server.fetch, whileStreaming: 'reject', onError });
    const first = store.send('one');
    const response = await server.response(0);
    const before = store.getSnapshot();
    await expect(store.send('two')).resolves.toBeUndefined();
    expect(store.getSnapshot()).toBe(before);
    expect(onError).toHaveBeenCalledOnce();
    const [error, message] = onError.mock.calls[0]!;
    expect(isTokenStreamError(error)).toBe(true);
    expect((error as Error).message).toMatch(/still streaming/);
    expect(message).toBe(before.messages[1]);
    response.write(tokenEvents(['uno']));
    await first;
    expect(server.fetch.requests).toHaveLength(1);
    expect(conversation(store)).toEqual([
      ['user', 'one', undefined],
      ['assistant', 'uno', 'done'],
    ]);
  });

  it('a second send in the same task is rejected too: the first is sent', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hello'])));
    const store = createChatStore({ url: '/c', fetch, whileStreaming: 'reject', onError: () => undefined });
    await Promise.all([store.send('Hi'), store.send('Hi')]);
    expect(fetch.requests).toHaveLength(1);
    expect(store.getSnapshot().messages).toHaveLength(2);
  });
});
