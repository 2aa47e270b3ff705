// A body whose reads give promises of another realm, as under jest's environments (the test's code
// runs in a vm context, the platform's streams outside it) or with an iframe's `fetch`: such a
// promise is not an instance of this realm's `Promise`, and must still be awaited as one.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseEventStream, parseEventStreamBatches } from './parse-event-stream.js';
import { streamParts } from './stream-parts.js';
import { streamTokens } from './stream-tokens.js';
import { NetworkError } from './errors.js';
import { sseResponse, tokenEvents } from './testing/index.js';

const ForeignPromise = runInNewContext('Promise') as PromiseConstructor;
const ForeignTypeError = runInNewContext('TypeError') as TypeErrorConstructor;
const ForeignError = runInNewContext('Error') as ErrorConstructor;

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

describe('errors of another realm', () => {
  /** A response of `text`, then `drop` as the read after it (or the end). */
  const sse = (text: string, drop?: Error): Response => {
    let reads = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        reads += 1;
        if (reads === 1) controller.enqueue(new TextEncoder().encode(text));
        else if (drop) controller.error(drop);
        else controller.close();
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  };

  it('a connection dropped with another realm’s TypeError is resumed (reconnect), with Last-Event-ID', async () => {
    const lastEventIds: (string | null)[] = [];
    const fetch = (_input: unknown, init?: RequestInit): Promise<Response> => {
      lastEventIds.push(new Headers(init?.headers).get('last-event-id'));
      return Promise.resolve(
        lastEventIds.length === 1
          ? sse('id: 1\ndata: {"token":"Hel"}\n\n', new ForeignTypeError('terminated'))
          : sse('id: 2\ndata: {"token":"lo"}\n\ndata: [DONE]\n\n'),
      );
    };
    const text = await streamTokens('http://localhost/chat', { fetch, reconnect: { delay: 0, minDelay: 0 } }).text;
    expect(text).toBe('Hello');
    expect(lastEventIds).toEqual([null, '1']);
  });

  it('a NetworkError quotes the message of another realm’s error', async () => {
    const fetch = (): Promise<Response> => Promise.reject(new ForeignTypeError('fetch failed'));
    const error = await streamTokens('http://localhost/chat', { fetch }).text.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toBe('Network error (fetch failed): POST http://localhost/chat');
  });

  it('an AbortError of another realm (or of a fetch polyfill) comes through as is, not as a NetworkError', async () => {
    const abort = Object.assign(new ForeignError('The operation was aborted'), { name: 'AbortError' });
    const fetch = (): Promise<Response> => Promise.reject(abort);
    await expect(streamTokens('http://localhost/chat', { fetch }).text).rejects.toBe(abort);
  });
});
