// Each reply keeps its own status, finish reason, usage and error; the store's status is the
// latest reply's.
import { describe, expect, it } from 'vitest';
import { createChatStore, HTTPError, openAIChatProtocol, ServerStreamError } from './index.js';
import { lastMessage, scriptedServer } from './test/chat-harness.js';
import { createFakeFetch, errorResponse, openAIChatEvents, sseResponse } from './testing/index.js';

describe('a reply’s status', () => {
  it('is submitted until its first part (response headers are not a part), then streaming, then done', async () => {
    const server = scriptedServer();
    const store = createChatStore({ url: '/c', fetch: server.fetch });
    const done = store.send('x');
    expect(lastMessage(store)).toMatchObject({ role: 'assistant', status: 'submitted', parts: [] });
    expect(store.getSnapshot().status).toBe('submitted');
    const response = await server.response();
    response.write(': connected\n\n');
    await response.whenDrained();
    expect(store.getSnapshot().status).toBe('submitted');
    response.write('data: {"token":"Hi"}\n\n');
    await response.whenDrained();
    expect(store.getSnapshot().status).toBe('streaming');
    response.write('data: [DONE]\n\n');
    await done;
    expect(store.getSnapshot().status).toBe('done');
  });

  it('user and system messages have none', async () => {
    const store = createChatStore({ url: '/c', fetch: createFakeFetch(() => sseResponse(['data: [DONE]\n\n'])) });
    await store.send('x');
    expect(store.getSnapshot().messages[0]).toEqual({ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'x' }] });
  });
});

describe('each reply keeps its own outcome after later sends', () => {
  it('error, aborted and done side by side, each with its error, finish reason and usage', async () => {
    const server = scriptedServer();
    const store = createChatStore({ url: '/v1/chat/completions', fetch: server.fetch, protocol: openAIChatProtocol });

    const first = store.send('one');
    (await server.response(0)).write(openAIChatEvents(['Par', 'tial'], { type: 'error', message: 'overloaded' }));
    await first;

    const second = store.send('two');
    const stopped = await server.response(1);
    stopped.write(openAIChatEvents(['Sto'], 'cut'));
    await stopped.whenDrained();
    store.stop();
    await second;

    const third = store.send('three');
    (await server.response(2)).write(
      openAIChatEvents(['Done.'], { type: 'stop', usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } }),
    );
    await third;

    const [, failed, , aborted, , finished] = store.getSnapshot().messages;
    expect(failed).toMatchObject({ status: 'error', parts: [{ type: 'text', text: 'Partial' }], finishReason: undefined });
    expect(failed?.error).toBeInstanceOf(ServerStreamError);
    expect(aborted).toMatchObject({ status: 'aborted', parts: [{ type: 'text', text: 'Sto' }] });
    expect(aborted?.error).toBeUndefined();
    expect(finished).toMatchObject({
      status: 'done',
      finishReason: 'length',
      usage: { inputTokens: 9, outputTokens: 2, totalTokens: 11 },
    });
    expect(finished?.error).toBeUndefined();
    expect(store.getSnapshot()).toMatchObject({ status: 'done', error: undefined, text: 'Done.', finish: finished?.finish });
  });

  it('the store’s status and error are the latest reply’s: an error before is not the chat’s error', async () => {
    let calls = 0;
    const fetch = createFakeFetch(() => (calls++ === 0 ? errorResponse(500) : sseResponse(['data: {"token":"ok"}\n\n', 'data: [DONE]\n\n'])));
    const store = createChatStore({ url: '/c', fetch });
    await store.send('x');
    expect(store.getSnapshot().status).toBe('error');
    expect(store.getSnapshot().error).toBeInstanceOf(HTTPError);
    await store.send('y');
    expect(store.getSnapshot()).toMatchObject({ status: 'done', error: undefined });
    expect(store.getSnapshot().messages[1]?.error).toBeInstanceOf(HTTPError);
  });
});
