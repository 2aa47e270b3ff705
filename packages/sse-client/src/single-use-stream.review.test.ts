// Calls to a TokenStream's (or PartStream's) iterator made before the previous one settles: each
// item once, in order, then done results, as an async generator serves them. A hand-driven
// iterator may make such calls (`for await` never does).
import { describe, expect, it } from 'vitest';
import { streamTokens } from './stream-tokens.js';
import { createControlledResponse, createFakeFetch } from './testing/index.js';

/** One macrotask later: every promise reaction queued so far has run (setTimeout: the file runs in browsers too). */
const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('next() calls made before the previous one settles', () => {
  it('are served in order: each token once, then done results; the text resolves', async () => {
    const server = createControlledResponse();
    const stream = streamTokens('/chat/stream', { fetch: createFakeFetch(() => server.response) });
    const iterator = stream[Symbol.asyncIterator]();
    const calls = [iterator.next(), iterator.next(), iterator.next(), iterator.next(), iterator.next(), iterator.next()];
    server.write([{ data: '{"token":"a"}' }, { data: '{"token":"b"}' }]);
    await turn();
    server.write([{ data: '{"token":"c"}' }, { data: '{"token":"d"}' }]);
    await turn();
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
