// Secrets in the URL (userinfo, query, fragment) never reach an error's message, stack, String()
// or `request.url`: every error type, produced by a real local server.
import { describe, expect, it } from 'vitest';
import { ReconnectLimitError } from './errors.js';
import {
  ContentTypeError,
  EventTooLargeError,
  fetchEventStream,
  HTTPError,
  IncompleteStreamError,
  NetworkError,
  ProtocolError,
  ServerStreamError,
  streamTokens,
  TimeoutError,
  type StreamTokensOptions,
} from './index.js';
import { failOnUnhandledRejections, rejectionOf } from './test/helpers.js';
import { closedServerUrl, startEventStream, useHttpTestServers, type TestHandler } from './test/http-test-server.js';
import { formatEvent, tokenEvents } from './testing/index.js';

failOnUnhandledRejections();

const startServer = useHttpTestServers();

const SECRETS = ['alice', 'hunter2', 'sk-live-123', 'frag-token'];

/** `http://127.0.0.1:PORT` → the same origin with a user, a password, a path, a secret query and a fragment. */
function secretUrl(origin: string): string {
  return `${origin.replace('http://', 'http://alice:hunter2@')}/chat/stream?key=sk-live-123&x=1#frag-token`;
}

/**
 * The platform's fetch refuses URLs with credentials; a caller who puts them there has a fetch that
 * moves them (here it drops them), which is how such a URL reaches the error paths at all.
 */
const fetchWithoutCredentials: typeof globalThis.fetch = (input, init) => {
  const url = new URL(String(input));
  url.username = '';
  url.password = '';
  return globalThis.fetch(url, init);
};

function expectNoSecrets(error: unknown, shown: string) {
  expect(error).toBeInstanceOf(Error);
  const { message, stack } = error as Error;
  for (const text of [message, stack ?? '', String(error)]) {
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  }
  expect(message).toContain(shown);
  const request = (error as { request?: { url: string } }).request;
  if (request !== undefined) expect(request.url).toBe(shown.slice(shown.indexOf(' ') + 1));
}

async function errorFrom(handler: TestHandler, options: StreamTokensOptions = {}) {
  const server = await startServer(handler);
  const error = await rejectionOf(
    streamTokens(secretUrl(server.url), { fetch: fetchWithoutCredentials, body: { prompt: 'p' }, ...options }).text,
  );
  return { error, shown: `POST ${server.url}/chat/stream?…` };
}

describe('redacted in every error type: origin and path kept, the query shown as ?…', () => {
  it.each([
    {
      type: HTTPError,
      handler: ((_request, res) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
      }) satisfies TestHandler,
    },
    {
      type: ContentTypeError,
      handler: ((_request, res) => {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
      }) satisfies TestHandler,
    },
    {
      type: ServerStreamError,
      handler: ((_request, res) => {
        startEventStream(res);
        res.end(tokenEvents(['a'], { error: 'boom' }).join(''));
      }) satisfies TestHandler,
    },
    {
      type: IncompleteStreamError,
      handler: ((_request, res) => {
        startEventStream(res);
        res.end(tokenEvents(['a'], 'cut').join(''));
      }) satisfies TestHandler,
    },
    {
      type: ProtocolError,
      handler: ((_request, res) => {
        startEventStream(res);
        res.end('data: <html>\n\n');
      }) satisfies TestHandler,
    },
    {
      type: NetworkError,
      handler: ((_request, res) => {
        startEventStream(res);
        res.write(tokenEvents(['a'], 'cut').join(''), () => res.destroy());
      }) satisfies TestHandler,
    },
  ])('$type.name', async ({ type, handler }) => {
    const { error, shown } = await errorFrom(handler);
    expect(error).toBeInstanceOf(type);
    expectNoSecrets(error, shown);
  });

  it('TimeoutError', async () => {
    const { error, shown } = await errorFrom(() => undefined, { idleTimeout: 50 });
    expect(error).toBeInstanceOf(TimeoutError);
    expectNoSecrets(error, shown);
  });

  it('EventTooLargeError', async () => {
    const { error, shown } = await errorFrom(
      (_request, res) => {
        startEventStream(res);
        res.write(`data: ${'x'.repeat(4096)}`);
      },
      { maxEventSize: 1024 },
    );
    expect(error).toBeInstanceOf(EventTooLargeError);
    expectNoSecrets(error, shown);
  });

  it('ReconnectLimitError', async () => {
    const { error, shown } = await errorFrom(
      (_request, res, index) => {
        startEventStream(res);
        res.end(formatEvent({ id: String(index), data: '{"token":"a"}' }));
      },
      { reconnect: { totalLimit: 1, delay: 1 } },
    );
    expect(error).toBeInstanceOf(ReconnectLimitError);
    expectNoSecrets(error, shown);
  });

  it('HTTPError whose body was cut by a timeout, and its TimeoutError cause', async () => {
    const { error, shown } = await errorFrom(
      (_request, res) => {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.write('partial');
      },
      // Room for the response to arrive on a busy machine: before it, a timeout is a TimeoutError.
      { idleTimeout: 300 },
    );
    expect(error).toBeInstanceOf(HTTPError);
    expectNoSecrets(error, shown);
    expectNoSecrets((error as Error).cause, shown);
  });

  it('NetworkError for a refused connection (GET, from fetchEventStream)', async () => {
    const url = await closedServerUrl();
    const error = await rejectionOf(
      fetchEventStream(secretUrl(url), { method: 'GET', fetch: fetchWithoutCredentials })[Symbol.asyncIterator]().next(),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expectNoSecrets(error, `GET ${url}/chat/stream?…`);
  });

  it('the TypeError for a URL with credentials and the global fetch', async () => {
    const error = await rejectionOf(streamTokens('https://alice:hunter2@api.example.com/v1/chat?key=sk-live-123#frag-token').text);
    expect(error).toBeInstanceOf(TypeError);
    expectNoSecrets(error, '"https://api.example.com/v1/chat?…"');
  });
});

describe('URLs quoted by the platform’s own messages', () => {
  it('a fetch error that quotes the URL (as Deno’s does) is quoted redacted in the NetworkError', async () => {
    const cause = new TypeError(
      'error sending request for url (https://alice:hunter2@api.example.com/chat?key=sk-live-123): client error (Connect)',
    );
    const error = await rejectionOf(
      streamTokens('https://api.example.com/chat?key=sk-live-123', { fetch: () => Promise.reject(cause) }).text,
    );
    expect((error as Error).message).toBe(
      'Network error (error sending request for url (https://api.example.com/chat?…): client error (Connect)): POST https://api.example.com/chat?…',
    );
    expect((error as Error).cause).toBe(cause);
  });
});

describe('URLs without secrets are shown as given', () => {
  it('relative paths stay relative, and an absolute URL without a query is unchanged', async () => {
    const error = await rejectionOf(
      streamTokens('/chat/stream', { fetch: () => Promise.resolve(new Response('no', { status: 404 })) }).text,
    );
    expect(error).toMatchObject({ request: { method: 'POST', url: '/chat/stream' } });
    expect((error as Error).message).toBe('Request failed with status 404: POST /chat/stream');
  });
});
