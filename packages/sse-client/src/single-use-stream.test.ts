import { describe, expect, it } from 'vitest';
import { streamTokens } from './stream-tokens.js';
import { createControlledResponse, createFakeFetch } from './testing/index.js';

/** One macrotask later: every promise reaction queued so far has run (setTimeout: the file runs in browsers too). */
const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

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
    await turn();
    // It did not wait for the engine, which cannot close before the pending read ends.
    expect(outcome).toMatchObject({ name: 'AbortError', message: 'The TokenStream was closed before it ended' });
    server.write({ data: '{"token":"lo"}' });
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await closing).toEqual({ done: true, value: undefined });
    expect(server.cancelled).toBe(true);
  });
});
