import { describe, expect, it } from 'vitest';
import { createChatStore, NetworkError, streamTokens } from '../index.js';
import { rejectionOf } from '../test/helpers.js';
import { createControlledResponse, createFakeFetch, tokenEvents } from './index.js';

const decoder = new TextDecoder();

describe('createControlledResponse', () => {
  it('is a 200 text/event-stream response unless told otherwise', () => {
    expect(createControlledResponse().response.headers.get('content-type')).toBe('text/event-stream');
    const custom = createControlledResponse({ status: 201, headers: { 'x-a': '1' } }).response;
    expect(custom.status).toBe(201);
    expect(custom.headers.get('content-type')).toBe('text/event-stream');
  });

  it('writes strings, bytes, event objects, and arrays of them as one chunk', async () => {
    const server = createControlledResponse();
    const reader = server.response.body!.getReader();
    server.write('data: a\n\n');
    server.write(new TextEncoder().encode('data: b\n\n'));
    server.write({ event: 'c', data: 'c' });
    server.write(tokenEvents(['d', 'e'], 'cut'));
    server.write(['data: f', { data: 'g' }]);
    server.close();
    const chunks: string[] = [];
    for (let result = await reader.read(); !result.done; result = await reader.read()) chunks.push(decoder.decode(result.value));
    expect(chunks).toEqual([
      'data: a\n\n',
      'data: b\n\n',
      'event: c\ndata: c\n\n',
      'data: {"token":"d"}\n\ndata: {"token":"e"}\n\n',
      'data: fdata: g\n\n',
    ]);
  });

  it('ignores writes after close, error or a cancel', async () => {
    const server = createControlledResponse();
    const reader = server.response.body!.getReader();
    server.close();
    server.write('data: late\n\n');
    server.error();
    expect(await reader.read()).toEqual({ done: true, value: undefined });
  });

  it('errors the body with TypeError("terminated") by default: a NetworkError with the text so far', async () => {
    const server = createControlledResponse();
    const done = rejectionOf(streamTokens('/c', { fetch: createFakeFetch(() => server.response) }).text);
    server.write(tokenEvents(['Hel'], 'cut'));
    await server.whenDrained();
    server.error();
    const error = await done;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ text: 'Hel', cause: { name: 'TypeError', message: 'terminated' } });
  });

  it('reports a cancel: cancelled and whenCancelled', async () => {
    const server = createControlledResponse();
    expect(server.cancelled).toBe(false);
    await server.response.body!.cancel('bye');
    expect(server.cancelled).toBe(true);
    await expect(server.whenCancelled).resolves.toBe('bye');
  });
});

describe('createControlledResponse: whenDrained', () => {
  it('resolves once the client has handled every chunk written, so a test can assert between two tokens', async () => {
    const server = createControlledResponse();
    const store = createChatStore({ url: '/c', fetch: createFakeFetch(() => server.response) });
    const sent = store.send('Hi');
    server.write({ data: '{"token":"Hel"}' });
    await server.whenDrained();
    expect(store.getSnapshot()).toMatchObject({ status: 'streaming', text: 'Hel' });
    server.write({ data: '{"token":"lo"}' });
    await server.whenDrained();
    expect(store.getSnapshot()).toMatchObject({ status: 'streaming', text: 'Hello' });
    server.write({ data: '[DONE]' });
    await sent;
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'Hello' });
  });

  it('waits while a written chunk is unread, and resolves at once when the reader waits', async () => {
    const server = createControlledResponse();
    const reader = server.response.body!.getReader();
    server.write('data: a\n\n');
    let drained = false;
    const whenDrained = server.whenDrained().then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    await reader.read(); // takes the chunk from the queue
    await Promise.resolve();
    expect(drained).toBe(false);
    const next = reader.read(); // now waits for more
    await whenDrained;
    expect(drained).toBe(true);
    await server.whenDrained(); // at once: still waiting
    server.close();
    expect((await next).done).toBe(true);
  });

  it('resolves after close, error or a cancel', async () => {
    const closed = createControlledResponse();
    const pending = closed.whenDrained();
    closed.write('data: unread\n\n');
    closed.close();
    await pending;
    await closed.whenDrained();
    const errored = createControlledResponse();
    const erroredDrain = errored.whenDrained();
    errored.error();
    await erroredDrain;
    const cancelled = createControlledResponse();
    const cancelledDrain = cancelled.whenDrained();
    cancelled.write('data: x\n\n');
    await cancelled.response.body!.cancel();
    await cancelledDrain;
    expect(cancelled.cancelled).toBe(true);
  });
});
