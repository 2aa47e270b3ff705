// The iterator of a TokenStream (or PartStream): closed early with return(), and driven by hand
// with next() calls made before the previous one settles (which `for await` never does).
import { describe, expect, it } from 'vitest';
import { streamTokens } from './stream-tokens.js';
import { nextTask } from './test/helpers.js';
import { createControlledResponse, createFakeFetch } from './testing/index.js';

describe('closing a stream early (iterator.return())', () => {
  it('rejects the result at once, even while a next() still waits for the network', async () => {
    const server = createControlledResponse();
    const stream = streamTokens('/chat/stream', { fetch: createFakeFetch(() => server.response) });
    const iterator = stream[Symbol.asyncIterator]();
    server.write({ data: '{"token":"Hel"}' });
    expect(await iterator.next()).toEqual({ done: false, value: 'Hel' });
    // A hand-driven iterator may call return() while a next() waits for a chunk that has not come.
    const pending = iterator.next();
    let outcome: unknown;
    stream.text.then(
      () => (outcome = 'resolved'),
      (error: unknown) => (outcome = error),
    );
    const closing = iterator.return!();
    await nextTask();
    // It did not wait for the engine, which cannot close before the pending read ends.
    expect(outcome).toMatchObject({ name: 'AbortError', message: 'The TokenStream was closed before it ended' });
    server.write({ data: '{"token":"lo"}' });
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await closing).toEqual({ done: true, value: undefined });
    expect(server.cancelled).toBe(true);
  });
});

describe('throw() on the iterator (as an async generator has it)', () => {
  it('closes the engine, cancelling the request, and rejects with the error; the result rejects, later calls are done', async () => {
    const server = createControlledResponse();
    const stream = streamTokens('/chat/stream', { fetch: createFakeFetch(() => server.response) });
    const iterator = stream[Symbol.asyncIterator]() as AsyncGenerator<string, void, undefined>;
    server.write({ data: '{"token":"Hel"}' });
    expect(await iterator.next()).toEqual({ done: false, value: 'Hel' });
    const error = new Error('stop');
    await expect(iterator.throw(error)).rejects.toBe(error);
    await expect(stream.text).rejects.toMatchObject({ name: 'AbortError' });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    await server.whenCancelled;
    expect(server.cancelled).toBe(true);
  });
});

describe('next() calls made before the previous one settles', () => {
  it('are served in order: each token once, then done results; the text resolves', async () => {
    const server = createControlledResponse();
    const stream = streamTokens('/chat/stream', { fetch: createFakeFetch(() => server.response) });
    const iterator = stream[Symbol.asyncIterator]();
    const calls = [iterator.next(), iterator.next(), iterator.next(), iterator.next(), iterator.next(), iterator.next()];
    server.write([{ data: '{"token":"a"}' }, { data: '{"token":"b"}' }]);
    await nextTask();
    server.write([{ data: '{"token":"c"}' }, { data: '{"token":"d"}' }]);
    await nextTask();
    server.write('data: [DONE]\n\n');
    server.close();
    expect(await Promise.allSettled(calls)).toStrictEqual([
      ...['a', 'b', 'c', 'd'].map((value) => ({ status: 'fulfilled', value: { done: false, value } })),
      { status: 'fulfilled', value: { done: true, value: undefined } },
      { status: 'fulfilled', value: { done: true, value: undefined } },
    ]);
    await expect(stream.text).resolves.toBe('abcd');
    await expect(iterator.next()).resolves.toStrictEqual({ done: true, value: undefined });
  });

  it('a call made while another waits for the network, after items of a batch were taken one by one', async () => {
    const server = createControlledResponse();
    const stream = streamTokens('/chat/stream', { fetch: createFakeFetch(() => server.response) });
    const iterator = stream[Symbol.asyncIterator]();
    server.write([{ data: '{"token":"a"}' }, { data: '{"token":"b"}' }]);
    expect(await iterator.next()).toStrictEqual({ done: false, value: 'a' });
    expect(await iterator.next()).toStrictEqual({ done: false, value: 'b' });
    const first = iterator.next();
    const second = iterator.next();
    server.write([{ data: '{"token":"c"}' }, { data: '{"token":"d"}' }, 'data: [DONE]\n\n']);
    server.close();
    expect(await first).toStrictEqual({ done: false, value: 'c' });
    expect(await second).toStrictEqual({ done: false, value: 'd' });
    expect(await iterator.next()).toStrictEqual({ done: true, value: undefined });
    await expect(stream.text).resolves.toBe('abcd');
  });
});
