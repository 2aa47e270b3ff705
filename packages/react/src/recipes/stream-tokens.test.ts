import {
  ContentTypeError,
  HTTPError,
  NetworkError,
  openAIChatProtocol,
  streamTokens,
} from '@tokenstream/sse-client';
import {
  createControlledResponse,
  createFakeFetch,
  errorResponse,
  openAIChatEvents,
  sseResponse,
  tokenEvents,
  wrongContentTypeResponse,
  type ChunkingStrategy,
} from '@tokenstream/sse-client/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ask } from './ask.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('ask', () => {
  it('streams the answer, sends the prompt and releases the response', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo'])));
    vi.stubGlobal('fetch', fetch);
    const shown: string[] = [];

    await expect(ask('Hi', (text) => shown.push(text))).resolves.toBe('Hello');

    expect(shown).toEqual(['Hel', 'Hello']);
    expect(fetch.requests[0]).toMatchObject({ method: 'POST', url: '/chat/stream', body: { prompt: 'Hi' } });
    expect(fetch.requests[0]?.response?.body?.locked).toBe(false);
  });

  // The network splits bytes anywhere, even inside a multibyte character.
  it.each<ChunkingStrategy>(['byte', { size: 3 }, { seed: 1 }, { seed: 2 }, { seed: 3 }])(
    'gives the same text under chunking %j',
    async (chunking) => {
      vi.stubGlobal('fetch', createFakeFetch(() => sseResponse(tokenEvents(['Ça', ' va', ' 🌍 ?']), { chunking })));
      await expect(ask('Hi', () => undefined)).resolves.toBe('Ça va 🌍 ?');
    },
  );

  it('keeps the partial text when the connection drops', async () => {
    const events = tokenEvents(['Par', 'tial', ' answer']);
    vi.stubGlobal('fetch', createFakeFetch(() => sseResponse(events, { fault: { type: 'drop', afterEvents: 2 } })));
    const error = await ask('Hi', () => undefined).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).text).toBe('Partial');
  });

  it('reports a failed request with its status and body, and a response that is not a stream', async () => {
    vi.stubGlobal('fetch', createFakeFetch([errorResponse(500, { error: 'boom' }), wrongContentTypeResponse()]));
    const failed = await ask('Hi', () => undefined).catch((caught: unknown) => caught);
    expect(failed).toBeInstanceOf(HTTPError);
    expect(failed).toMatchObject({ status: 500, body: { error: 'boom' } });
    const html = await ask('Hi', () => undefined).catch((caught: unknown) => caught);
    expect(html).toBeInstanceOf(ContentTypeError);
  });

  it('stops when its signal aborts, and closes the connection', async () => {
    const server = createControlledResponse();
    const fetch = createFakeFetch(() => server.response);
    vi.stubGlobal('fetch', fetch);
    const controller = new AbortController();
    const shown: string[] = [];
    const answer = ask('Hi', (text) => shown.push(text), controller.signal);

    server.write(tokenEvents(['Once upon'], 'cut'));
    await server.whenDrained();
    expect(shown).toEqual(['Once upon']);
    controller.abort();

    await expect(answer).rejects.toMatchObject({ name: 'AbortError' });
    expect(fetch.requests[0]?.signal.aborted).toBe(true);
    await server.whenCancelled;
  });
});

// The builders of the other wire formats work the same way.
it('reads an OpenAI-compatible stream', async () => {
  const events = openAIChatEvents(['Hel', 'lo'], { type: 'done', usage: { total_tokens: 7 } });
  const fetch = createFakeFetch(() => sseResponse(events, { chunking: 'byte' }));
  const text = await streamTokens('/v1/chat/completions', { protocol: openAIChatProtocol, fetch }).text;
  expect(text).toBe('Hello');
});
