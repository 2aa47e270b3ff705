// Failed responses from a real HTTP server: never parsed as events, always a typed error.
import { describe, expect, it } from 'vitest';
import { ContentTypeError, HTTPError, NetworkError, streamTokens, TimeoutError } from './index.js';
import { failOnUnhandledRejections, recordingFetch, rejectionOf } from './test/helpers.js';
import { closedServerUrl, startEventStream, useHttpTestServers } from './test/http-test-server.js';
import { tokenEvents } from './testing/index.js';

failOnUnhandledRejections();

const startServer = useHttpTestServers();

async function respondWith(status: number, contentType: string | undefined, body: string) {
  const server = await startServer((_request, res) => {
    res.writeHead(status, contentType === undefined ? {} : { 'content-type': contentType });
    res.end(body);
  });
  const { fetch, responses } = recordingFetch();
  const error = await rejectionOf(streamTokens(`${server.url}/chat/stream`, { fetch, body: { prompt: 'x' } }).text);
  return { error, responses, url: server.url };
}

describe('HTTP errors (status other than 200)', () => {
  it.each([
    { status: 500, contentType: 'application/json', body: '{"error":"boom"}', expected: { error: 'boom' } },
    { status: 422, contentType: 'application/problem+json; charset=utf-8', body: '{"title":"bad"}', expected: { title: 'bad' } },
    { status: 503, contentType: 'text/plain', body: 'try later', expected: 'try later' },
    { status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>', expected: '<h1>Bad Gateway</h1>' },
    { status: 401, contentType: undefined, body: '', expected: '' },
    { status: 500, contentType: 'application/json', body: 'not json', expected: 'not json' },
  ])('$status $contentType → HTTPError with the body read', async ({ status, contentType, body, expected }) => {
    const { error, responses, url } = await respondWith(status, contentType, body);
    expect(error).toBeInstanceOf(HTTPError);
    const httpError = error as HTTPError;
    expect(httpError.status).toBe(status);
    expect(httpError.statusText).not.toBe('');
    expect(httpError.body).toEqual(expected);
    expect(httpError.response).toBe(responses[0]);
    expect(httpError.headers.get('content-type')).toBe(contentType ?? null);
    expect(httpError.attempts).toBe(1);
    expect(httpError.message).toBe(
      `Request failed with status ${status} (${httpError.statusText}): POST ${url}/chat/stream`,
    );
    expect(responses[0]?.body?.locked).toBe(false);
  });

  it('caps a huge error page at 64 KiB and closes the connection', async () => {
    const server = await startServer((_request, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      // Far more than 64 KiB, and never ends on its own.
      const chunk = '<p>'.padEnd(16 * 1024, 'x');
      for (let i = 0; i < 16; i += 1) res.write(chunk);
    });
    const error = await rejectionOf(streamTokens(`${server.url}/chat/stream`).text);
    expect(error).toBeInstanceOf(HTTPError);
    expect(((error as HTTPError).body as string).length).toBe(64 * 1024);
    await server.requests[0]!.clientGone;
  });

  it('treats 204 No Content as a failed request', async () => {
    const { error } = await respondWith(204, undefined, '');
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({ status: 204, body: undefined });
  });
});

describe('an error body that arrives slowly', () => {
  /** A 503 whose body arrives as `chunks` pieces, one every 60 ms; then it ends, or stalls for ever. */
  async function slowErrorBody(chunks: number, then: 'end' | 'stall', contentType = 'text/plain') {
    return startServer((_request, res) => {
      res.writeHead(503, { 'content-type': contentType });
      res.flushHeaders();
      let sent = 0;
      const timer = setInterval(() => {
        if (sent < chunks) {
          res.write(`part ${sent} `);
          sent += 1;
        } else {
          clearInterval(timer);
          if (then === 'end') res.end();
        }
      }, 60);
      res.on('close', () => clearInterval(timer));
    });
  }

  it('each chunk counts as activity: a body that takes longer than idleTimeout in all is read whole', async () => {
    const server = await slowErrorBody(10, 'end');
    const error = await rejectionOf(streamTokens(`${server.url}/chat`, { idleTimeout: 300 }).text);
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({ status: 503, body: Array.from({ length: 10 }, (_, i) => `part ${i} `).join('') });
    expect((error as Error).cause).toBeUndefined();
  });

  it('a body that stalls: still the HTTPError with its status and the part read, the TimeoutError as cause', async () => {
    const server = await slowErrorBody(3, 'stall', 'application/json');
    const error = await rejectionOf(streamTokens(`${server.url}/chat`, { idleTimeout: 300 }).text);
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({ status: 503, body: 'part 0 part 1 part 2 ' });
    expect((error as Error).cause).toBeInstanceOf(TimeoutError);
    expect((error as Error).cause).toMatchObject({ kind: 'idle', timeout: 300 });
    await server.requests[0]!.clientGone;
  });

  it('the overall timeout while the body arrives: the HTTPError too', async () => {
    const server = await slowErrorBody(1000, 'end');
    const error = await rejectionOf(streamTokens(`${server.url}/chat`, { timeout: 400 }).text);
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({ status: 503 });
    expect((error as HTTPError).body).toMatch(/^part 0 part 1 /);
    expect((error as Error).cause).toMatchObject({ name: 'TimeoutError', kind: 'total' });
    await server.requests[0]!.clientGone;
  });

  it('the user’s abort while the body arrives is the abort, not an HTTPError', async () => {
    const server = await slowErrorBody(3, 'stall');
    const controller = new AbortController();
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const response = await globalThis.fetch(input, init);
      setTimeout(() => controller.abort(), 100);
      return response;
    };
    const error = await rejectionOf(streamTokens(`${server.url}/chat`, { fetch, signal: controller.signal }).text);
    expect(error).toBeInstanceOf(DOMException);
    expect(error).toMatchObject({ name: 'AbortError' });
    await server.requests[0]!.clientGone;
  });
});

describe('a 200 that is not an event stream', () => {
  it.each([
    { name: "a proxy's HTML login page", contentType: 'text/html; charset=utf-8', body: '<html>data: {"token":"x"}\n\n</html>' },
    { name: 'a JSON error with status 200', contentType: 'application/json', body: '{"error":"quota"}' },
    { name: 'no Content-Type at all', contentType: undefined, body: 'data: {"token":"x"}\n\n' },
  ])('$name → ContentTypeError, body never parsed', async ({ contentType, body }) => {
    const { error, responses, url } = await respondWith(200, contentType, body);
    expect(error).toBeInstanceOf(ContentTypeError);
    expect(error).toMatchObject({ contentType: contentType ?? null, response: responses[0] });
    expect((error as Error).message).toContain(`POST ${url}/chat/stream`);
    expect(responses[0]?.bodyUsed || responses[0]?.body?.locked === false).toBe(true);
  });

  it('accepts text/event-stream with a charset parameter', async () => {
    const server = await startServer((_request, res) => {
      startEventStream(res, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.end(tokenEvents(['o', 'k']).join(''));
    });
    await expect(streamTokens(`${server.url}/chat/stream`).text).resolves.toBe('ok');
  });
});

describe('connection failures', () => {
  it('connection refused → NetworkError with the cause', async () => {
    const url = await closedServerUrl();
    const error = await rejectionOf(streamTokens(`${url}/chat/stream`).text);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).cause).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ text: '', attempts: 1, request: { method: 'POST', url: `${url}/chat/stream` } });
  });

  it('a DNS failure (as undici reports it) → NetworkError with the cause', async () => {
    const cause = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND api.example.invalid'), { code: 'ENOTFOUND' }),
    });
    const error = await rejectionOf(
      streamTokens('https://api.example.invalid/chat', { fetch: () => Promise.reject(cause) }).text,
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).cause).toBe(cause);
    expect((error as Error).message).toBe('Network error (fetch failed): POST https://api.example.invalid/chat');
  });
});
