// A body whose reads give promises of another realm, as under jest's environments (the test's code
// runs in a vm context, the platform's streams outside it) or with an iframe's `fetch`: such a
// promise is not an instance of this realm's `Promise`, and must still be awaited as one.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseEventStream, parseEventStreamBatches } from './parse-event-stream.js';
import { streamParts } from './stream-parts.js';
import { streamTokens } from './stream-tokens.js';
import { sseResponse, tokenEvents } from './testing/index.js';

const ForeignPromise = runInNewContext('Promise') as PromiseConstructor;

/** `body` with every read (and cancel) answered by a promise of another realm. */
function foreignBody(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const foreign = <T>(promise: Promise<T>): Promise<T> => new ForeignPromise<T>((resolve, reject) => promise.then(resolve, reject));
  return {
    getReader() {
      const reader = body.getReader();
      return {
        read: () => foreign(reader.read()),
        cancel: (reason?: unknown) => foreign(reader.cancel(reason)),
        releaseLock: () => reader.releaseLock(),
        get closed() {
          return foreign(reader.closed);
        },
      };
    },
    cancel: (reason?: unknown) => foreign(body.cancel(reason)),
  } as unknown as ReadableStream<Uint8Array>;
}

const bytes = (text: string): ReadableStream<Uint8Array> => new Response(text).body!;

describe('a body whose reads give another realm’s promises', () => {
  it('the foreign promise is not an instance of this realm’s Promise (the premise)', () => {
    expect(foreignBody(bytes('')).getReader().read()).not.toBeInstanceOf(Promise);
  });

  it('parseEventStream reads every event', async () => {
    const events = [];
    for await (const event of parseEventStream(foreignBody(bytes('data: a\n\ndata: b\n\n')))) events.push(event.data);
    expect(events).toEqual(['a', 'b']);
  });

  it('parseEventStreamBatches reads every batch', async () => {
    const events = [];
    for await (const batch of parseEventStreamBatches(foreignBody(bytes('data: a\n\ndata: b\n\n')))) events.push(...batch.map((e) => e.data));
    expect(events).toEqual(['a', 'b']);
  });

  it('streamTokens gives every token of a stream of several chunks, and streamParts every part', async () => {
    // A plain fetch (the fake one hands out a response of its own making).
    const fetch = (): Promise<Response> => {
      const response = sseResponse(tokenEvents(['Hel', 'lo', '!']), { chunking: 'byte' });
      return Promise.resolve(Object.defineProperty(response, 'body', { value: foreignBody(response.body!) }));
    };
    await expect(streamTokens('http://localhost/chat', { fetch }).text).resolves.toBe('Hello!');
    const parts = [];
    for await (const part of streamParts('http://localhost/chat', { fetch })) parts.push(part.type);
    expect(parts).toEqual(['text-delta', 'text-delta', 'text-delta', 'finish']);
  });
});
