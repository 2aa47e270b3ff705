import { describe, expect, it, vi } from 'vitest';
import {
  ContentTypeError,
  EventTooLargeError,
  HTTPError,
  IncompleteStreamError,
  isTokenStreamError,
  NetworkError,
  ProtocolError,
  ServerStreamError,
  streamTokens,
} from './index.js';
import {
  createControlledResponse,
  createFakeFetch,
  sseResponse,
  tokenEvents,
} from './testing/index.js';
import { drain, rejectionOf } from './test/helpers.js';

const URL_ = '/chat/stream';

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const tokens: string[] = [];
  for await (const token of iterable) tokens.push(token);
  return tokens;
}

describe('streamTokens: the request', () => {
  it('POSTs a JSON body from an object, asks for an event stream, and passes other RequestInit fields through', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    await streamTokens(URL_, {
      fetch,
      body: { prompt: 'Hello' },
      headers: { authorization: 'Bearer t' },
      credentials: 'include',
    }).text;
    const [request] = fetch.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(URL_);
    expect(request?.body).toEqual({ prompt: 'Hello' });
    expect(request?.headers.get('content-type')).toBe('application/json');
    expect(request?.headers.get('accept')).toBe('text/event-stream');
    expect(request?.headers.get('authorization')).toBe('Bearer t');
  });

  it('passes credentials, mode and other fields to fetch unchanged', async () => {
    const spy = vi.fn(async () => sseResponse(tokenEvents(['ok'])));
    await streamTokens(URL_, { fetch: spy, credentials: 'include', mode: 'cors', cache: 'no-store' }).text;
    expect(spy).toHaveBeenCalledWith(URL_, expect.objectContaining({ credentials: 'include', mode: 'cors', cache: 'no-store' }));
  });

  it('sends any method, and a string body as is without forcing a JSON content type', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    await streamTokens(new URL('https://api.example/stream'), { fetch, method: 'put', body: 'raw text' }).text;
    expect(fetch.requests[0]).toMatchObject({ method: 'PUT', url: 'https://api.example/stream', body: 'raw text' });
    expect(fetch.requests[0]?.headers.get('content-type')).not.toBe('application/json');
  });

  it('does not send anything until the stream is iterated or its text is read', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    const stream = streamTokens(URL_, { fetch });
    await Promise.resolve();
    expect(fetch.requests).toHaveLength(0);
    await stream.text;
    expect(fetch.requests).toHaveLength(1);
  });
});

describe('streamTokens: the default {"token"} wire format', () => {
  it('yields the tokens in order and resolves text with the whole answer', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo', ' wörld 😀'])));
    const stream = streamTokens(URL_, { fetch });
    expect(await collect(stream)).toEqual(['Hel', 'lo', ' wörld 😀']);
    await expect(stream.text).resolves.toBe('Hello wörld 😀');
  });

  it('calls onToken with each token and the text so far', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['a', 'b', 'c'])));
    const onToken = vi.fn();
    await expect(streamTokens(URL_, { fetch, onToken }).text).resolves.toBe('abc');
    expect(onToken.mock.calls).toEqual([
      ['a', 'a'],
      ['b', 'ab'],
      ['c', 'abc'],
    ]);
  });

  it('reads tokens that contain newlines, CRLF framing, keep-alive comments and events split across chunks', async () => {
    const wire = ': ping\r\n\r\ndata: {"token": "line 1\\nline 2"}\r\n\r\ndata: {"token": "!"}\r\n\r\ndata: [DONE]\r\n\r\n';
    const chunks = wire.match(/[\s\S]{1,3}/g) ?? [];
    const fetch = createFakeFetch(() => sseResponse(chunks));
    await expect(streamTokens(URL_, { fetch }).text).resolves.toBe('line 1\nline 2!');
  });

  it('accepts a Content-Type with parameters', async () => {
    const response = sseResponse(tokenEvents(['ok']), {
      headers: { 'content-type': 'Text/Event-Stream; charset=utf-8' },
    });
    await expect(streamTokens(URL_, { fetch: createFakeFetch(response) }).text).resolves.toBe('ok');
  });

  it('stops at [DONE]: nothing after it is delivered, and the connection is closed', async () => {
    const server = createControlledResponse();
    const stream = streamTokens(URL_, { fetch: createFakeFetch(() => server.response) });
    server.write(tokenEvents(['a'], 'done').join('') + tokenEvents(['after'], 'cut').join(''));
    // The server keeps the connection open after [DONE]: the client must not wait for it.
    expect(await collect(stream)).toEqual(['a']);
    expect(server.cancelled).toBe(true);
  });

  it('rejects a mid-stream {"error"} with a ServerStreamError that keeps the text received so far', async () => {
    const events = tokenEvents(['Hel', 'lo'], { error: 'upstream model timed out' });
    const fetch = createFakeFetch(() => sseResponse(events));
    const tokens: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const token of streamTokens(URL_, { fetch })) tokens.push(token);
      })(),
    );
    expect(tokens).toEqual(['Hel', 'lo']);
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(error).toMatchObject({ payload: 'upstream model timed out', text: 'Hello', request: { method: 'POST', url: URL_ } });
    expect((error as Error).message).toBe('Server error event (upstream model timed out): POST /chat/stream');
  });

  it('reads an error object with a message', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents([], { error: { message: 'Overloaded', code: 529 } })));
    const error = await rejectionOf(streamTokens(URL_, { fetch }).text);
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(error).toMatchObject({ payload: { message: 'Overloaded', code: 529 }, text: '' });
  });

  it('rejects a stream that ends without [DONE] with an IncompleteStreamError: a dropped stream is not a success', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo'], 'cut')));
    const error = await rejectionOf(streamTokens(URL_, { fetch }).text);
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error).toMatchObject({ text: 'Hello', request: { method: 'POST', url: URL_ } });
  });

  it('does not deliver a partial last event when the stream ends mid-event', async () => {
    const fetch = createFakeFetch(() => sseResponse([...tokenEvents(['a'], 'cut'), 'data: {"token": "b"}\n']));
    const tokens: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const token of streamTokens(URL_, { fetch })) tokens.push(token);
      })(),
    );
    expect(tokens).toEqual(['a']);
    expect(error).toBeInstanceOf(IncompleteStreamError);
  });

  it('rejects data that is not the expected JSON with a ProtocolError carrying the raw data and the text so far', async () => {
    const fetch = createFakeFetch(() => sseResponse([...tokenEvents(['a'], 'cut'), 'data: <html>\n\n']));
    const error = await rejectionOf(streamTokens(URL_, { fetch }).text);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ data: '<html>', text: 'a', request: { method: 'POST', url: URL_ } });
    expect((error as Error).message).toMatch(/^Malformed token event \(.+\): POST \/chat\/stream$/);
  });

  it('delivers the tokens before a malformed event in the same network chunk, then the ProtocolError: what was shown equals error.text', async () => {
    const chunk = 'data: {"token":"Hello "}\n\ndata: {"token":"world"}\n\ndata: not json\n\n';
    const onToken = vi.fn();
    const stream = streamTokens(URL_, { fetch: createFakeFetch(() => sseResponse([chunk])), onToken });
    const { tokens, error } = await drain(stream);
    expect(tokens).toEqual(['Hello ', 'world']);
    expect(onToken.mock.calls).toEqual([
      ['Hello ', 'Hello '],
      ['world', 'Hello world'],
    ]);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ data: 'not json', text: 'Hello world' });
    await expect(stream.text).rejects.toBe(error);
  });
});

describe('streamTokens: failed responses', () => {
  it('rejects a 500 with an HTTPError carrying the status, headers, response and the parsed JSON body', async () => {
    const response = new Response(JSON.stringify({ error: 'boom' }), {
      status: 500,
      statusText: 'Internal Server Error',
      headers: { 'content-type': 'application/json' },
    });
    const error = await rejectionOf(streamTokens(URL_, { fetch: createFakeFetch(response) }).text);
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({ status: 500, statusText: 'Internal Server Error', body: { error: 'boom' }, response });
    expect((error as HTTPError).headers.get('content-type')).toBe('application/json');
    expect((error as Error).message).toBe('Request failed with status 500 (Internal Server Error): POST /chat/stream');
    expect(isTokenStreamError(error)).toBe(true);
  });

  it('keeps a text body as text, and caps it at 64 KiB', async () => {
    const huge = 'x'.repeat(200 * 1024);
    const response = new Response(huge, { status: 502, headers: { 'content-type': 'text/html' } });
    const error = (await rejectionOf(streamTokens(URL_, { fetch: createFakeFetch(response) }).text)) as HTTPError;
    expect(error.status).toBe(502);
    expect(error.body).toBe('x'.repeat(64 * 1024));
  });

  it('treats 204 No Content as a failed request, not an empty success', async () => {
    const error = await rejectionOf(streamTokens(URL_, { fetch: createFakeFetch(new Response(null, { status: 204 })) }).text);
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({ status: 204 });
  });

  it('rejects a 200 that is not text/event-stream with a ContentTypeError, and never parses it as events', async () => {
    const html = 'data: {"token": "not an event"}\n\n<html>Login</html>';
    const server = createControlledResponse({ headers: { 'content-type': 'text/html' } });
    server.write(html);
    const stream = streamTokens(URL_, { fetch: createFakeFetch(() => server.response) });
    const tokens: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const token of stream) tokens.push(token);
      })(),
    );
    expect(tokens).toEqual([]);
    expect(error).toBeInstanceOf(ContentTypeError);
    expect(error).toMatchObject({ contentType: 'text/html' });
    expect(server.cancelled).toBe(true);
  });

  it('rejects a 200 without a Content-Type with a ContentTypeError', async () => {
    const response = new Response(new ReadableStream(), { status: 200 });
    response.headers.delete('content-type');
    const error = await rejectionOf(streamTokens(URL_, { fetch: createFakeFetch(response) }).text);
    expect(error).toBeInstanceOf(ContentTypeError);
    expect(error).toMatchObject({ contentType: null });
  });

  it('wraps a fetch that rejects (connection refused, DNS) in a NetworkError with the original cause', async () => {
    const cause = new TypeError('fetch failed');
    const error = await rejectionOf(streamTokens(URL_, { fetch: createFakeFetch(() => Promise.reject(cause)) }).text);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ cause, text: '' });
  });

  it('wraps a connection dropped mid-stream in a NetworkError with the partial text and the cause', async () => {
    const server = createControlledResponse();
    const stream = streamTokens(URL_, { fetch: createFakeFetch(() => server.response) });
    const done = rejectionOf(stream.text);
    server.write(tokenEvents(['Hel'], 'cut').join(''));
    await vi.waitFor(() => expect(server.response.bodyUsed).toBe(true));
    const cause = new TypeError('terminated');
    server.error(cause);
    const error = await done;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ text: 'Hel', cause });
  });

  it('cancels the request when one event exceeds maxEventSize', async () => {
    const server = createControlledResponse();
    const stream = streamTokens(URL_, { fetch: createFakeFetch(() => server.response), maxEventSize: 1000 });
    const done = rejectionOf(stream.text);
    for (let i = 0; i < 20; i += 1) server.write(i === 0 ? 'data: ' : 'x'.repeat(100));
    const error = await done;
    expect(error).toBeInstanceOf(EventTooLargeError);
    expect(server.cancelled).toBe(true);
  });
});

describe('streamTokens: cancellation', () => {
  it('rejects with the AbortError before the response arrives, and nothing else', async () => {
    const controller = new AbortController();
    const fetch = createFakeFetch(() => new Promise<Response>(() => undefined));
    const stream = streamTokens(URL_, { fetch, signal: controller.signal });
    const done = rejectionOf(stream.text);
    await vi.waitFor(() => expect(fetch.requests).toHaveLength(1));
    controller.abort();
    const error = await done;
    expect(error).toBeInstanceOf(DOMException);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(fetch.requests[0]?.signal.aborted).toBe(true);
  });

  it('does not send a request when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['a'])));
    const error = await rejectionOf(streamTokens(URL_, { fetch, signal: controller.signal }).text);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(fetch.requests).toHaveLength(0);
  });

  it('rejects with the AbortError mid-stream and cancels the body, so the server sees the close', async () => {
    const controller = new AbortController();
    const server = createControlledResponse();
    const stream = streamTokens(URL_, { fetch: createFakeFetch(() => server.response), signal: controller.signal });
    const tokens: string[] = [];
    const done = rejectionOf(
      (async () => {
        for await (const token of stream) {
          tokens.push(token);
          controller.abort();
        }
      })(),
    );
    server.write(tokenEvents(['first'], 'cut').join(''));
    const error = await done;
    expect(tokens).toEqual(['first']);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(isTokenStreamError(error)).toBe(false);
    await expect(server.whenCancelled).resolves.toBeDefined();
    await expect(stream.text).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('surfaces a custom abort reason unchanged', async () => {
    const controller = new AbortController();
    const reason = new Error('user left');
    const server = createControlledResponse();
    const stream = streamTokens(URL_, { fetch: createFakeFetch(() => server.response), signal: controller.signal });
    const done = rejectionOf(stream.text);
    server.write(tokenEvents(['a'], 'cut').join(''));
    await vi.waitFor(() => expect(server.response.bodyUsed).toBe(true));
    controller.abort(reason);
    expect(await done).toBe(reason);
  });

  it('ignores an abort after completion', async () => {
    const controller = new AbortController();
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['a'])));
    const stream = streamTokens(URL_, { fetch, signal: controller.signal });
    await expect(stream.text).resolves.toBe('a');
    controller.abort();
    await expect(stream.text).resolves.toBe('a');
  });

  it('cancels the request when a for await loop breaks early', async () => {
    const server = createControlledResponse();
    const stream = streamTokens(URL_, { fetch: createFakeFetch(() => server.response) });
    server.write(tokenEvents(['a', 'b', 'c'], 'cut').join(''));
    for await (const token of stream) {
      expect(token).toBe('a');
      break;
    }
    expect(server.cancelled).toBe(true);
    await expect(stream.text).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('can be consumed only once', async () => {
    const stream = streamTokens(URL_, { fetch: createFakeFetch(() => sseResponse(tokenEvents(['a']))) });
    await stream.text;
    expect(() => stream[Symbol.asyncIterator]()).toThrow(TypeError);
  });

  it('an abort from onToken takes effect at once, even for tokens already in the same chunk', async () => {
    const controller = new AbortController();
    const server = createControlledResponse();
    const seen: string[] = [];
    const stream = streamTokens(URL_, {
      fetch: createFakeFetch(() => server.response),
      signal: controller.signal,
      onToken: (token) => {
        seen.push(token);
        controller.abort();
      },
    });
    server.write(tokenEvents(['a', 'b', 'c']).join('')); // three tokens and [DONE] in one chunk
    await expect(stream.text).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual(['a']);
    expect(server.cancelled).toBe(true);
  });

  it('an abort from onComment takes effect at once: no token of its chunk (before or after the comment) is delivered', async () => {
    const controller = new AbortController();
    const reason = new Error('stopped by onComment');
    const server = createControlledResponse();
    const seen: string[] = [];
    const stream = streamTokens(URL_, {
      fetch: createFakeFetch(() => server.response),
      signal: controller.signal,
      onComment: () => controller.abort(reason),
      onToken: (token) => seen.push(token),
    });
    const iterator = stream[Symbol.asyncIterator]();
    server.write(tokenEvents(['a'], 'cut').join(''));
    expect(await iterator.next()).toEqual({ done: false, value: 'a' });
    server.write([...tokenEvents(['b'], 'cut'), ': stop\n', ...tokenEvents(['c'])].join(''));
    await expect(iterator.next()).rejects.toBe(reason);
    await expect(stream.text).rejects.toBe(reason);
    expect(seen).toEqual(['a']);
    expect(server.cancelled).toBe(true);
  });
});

describe('streamTokens with the platform fetch', () => {
  it('calls the global fetch correctly (browsers reject a fetch called as a method of another object)', async () => {
    const wire = tokenEvents(['real ', 'fetch']).join('');
    const url = `data:text/event-stream,${encodeURIComponent(wire)}`;
    await expect(streamTokens(url, { method: 'GET' }).text).resolves.toBe('real fetch');
  });
});
