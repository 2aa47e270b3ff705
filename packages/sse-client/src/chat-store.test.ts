// The chat store's life cycle: a reply streams into the conversation, ends done, fails with what
// arrived kept, or is stopped with what arrived kept. (Statuses, metrics, requests, concurrency,
// batching and tools have files of their own: chat-store.*.test.ts.)
import { describe, expect, it, vi } from 'vitest';
import {
  createChatStore,
  HTTPError,
  IncompleteStreamError,
  messageText,
  ProtocolError,
  ServerStreamError,
  type FinishPart,
} from './index.js';
import { lastMessage, scriptedServer, track } from './test/chat-harness.js';
import { jsonPartsProtocol, partEvents } from './test/json-parts-protocol.js';
import { createFakeFetch, sseResponse, tokenEvents } from './testing/index.js';

const texts = (store: ReturnType<typeof createChatStore>) => store.getSnapshot().messages.map(messageText);

describe('createChatStore', () => {
  it('starts idle and empty', () => {
    const store = createChatStore({ url: '/chat/stream', fetch: createFakeFetch(() => Response.error()) });
    expect(store.getSnapshot()).toEqual({ status: 'idle', text: '', error: undefined, finish: undefined, messages: [] });
  });

  it('streams a reply: submitted, then the text grows, then done; messages hold the conversation', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo'])));
    const onFinish = vi.fn();
    const store = createChatStore({ url: '/chat/stream', fetch, onFinish, batch: false });
    const snapshots = track(store);
    await store.send('Hi');
    expect(fetch.requests[0]?.body).toEqual({ prompt: 'Hi' });
    expect(snapshots.map((s) => [s.status, s.text])).toEqual([
      ['submitted', ''],
      ['streaming', 'Hel'],
      ['streaming', 'Hello'],
      ['done', 'Hello'],
    ]);
    expect(store.getSnapshot()).toMatchObject({
      status: 'done',
      text: 'Hello',
      error: undefined,
      finish: { type: 'finish', finishReason: 'stop' },
      messages: [
        { id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
        { id: 'm2', role: 'assistant', parts: [{ type: 'text', text: 'Hello' }], status: 'done', finishReason: 'stop' },
      ],
    });
    expect(onFinish).toHaveBeenCalledExactlyOnceWith(store.getSnapshot().messages[1]);
  });

  it('with batch: false, notifies once per network chunk, not once per token', async () => {
    const oneChunk = tokenEvents(['a', 'b', 'c', 'd', 'e']).join('');
    const store = createChatStore({ url: '/c', fetch: createFakeFetch(() => sseResponse([oneChunk])), batch: false });
    const snapshots = track(store);
    await store.send('x');
    // submitted, then the chunk's five tokens and its end together.
    expect(snapshots.map((s) => [s.status, s.text])).toEqual([
      ['submitted', ''],
      ['done', 'abcde'],
    ]);
  });

  it('keeps snapshots immutable: a change makes a new object, no change keeps the same one', async () => {
    const server = scriptedServer();
    const store = createChatStore({ url: '/c', fetch: server.fetch });
    const before = store.getSnapshot();
    expect(store.getSnapshot()).toBe(before);
    const done = store.send('x');
    const submitted = store.getSnapshot();
    expect(submitted).not.toBe(before);
    expect(store.getSnapshot()).toBe(submitted);
    expect(before).toMatchObject({ status: 'idle', messages: [] });
    (await server.response()).write(tokenEvents(['a']).join(''));
    await done;
    expect(submitted.messages[1]).toMatchObject({ status: 'submitted', parts: [] });
  });

  it('puts a mid-stream error in the reply with the partial text kept, and calls onError', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Par', 'tial'], { type: 'error', message: 'model crashed' })));
    const onError = vi.fn();
    const store = createChatStore({ url: '/c', fetch, onError });
    await expect(store.send('x')).resolves.toBeUndefined();
    const { status, text, error, messages } = store.getSnapshot();
    expect(status).toBe('error');
    expect(text).toBe('Partial');
    expect(messages[1]).toMatchObject({ status: 'error', error, parts: [{ type: 'text', text: 'Partial' }] });
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(onError).toHaveBeenCalledExactlyOnceWith(error, messages[1]);
  });

  it("shows the tokens that share a network chunk with a malformed event: text equals the error's text", async () => {
    const chunk = 'data: {"token":"Hello "}\n\ndata: {"token":"world"}\n\ndata: not json\n\n';
    const store = createChatStore({ url: '/c', fetch: createFakeFetch(() => sseResponse([chunk])), batch: false });
    const snapshots = track(store);
    await store.send('x');
    const { status, text, error } = store.getSnapshot();
    expect(status).toBe('error');
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).text).toBe('Hello world');
    expect(text).toBe('Hello world');
    // The tokens were shown (streaming) before the failure, as before an error event.
    expect(snapshots.map((s) => [s.status, s.text])).toEqual([
      ['submitted', ''],
      ['streaming', 'Hello world'],
      ['error', 'Hello world'],
    ]);
  });

  it('reports an HTTP failure and a cut-off stream as errors', async () => {
    const http = createChatStore({
      url: '/c',
      fetch: createFakeFetch(() => new Response('nope', { status: 503, statusText: 'Service Unavailable' })),
    });
    await http.send('x');
    expect(http.getSnapshot()).toMatchObject({ status: 'error', messages: [{}, { status: 'error', parts: [] }] });
    expect(http.getSnapshot().error).toBeInstanceOf(HTTPError);

    const cut = createChatStore({ url: '/c', fetch: createFakeFetch(() => sseResponse(tokenEvents(['a'], 'cut'))) });
    await cut.send('x');
    expect(cut.getSnapshot()).toMatchObject({ status: 'error', text: 'a' });
    expect(cut.getSnapshot().error).toBeInstanceOf(IncompleteStreamError);
  });

  it('stop() aborts the request (the server sees the close), keeps the partial text, and is not an error', async () => {
    const server = scriptedServer();
    const onError = vi.fn();
    const store = createChatStore({ url: '/c', fetch: server.fetch, onError });
    const done = store.send('x');
    const response = await server.response();
    response.write(tokenEvents(['Hal'], 'cut').join(''));
    await response.whenDrained();
    expect(store.getSnapshot().text).toBe('Hal');
    store.stop();
    expect(store.getSnapshot()).toMatchObject({ status: 'aborted', text: 'Hal', error: undefined });
    expect(lastMessage(store)).toMatchObject({ status: 'aborted', parts: [{ type: 'text', text: 'Hal' }] });
    await done;
    expect(server.fetch.requests[0]?.signal.aborted).toBe(true);
    await expect(response.whenCancelled).resolves.toBeDefined();
    expect(store.getSnapshot().status).toBe('aborted');
    expect(onError).not.toHaveBeenCalled();
  });

  it('stop() when nothing is in flight changes nothing', async () => {
    const store = createChatStore({ url: '/c', fetch: createFakeFetch(() => sseResponse(tokenEvents(['a']))) });
    await store.send('x');
    const snapshot = store.getSnapshot();
    store.stop();
    expect(store.getSnapshot()).toBe(snapshot);
  });

  it('a new send aborts the reply in flight, whose late tokens are ignored', async () => {
    const server = scriptedServer();
    const store = createChatStore({ url: '/c', fetch: server.fetch });
    const first = store.send('one');
    const firstResponse = await server.response(0);
    const second = store.send('two');
    expect(server.fetch.requests[0]?.signal.aborted).toBe(true);
    firstResponse.write(tokenEvents(['late']).join(''));
    await first;
    (await server.response(1)).write(tokenEvents(['fresh']).join(''));
    await second;
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'fresh' });
    expect(texts(store)).toEqual(['one', '', 'two', 'fresh']);
    expect(store.getSnapshot().messages.map((m) => m.status)).toEqual([undefined, 'aborted', undefined, 'done']);
  });

  it('reset() aborts and clears the conversation', async () => {
    const server = scriptedServer();
    const store = createChatStore({ url: '/c', fetch: server.fetch });
    const done = store.send('x');
    const response = await server.response();
    store.reset();
    await done;
    expect(store.getSnapshot()).toEqual({ status: 'idle', text: '', error: undefined, finish: undefined, messages: [] });
    expect(response.cancelled).toBe(true);
  });

  it('keeps the finish part as the protocol normalised it: finish reason, raw reason, usage and raw usage', async () => {
    const finish: FinishPart = {
      type: 'finish',
      finishReason: 'length',
      rawFinishReason: 'max_tokens',
      usage: { inputTokens: 12, outputTokens: 100, totalTokens: 112, cachedInputTokens: 4 },
      rawUsage: { input_tokens: 12, output_tokens: 100, cache_read_input_tokens: 4 },
    };
    const onFinish = vi.fn();
    const fetch = createFakeFetch(() => sseResponse(partEvents([{ type: 'text-delta', delta: 'Once upon' }, finish])));
    const store = createChatStore({ url: '/c', fetch, protocol: jsonPartsProtocol, onFinish });
    await store.send('x');
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'Once upon', finish });
    expect(lastMessage(store)).toMatchObject({ finish, finishReason: 'length', usage: finish.usage });
    expect(onFinish).toHaveBeenCalledWith(expect.objectContaining({ finish, finishReason: 'length' }));
  });

  it('a chunk without text still shows the reply streaming: its reasoning and tool input are parts', async () => {
    const server = scriptedServer();
    const store = createChatStore({ url: '/c', fetch: server.fetch, protocol: jsonPartsProtocol, batch: false });
    const snapshots = track(store);
    const done = store.send('x');
    const response = await server.response();
    response.write(partEvents([{ type: 'reasoning-delta', delta: 'thinking' }, { type: 'tool-input-start', toolCallId: 'c', toolName: 't' }]));
    await response.whenDrained();
    response.write(partEvents([{ type: 'text-delta', delta: 'Hi' }, { type: 'finish', finishReason: 'stop' }]));
    await done;
    expect(snapshots.map((s) => [s.status, s.text])).toEqual([
      ['submitted', ''],
      ['streaming', ''],
      ['done', 'Hi'],
    ]);
    expect(lastMessage(store)?.parts).toEqual([
      { type: 'reasoning', text: 'thinking' },
      { type: 'tool', toolCallId: 'c', toolName: 't', state: 'input-streaming', input: undefined },
      { type: 'text', text: 'Hi' },
    ]);
  });

  it('uses the options set last, and unsubscribing stops notifications', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    const store = createChatStore({ url: '/old', fetch });
    store.setOptions({ url: '/new', fetch, headers: { 'x-session': '2' }, batch: false });
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    expect(store.hasListeners()).toBe(true);
    unsubscribe();
    expect(store.hasListeners()).toBe(false);
    await store.send('x');
    expect(fetch.requests[0]).toMatchObject({ url: '/new' });
    expect(fetch.requests[0]?.headers.get('x-session')).toBe('2');
    expect(listener).not.toHaveBeenCalled();
  });

  it('passes no store option to fetch: only the request options', async () => {
    const fetch = vi.fn(createFakeFetch(() => sseResponse(tokenEvents(['ok']))));
    const store = createChatStore({ url: '/c', fetch, batch: 5, whileStreaming: 'queue', onFinish: () => undefined, generateId: () => 'id' });
    await store.send('x');
    const init = fetch.mock.calls[0]?.[1] ?? {};
    expect(Object.keys(init).sort()).toEqual(['body', 'headers', 'method', 'signal']);
  });
});

describe('the core never needs React', () => {
  it('imports and runs with react unavailable', async () => {
    vi.doMock('react', () => {
      throw new Error('the core must not import react');
    });
    vi.resetModules();
    const core = await import('./index.js');
    const store = core.createChatStore({ url: '/c', fetch: createFakeFetch(() => sseResponse(tokenEvents(['a']))) });
    await store.send('x');
    expect(store.getSnapshot().text).toBe('a');
    vi.doUnmock('react');
  });
});
