// The chat store's state follows the stream, never its callbacks: a subscriber, `onFinish`,
// `onError`, `onData`, `onToolCall`, `onComment`, `onRetry`, `sendAutomaticallyWhen` or `generateId` that throws
// is reported (reportError, else console.error), and neither rejects `send`, nor changes the
// status, nor stops the other listeners.
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createChatStore, messageText, ServerStreamError, TokenStreamError, type ChatSnapshot, type ChatStoreOptions } from './index.js';
import { jsonPartsProtocol, partEvents } from './test/json-parts-protocol.js';
import { createControlledResponse, createFakeFetch, sseResponse, tokenEvents } from './testing/index.js';

let consoleError: MockInstance<(...args: unknown[]) => void>;
beforeEach(() => {
  // Node 20 has no reportError: errors go to console.error (a test below installs one).
  vi.stubGlobal('reportError', undefined);
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

// Notifications at once (batch: false), so that the tests can count them.
function storeFor(events: string[], options: Partial<ChatStoreOptions> = {}) {
  return createChatStore({ url: '/c', fetch: createFakeFetch(() => sseResponse(events)), batch: false, ...options });
}

function thrower(message: string) {
  const error = new Error(message);
  return {
    error,
    callback: vi.fn(() => {
      throw error;
    }),
  };
}

describe('createChatStore: a subscriber that throws', () => {
  it('does not reject send; the status follows the stream to done with the text; the error is reported', async () => {
    const store = storeFor(tokenEvents(['Hel', 'lo']));
    const bad = thrower('listener bug');
    store.subscribe(bad.callback);
    await expect(store.send('x')).resolves.toBeUndefined();
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'Hello', error: undefined });
    expect(messageText(store.getSnapshot().messages[1]!)).toBe('Hello');
    expect(bad.callback).toHaveBeenCalledTimes(4); // submitted, Hel, Hello, done
    expect(consoleError).toHaveBeenCalledTimes(4);
    expect(consoleError).toHaveBeenCalledWith(bad.error);
  });

  it('does not stop the listeners after it from being notified of every change', async () => {
    const store = storeFor(tokenEvents(['Hel', 'lo']));
    store.subscribe(thrower('first listener bug').callback);
    const snapshots: ChatSnapshot[] = [];
    store.subscribe(() => snapshots.push(store.getSnapshot()));
    await store.send('x');
    expect(snapshots.map((s) => [s.status, s.text])).toEqual([
      ['submitted', ''],
      ['streaming', 'Hel'],
      ['streaming', 'Hello'],
      ['done', 'Hello'],
    ]);
  });

  it('does not make stop() or reset() throw', async () => {
    const server = createControlledResponse();
    const store = createChatStore({ url: '/c', fetch: createFakeFetch(() => server.response), batch: false });
    const done = store.send('x');
    await server.whenDrained(); // the request went out
    store.subscribe(thrower('listener bug').callback);
    expect(() => store.stop()).not.toThrow();
    expect(store.getSnapshot().status).toBe('aborted');
    await expect(done).resolves.toBeUndefined();
    expect(() => store.reset()).not.toThrow();
    expect(store.getSnapshot().status).toBe('idle');
    expect(consoleError).toHaveBeenCalledTimes(2);
  });

  it('is reported with reportError where the platform has it, not console.error', async () => {
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    const store = storeFor(tokenEvents(['ok']));
    const bad = thrower('listener bug');
    store.subscribe(bad.callback);
    await store.send('x');
    expect(store.getSnapshot().status).toBe('done');
    expect(reportError).toHaveBeenCalledWith(bad.error);
    expect(consoleError).not.toHaveBeenCalled();
  });
});

describe('createChatStore: onFinish and onError that throw', () => {
  it('onFinish: send resolves, the reply stays done with its finish information, the error is reported', async () => {
    const bad = thrower('onFinish bug');
    const store = storeFor(tokenEvents(['Hello']), { onFinish: bad.callback });
    await expect(store.send('x')).resolves.toBeUndefined();
    expect(store.getSnapshot()).toMatchObject({
      status: 'done',
      text: 'Hello',
      error: undefined,
      finish: { type: 'finish', finishReason: 'stop' },
    });
    expect(bad.callback).toHaveBeenCalledExactlyOnceWith(store.getSnapshot().messages[1]);
    expect(consoleError).toHaveBeenCalledWith(bad.error);
  });

  it("onError: send resolves, the status is error with the stream's error (not the callback's), which is reported", async () => {
    const bad = thrower('onError bug');
    const store = storeFor(tokenEvents(['Par', 'tial'], 'error'), { onError: bad.callback });
    await expect(store.send('x')).resolves.toBeUndefined();
    const { status, text, error } = store.getSnapshot();
    expect(status).toBe('error');
    expect(text).toBe('Partial');
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(bad.callback).toHaveBeenCalledWith(error, store.getSnapshot().messages[1]);
    expect(consoleError).toHaveBeenCalledWith(bad.error);
  });

  it('onData and onToolCall: the reply goes on to done with its parts, the errors are reported', async () => {
    const data = thrower('onData bug');
    const tool = thrower('onToolCall bug');
    const store = storeFor(
      partEvents([
        { type: 'data-weather', id: 'w', data: { city: 'Paris' } },
        { type: 'tool-call', toolCallId: 'c1', toolName: 'get_time', input: {}, inputText: '{}' },
        { type: 'text-delta', delta: 'ok' },
        { type: 'finish', finishReason: 'stop' },
      ]),
      { protocol: jsonPartsProtocol, onData: data.callback, onToolCall: tool.callback },
    );
    await expect(store.send('x')).resolves.toBeUndefined();
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'ok' });
    expect(store.getSnapshot().messages[1]?.parts).toHaveLength(3);
    expect(consoleError.mock.calls).toEqual([[data.error], [tool.error]]);
  });

  it('sendAutomaticallyWhen: nothing is sent again, the reply stays done, the error is reported', async () => {
    const bad = thrower('predicate bug');
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    const store = createChatStore({ url: '/c', fetch, sendAutomaticallyWhen: bad.callback });
    await store.send('x');
    expect(store.getSnapshot().status).toBe('done');
    expect(fetch.requests).toHaveLength(1);
    expect(consoleError).toHaveBeenCalledWith(bad.error);
  });
});

describe('createChatStore: request callbacks that throw', () => {
  it('onComment: the stream goes on to done, the error is reported', async () => {
    const bad = thrower('onComment bug');
    const store = storeFor([': ping\n\n', ...tokenEvents(['Hel', 'lo'])], { onComment: bad.callback });
    await expect(store.send('x')).resolves.toBeUndefined();
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'Hello' });
    expect(bad.callback).toHaveBeenCalledWith(expect.stringContaining('ping'));
    expect(consoleError).toHaveBeenCalledWith(bad.error);
  });

  it('onRetry: the stream goes on to done, the error is reported', async () => {
    const bad = thrower('onRetry bug');
    const store = storeFor(['retry: 3000\n\n', ...tokenEvents(['ok'])], { onRetry: bad.callback });
    await store.send('x');
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'ok' });
    expect(bad.callback).toHaveBeenCalledWith(3000);
    expect(consoleError).toHaveBeenCalledWith(bad.error);
  });

  it('body: a body that cannot be built fails the send (no request is made), without rejecting it', async () => {
    const bad = thrower('body bug');
    const onError = vi.fn();
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    const store = createChatStore({ url: '/c', fetch, body: bad.callback, onError });
    await expect(store.send('x')).resolves.toBeUndefined();
    expect(store.getSnapshot()).toMatchObject({ status: 'error', error: bad.error });
    expect(onError).toHaveBeenCalledWith(bad.error, store.getSnapshot().messages[1]);
    expect(fetch.requests).toHaveLength(0);
  });

  it('body: what it throws that is not an Error fails the reply with a TokenStreamError of its text, the thrown value as its cause', async () => {
    const onError = vi.fn();
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    const store = createChatStore({
      url: '/c',
      fetch,
      onError,
      body: () => {
        throw 'no body';
      },
    });
    await expect(store.send('x')).resolves.toBeUndefined();
    const { error } = store.getSnapshot();
    expect(error).toBeInstanceOf(TokenStreamError);
    expect(error).toMatchObject({ message: 'no body', cause: 'no body' });
    expect(onError).toHaveBeenCalledWith(error, store.getSnapshot().messages[1]);
    expect(fetch.requests).toHaveLength(0);
  });

  it('body: one that sends again, then throws, fails nothing: its reply was aborted by that send, which goes on to done', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    const onError = vi.fn();
    let second: Promise<void> | undefined;
    const store = createChatStore({
      url: '/c',
      fetch,
      onError,
      body: ({ prompt }) => {
        if (prompt !== 'first') return { prompt };
        second = store.send('second');
        throw new Error('body gave up');
      },
    });
    await store.send('first');
    await second;
    expect(store.getSnapshot().messages.map((m) => [m.role, m.status, messageText(m)])).toEqual([
      ['user', undefined, 'first'],
      ['assistant', 'aborted', ''],
      ['user', undefined, 'second'],
      ['assistant', 'done', 'ok'],
    ]);
    expect(onError).not.toHaveBeenCalled();
    expect(fetch.requests).toHaveLength(1);
  });

  it("protocol: a decoder that cannot be created fails the reply without rejecting send; the store is free for the next one", async () => {
    const bad = thrower('createDecoder bug');
    const onError = vi.fn();
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    const store = createChatStore({ url: '/c', fetch, protocol: { name: 'broken', createDecoder: bad.callback }, onError, whileStreaming: 'queue' });
    await expect(store.send('x')).resolves.toBeUndefined();
    expect(store.getSnapshot()).toMatchObject({ status: 'error', error: bad.error, retry: undefined });
    expect(onError).toHaveBeenCalledWith(bad.error, store.getSnapshot().messages[1]);
    expect(fetch.requests).toHaveLength(0);
    // Nothing is left in flight: a queued send would otherwise wait forever.
    store.setOptions({ url: '/c', fetch, whileStreaming: 'queue' });
    await store.send('y');
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'ok' });
  });
});

describe('createChatStore: a generateId that throws', () => {
  it('adds and sends nothing, resolves send, and reports the error', async () => {
    const bad = thrower('id bug');
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hello'])));
    const store = createChatStore({ url: '/c', fetch, batch: false, generateId: bad.callback });
    const snapshots: ChatSnapshot[] = [];
    store.subscribe(() => snapshots.push(store.getSnapshot()));
    await expect(store.send('x')).resolves.toBeUndefined();
    expect(fetch.requests).toHaveLength(0);
    expect(store.getSnapshot()).toMatchObject({ status: 'idle', messages: [] });
    expect(consoleError).toHaveBeenCalledWith(bad.error);
  });

  it('still aborts the reply in flight (whileStreaming: abort) and tells the listeners', async () => {
    const server = createControlledResponse();
    let ids = 0;
    const generateId = vi.fn(() => {
      if (ids === 2) throw new Error('id bug');
      return `id${++ids}`;
    });
    const store = createChatStore({ url: '/c', fetch: createFakeFetch(() => server.response), batch: false, generateId });
    const first = store.send('one');
    await server.whenDrained(); // the request went out
    const snapshots: ChatSnapshot[] = [];
    store.subscribe(() => snapshots.push(store.getSnapshot()));
    await expect(store.send('two')).resolves.toBeUndefined();
    await expect(first).resolves.toBeUndefined();
    expect(snapshots.at(-1)!.status).toBe('aborted');
    expect(store.getSnapshot().messages.map((m) => [m.id, m.status])).toEqual([
      ['id1', undefined],
      ['id2', 'aborted'],
    ]);
  });

  it('with whileStreaming: queue, resolves the queued send and runs the one queued after it', async () => {
    const responses = [createControlledResponse(), createControlledResponse()];
    let request = 0;
    const fetch = createFakeFetch(() => responses[request++]!.response);
    let ids = 0;
    const generateId = vi.fn(() => {
      ids += 1;
      if (ids === 3) throw new Error('id bug'); // the second send's user message
      return `id${ids}`;
    });
    const store = createChatStore({ url: '/c', fetch, batch: false, generateId, whileStreaming: 'queue' });
    const first = store.send('one');
    const second = store.send('two');
    const third = store.send('three');
    await fetch.waitForRequest(0);
    responses[0]!.write(tokenEvents(['A']));
    responses[0]!.close();
    await expect(first).resolves.toBeUndefined();
    await expect(second).resolves.toBeUndefined();
    await fetch.waitForRequest(1);
    responses[1]!.write(tokenEvents(['C']));
    responses[1]!.close();
    await expect(third).resolves.toBeUndefined();
    expect(store.getSnapshot().messages.map((m) => [messageText(m), m.status])).toEqual([
      ['one', undefined],
      ['A', 'done'],
      ['three', undefined],
      ['C', 'done'],
    ]);
    expect(consoleError).toHaveBeenCalledTimes(1);
  });
});
