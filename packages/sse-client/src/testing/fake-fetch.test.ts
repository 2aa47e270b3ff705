import { describe, expect, it } from 'vitest';
import { HTTPError, NetworkError, streamTokens } from '../index.js';
import { rejectionOf } from '../test/helpers.js';
import { createControlledResponse, createFakeFetch, errorResponse, sseResponse, tokenEvents } from './index.js';

describe('createFakeFetch: recording', () => {
  it('records the method, URL, headers, parsed JSON body and signal of each request', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    await streamTokens('/chat', { fetch, body: { prompt: 'Hi' }, headers: { authorization: 'Bearer t' } }).text;
    await streamTokens(new URL('https://api.example/v1'), { fetch, method: 'put', body: 'not json' }).text;
    expect(fetch.requests).toHaveLength(2);
    const [first, second] = fetch.requests;
    expect(first).toMatchObject({ method: 'POST', url: '/chat', body: { prompt: 'Hi' } });
    expect(first?.headers.get('authorization')).toBe('Bearer t');
    expect(first?.signal).toBeInstanceOf(AbortSignal);
    expect(second).toMatchObject({ method: 'PUT', url: 'https://api.example/v1', body: 'not json' });
  });

  it('reads a Request given as input', async () => {
    const fetch = createFakeFetch(() => new Response('ok'));
    await fetch(new Request('https://api.example/x', { method: 'DELETE', headers: { 'x-a': '1' } }));
    expect(fetch.requests[0]).toMatchObject({ method: 'DELETE', url: 'https://api.example/x' });
    expect(fetch.requests[0]?.headers.get('x-a')).toBe('1');
  });

  it('records the Response handed back, so a test can check the reader was released', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo'])));
    await expect(streamTokens('/chat', { fetch }).text).resolves.toBe('Hello');
    const request = await fetch.waitForRequest();
    expect(request.response).toBeInstanceOf(Response);
    expect(request.response?.bodyUsed).toBe(true);
    expect(request.response?.body?.locked).toBe(false);
  });

  it('records a Response with a null body as it is', async () => {
    const response = errorResponse(204);
    const fetch = createFakeFetch(response);
    expect(await rejectionOf(streamTokens('/c', { fetch }).text)).toBeInstanceOf(HTTPError);
    expect(fetch.requests[0]?.response).toBe(response);
  });
});

describe('createFakeFetch: answers', () => {
  it('a handler answers every request', async () => {
    let calls = 0;
    const fetch = createFakeFetch(() => sseResponse(tokenEvents([`#${++calls}`])));
    await expect(streamTokens('/c', { fetch }).text).resolves.toBe('#1');
    await expect(streamTokens('/c', { fetch }).text).resolves.toBe('#2');
  });

  it('a script answers successive requests in order, with Responses or handlers', async () => {
    const fetch = createFakeFetch([
      errorResponse(503),
      () => Promise.reject(new TypeError('fetch failed')),
      (request) => sseResponse(tokenEvents([`third ${request.url}`])),
    ]);
    expect(await rejectionOf(streamTokens('/a', { fetch }).text)).toMatchObject({ name: 'HTTPError', status: 503 });
    expect(await rejectionOf(streamTokens('/b', { fetch }).text)).toBeInstanceOf(NetworkError);
    await expect(streamTokens('/c', { fetch }).text).resolves.toBe('third /c');
  });

  it('fails clearly when the script runs out', async () => {
    const fetch = createFakeFetch([sseResponse(tokenEvents(['one']))]);
    await expect(streamTokens('/c', { fetch }).text).resolves.toBe('one');
    const error = await rejectionOf(streamTokens('/c', { fetch }).text);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).cause).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('createFakeFetch: no answer for request 2 (POST /c): the script has 1');
    await expect(fetch('/direct')).rejects.toThrow('no answer for request 3 (GET /direct)');
  });

  it('a single Response answers the first request only', async () => {
    const fetch = createFakeFetch(sseResponse(tokenEvents(['once'])));
    await expect(streamTokens('/c', { fetch }).text).resolves.toBe('once');
    await expect(fetch('/c')).rejects.toThrow('the script has 1');
  });

  it('rejects with a clear message when a handler hands back a Response already read', async () => {
    const shared = sseResponse(tokenEvents(['x']));
    const fetch = createFakeFetch(() => shared);
    await expect(streamTokens('/c', { fetch }).text).resolves.toBe('x');
    await expect(fetch('/c')).rejects.toThrow('was already read; a Response can answer one request');
  });
});

describe('createFakeFetch: aborting like the real fetch', () => {
  it('rejects with the reason when the signal aborts before the response', async () => {
    const fetch = createFakeFetch(() => new Promise<Response>(() => undefined));
    const controller = new AbortController();
    const pending = fetch('/c', { signal: controller.signal });
    const reason = new Error('gone');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(fetch.requests[0]?.response).toBeUndefined();
  });

  it('rejects at once for a signal already aborted, after recording the request', async () => {
    const fetch = createFakeFetch(() => sseResponse([]));
    await expect(fetch('/c', { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(fetch.requests).toHaveLength(1);
  });

  it('errors the body with the reason when the signal aborts after the response, and cancels the source', async () => {
    const server = createControlledResponse();
    const fetch = createFakeFetch(() => server.response);
    const controller = new AbortController();
    const response = await fetch('/c', { signal: controller.signal });
    const reader = response.body!.getReader();
    server.write('data: a\n\n');
    expect((await reader.read()).done).toBe(false);
    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
    await expect(server.whenCancelled).resolves.toMatchObject({ name: 'AbortError' });
  });
});

describe('createFakeFetch: waitForRequest', () => {
  it('resolves with request k once it has arrived, or at once if it has', async () => {
    const fetch = createFakeFetch(() => new Response('ok'));
    const second = fetch.waitForRequest(1);
    const first = fetch.waitForRequest();
    let arrived = false;
    void second.then(() => (arrived = true));
    await fetch('/one');
    expect((await first).url).toBe('/one');
    await Promise.resolve();
    expect(arrived).toBe(false);
    await fetch('/two');
    expect((await second).url).toBe('/two');
    expect((await fetch.waitForRequest(0)).url).toBe('/one');
  });
});
