// What a retry could fix, and what it could not: a request that cannot be built fails at once,
// before anything is sent, with a TypeError that says what is wrong; only network failures and the
// policy's statuses are retried.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchEventStream, NetworkError, streamTokens, type StreamTokensOptions } from './index.js';
import { failOnUnhandledRejections, rejectionOf } from './test/helpers.js';
import { closedServerUrl, startEventStream, useHttpTestServers } from './test/http-test-server.js';
import { createFakeFetch, sseResponse, tokenEvents } from './testing/index.js';

failOnUnhandledRejections();

const startServer = useHttpTestServers();
afterEach(() => {
  vi.restoreAllMocks();
});

const retry = { limit: 2, delay: 1, jitter: false } as const;

/** Runs a call with the global fetch spied on; returns its error and how many times fetch was called. */
async function failureOf(input: string, options: StreamTokensOptions = {}) {
  const spy = vi.spyOn(globalThis, 'fetch');
  const error = await rejectionOf(streamTokens(input, { retry, ...options }).text);
  return { error: error as Error, fetched: spy.mock.calls.length };
}

describe('a request that cannot be built fails at once, with a TypeError, and is never sent', () => {
  it('a relative URL with no base (Node has no location)', async () => {
    const { error, fetched } = await failureOf('/chat/stream?key=secret');
    expect(fetched).toBe(0);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(
      'Invalid URL "/chat/stream?…": relative, with no base URL (no location); pass an absolute URL or a custom fetch',
    );
  });

  it.each(['http://[::1', 'https://exa mple.com/chat', 'http://127.0.0.1:99999/chat', 'http://'])(
    'a URL that cannot be parsed: %s',
    async (url) => {
      const { error, fetched } = await failureOf(url);
      expect(fetched).toBe(0);
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(/^Invalid URL ".*": unparsable$/);
    },
  );

  it('credentials in the URL (fetch refuses them): the message says to use a header, and shows no secret', async () => {
    const { error, fetched } = await failureOf('https://me:hunter2@api.example.com/chat');
    expect(fetched).toBe(0);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(
      'Invalid URL "https://api.example.com/chat": credentials belong in an Authorization header',
    );
  });

  it.each([
    ['a record', { 'x-ok': '1', authorization: 'Bearer sk-secret\u2019' }],
    ['an array', [['x-ok', '1'], ['authorization', 'Bearer sk-secret\n1']] as [string, string][]],
  ])('an invalid header in %s: names the header, never its value', async (_kind, headers) => {
    const { error, fetched } = await failureOf('https://api.example.com/chat', { headers });
    expect(fetched).toBe(0);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('Invalid header "authorization" (a line break or char past U+00FF): POST https://api.example.com/chat');
    expect(error.message).not.toContain('sk-secret');
  });

  it.each(['CONNECT', 'BAD METHOD'])('a method fetch refuses: %s', async (method) => {
    const { error, fetched } = await failureOf('https://api.example.com/chat', { method });
    expect(fetched).toBe(0);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^Invalid request \(.+\): .+ https:\/\/api\.example\.com\/chat$/);
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('a GET with a body', async () => {
    const { error, fetched } = await failureOf('https://api.example.com/chat', { method: 'GET', body: { prompt: 'p' } });
    expect(fetched).toBe(0);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(
      'A GET request cannot have a body: GET https://api.example.com/chat',
    );
  });

  it('fetchEventStream fails the same way', async () => {
    const spy = vi.spyOn(globalThis, 'fetch');
    const iterator = fetchEventStream('/events', { method: 'GET', retry: true })[Symbol.asyncIterator]();
    const error = await rejectionOf(iterator.next());
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/^Invalid URL "\/events": relative, with no base URL /);
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('a custom fetch decides about relative URLs', () => {
  it('passes a relative URL on, as given', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    await expect(streamTokens('/chat?x=1', { fetch }).text).resolves.toBe('ok');
    expect(fetch.requests[0]?.url).toBe('/chat?x=1');
  });

  it('a URL the platform fetch cannot parse (undici: ERR_INVALID_URL) is not retried', async () => {
    const calls: unknown[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      calls.push(input);
      return globalThis.fetch(input, init);
    };
    const error = await rejectionOf(streamTokens('/chat', { fetch, retry }).text);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  it('an error other than a TypeError from a custom fetch is not retried', async () => {
    const fetch = createFakeFetch(() => {
      throw new Error('no route for this request in the test double');
    });
    const error = await rejectionOf(streamTokens('https://api.example.com/chat', { fetch, retry }).text);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ attempts: 1 });
    expect(fetch.requests).toHaveLength(1);
  });
});

describe('what a retry could fix is still retried', () => {
  it('connection refused by a real local port: every attempt is made', async () => {
    const url = await closedServerUrl();
    const error = await rejectionOf(streamTokens(`${url}/chat`, { retry }).text);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ attempts: 3 });
  });

  it('a 503 from a real server, then the answer', async () => {
    const server = await startServer((_request, res, index) => {
      if (index === 0) {
        res.writeHead(503).end();
        return;
      }
      startEventStream(res);
      res.end(tokenEvents(['ok']).join(''));
    });
    await expect(streamTokens(`${server.url}/chat`, { retry }).text).resolves.toBe('ok');
    expect(server.requests).toHaveLength(2);
  });
});
