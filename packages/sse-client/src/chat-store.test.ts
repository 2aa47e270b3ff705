import { describe, expect, it, vi } from 'vitest';
import {
  createChatStore,
  HTTPError,
  IncompleteStreamError,
  ProtocolError,
  ServerStreamError,
  type ChatSnapshot,
  type FinishPart,
} from './index.js';
import {
  createControlledResponse,
  createFakeFetch,
  sseResponse,
  tokenEvents,
  type ResponseController,
} from './testing/index.js';
import { jsonPartsProtocol, partEvents } from './test/json-parts-protocol.js';

/** A fake server whose responses the test writes, one per request. */
function scriptedServer() {
  const responses: ResponseController[] = [];
  const fetch = createFakeFetch(() => {
    const response = createControlledResponse();
    responses.push(response);
    return response.response;
  });
  return { fetch, responses };
}

function track(store: ReturnType<typeof createChatStore>) {
  const snapshots: ChatSnapshot[] = [];
  store.subscribe(() => snapshots.push(store.getSnapshot()));
  return snapshots;
}

describe('createChatStore', () => {
  it('starts idle and empty', () => {
    const store = createChatStore({ url: '/chat/stream', fetch: createFakeFetch(() => Response.error()) });
    expect(store.getSnapshot()).toEqual({ status: 'idle', text: '', error: undefined, finish: undefined, messages: [] });
  });

  it('streams a reply: streaming, then the text grows, then done; messages hold the conversation', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo'])));
    const onFinish = vi.fn();
    const store = createChatStore({ url: '/chat/stream', fetch, onFinish });
    const snapshots = track(store);
    await store.send('Hi');
    expect(fetch.requests[0]?.body).toEqual({ prompt: 'Hi' });
    expect(snapshots[0]).toMatchObject({ status: 'streaming', text: '' });
    expect(snapshots.map((s) => s.text)).toEqual(['', 'Hel', 'Hello', 'Hello']);
    expect(store.getSnapshot()).toMatchObject({
      status: 'done',
      text: 'Hello',
      error: undefined,
      finish: { type: 'finish', finishReason: 'stop' },
      messages: [
        { id: 'm1', role: 'user', content: 'Hi' },
        { id: 'm2', role: 'assistant', content: 'Hello' },
      ],
    });
    expect(onFinish).toHaveBeenCalledWith({ text: 'Hello', finish: { type: 'finish', finishReason: 'stop' } });
  });

  it('notifies once per network chunk, not once per token', async () => {
    const oneChunk = tokenEvents(['a', 'b', 'c', 'd', 'e']).join('');
    const store = createChatStore({ url: '/c', fetch: createFakeFetch(() => sseResponse([oneChunk])) });
    const snapshots = track(store);
    await store.send('x');
    // streaming, then one update for the chunk's five tokens, then done.
    expect(snapshots.map((s) => [s.status, s.text])).toEqual([
      ['streaming', ''],
      ['streaming', 'abcde'],
      ['done', 'abcde'],
    ]);
  });

  it('keeps snapshots immutable: a change makes a new object, no change keeps the same one', async () => {
    const { fetch, responses } = scriptedServer();
    const store = createChatStore({ url: '/c', fetch });
    const before = store.getSnapshot();
    expect(store.getSnapshot()).toBe(before);
    const done = store.send('x');
    const streaming = store.getSnapshot();
    expect(streaming).not.toBe(before);
    expect(before.status).toBe('idle');
    await vi.waitFor(() => expect(responses).toHaveLength(1));
    responses[0]!.write(tokenEvents(['a']).join(''));
    await done;
    expect(streaming.messages[1]?.content).toBe('');
  });

  it('puts a mid-stream error in the snapshot with the partial text kept, and calls onError', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Par', 'tial'], { error: 'model crashed' })));
    const onError = vi.fn();
    const store = createChatStore({ url: '/c', fetch, onError });
    await expect(store.send('x')).resolves.toBeUndefined();
    const { status, text, error, messages } = store.getSnapshot();
    expect(status).toBe('error');
    expect(text).toBe('Partial');
    expect(messages[1]?.content).toBe('Partial');
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(onError).toHaveBeenCalledWith(error);
  });

  it('shows the tokens that share a network chunk with a malformed event: text equals the error\'s text', async () => {
    const chunk = 'data: {"token":"Hello "}\n\ndata: {"token":"world"}\n\ndata: not json\n\n';
    const store = createChatStore({ url: '/c', fetch: createFakeFetch(() => sseResponse([chunk])) });
    const snapshots = track(store);
    await store.send('x');
    const { status, text, error, messages } = store.getSnapshot();
    expect(status).toBe('error');
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).text).toBe('Hello world');
    expect(text).toBe('Hello world');
    expect(messages[1]?.content).toBe('Hello world');
    // The tokens were shown (streaming) before the failure, as before an error event.
    expect(snapshots.map((s) => [s.status, s.text])).toEqual([
      ['streaming', ''],
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
    expect(http.getSnapshot().error).toBeInstanceOf(HTTPError);

    const cut = createChatStore({ url: '/c', fetch: createFakeFetch(() => sseResponse(tokenEvents(['a'], 'cut'))) });
    await cut.send('x');
    expect(cut.getSnapshot()).toMatchObject({ status: 'error', text: 'a' });
    expect(cut.getSnapshot().error).toBeInstanceOf(IncompleteStreamError);
  });

  it('stop() aborts the request (the server sees the close), keeps the partial text, and is not an error', async () => {
    const { fetch, responses } = scriptedServer();
    const onError = vi.fn();
    const store = createChatStore({ url: '/c', fetch, onError });
    const done = store.send('x');
    await vi.waitFor(() => expect(responses).toHaveLength(1));
    responses[0]!.write(tokenEvents(['Hal'], 'cut').join(''));
    await vi.waitFor(() => expect(store.getSnapshot().text).toBe('Hal'));
    store.stop();
    expect(store.getSnapshot()).toMatchObject({ status: 'aborted', text: 'Hal', error: undefined });
    await done;
    expect(fetch.requests[0]?.signal.aborted).toBe(true);
    await expect(responses[0]!.whenCancelled).resolves.toBeDefined();
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
    const { fetch, responses } = scriptedServer();
    const store = createChatStore({ url: '/c', fetch });
    const first = store.send('one');
    await vi.waitFor(() => expect(responses).toHaveLength(1));
    const second = store.send('two');
    expect(fetch.requests[0]?.signal.aborted).toBe(true);
    responses[0]!.write(tokenEvents(['late']).join(''));
    await first;
    await vi.waitFor(() => expect(responses).toHaveLength(2));
    responses[1]!.write(tokenEvents(['fresh']).join(''));
    await second;
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'fresh' });
    expect(store.getSnapshot().messages.map((m) => m.content)).toEqual(['one', '', 'two', 'fresh']);
  });

  it('reset() aborts and clears the conversation', async () => {
    const { fetch, responses } = scriptedServer();
    const store = createChatStore({ url: '/c', fetch });
    const done = store.send('x');
    await vi.waitFor(() => expect(responses).toHaveLength(1));
    store.reset();
    await done;
    expect(store.getSnapshot()).toEqual({ status: 'idle', text: '', error: undefined, finish: undefined, messages: [] });
    expect(responses[0]!.cancelled).toBe(true);
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
    expect(onFinish).toHaveBeenCalledWith({ text: 'Once upon', finish });
  });

  it('shows only the text of a reply with other parts, and a chunk without text changes nothing', async () => {
    const { fetch, responses } = scriptedServer();
    const store = createChatStore({ url: '/c', fetch, protocol: jsonPartsProtocol });
    const snapshots = track(store);
    const done = store.send('x');
    await vi.waitFor(() => expect(responses).toHaveLength(1));
    const server = responses[0]!;
    server.write(partEvents([{ type: 'reasoning-delta', delta: 'thinking' }, { type: 'tool-input-start', toolCallId: 'c', toolName: 't' }]));
    await server.whenDrained();
    server.write(partEvents([{ type: 'text-delta', delta: 'Hi' }, { type: 'finish', finishReason: 'stop' }]));
    await done;
    expect(snapshots.map((s) => [s.status, s.text])).toEqual([
      ['streaming', ''],
      ['streaming', 'Hi'],
      ['done', 'Hi'],
    ]);
  });

  it('builds the request body from the prompt and the history with `body`', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    const store = createChatStore({
      url: '/c',
      fetch,
      body: ({ messages }) => ({ messages: messages.map(({ role, content }) => ({ role, content })) }),
    });
    await store.send('first');
    await store.send('second');
    expect(fetch.requests[1]?.body).toEqual({
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'second' },
      ],
    });
  });

  it('uses the options set last, and unsubscribing stops notifications', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    const store = createChatStore({ url: '/old', fetch });
    store.setOptions({ url: '/new', fetch, headers: { 'x-session': '2' } });
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    unsubscribe();
    await store.send('x');
    expect(fetch.requests[0]).toMatchObject({ url: '/new' });
    expect(fetch.requests[0]?.headers.get('x-session')).toBe('2');
    expect(listener).not.toHaveBeenCalled();
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
