// Every fault the doubles can script, each through streamTokens, asserting the library's typed error.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ContentTypeError,
  HTTPError,
  IncompleteStreamError,
  NetworkError,
  ServerStreamError,
  streamTokens,
  TimeoutError,
} from '../index.js';
import { rejectionOf } from '../test/helpers.js';
import { createFakeFetch, errorResponse, sseResponse, tokenEvents, wrongContentTypeResponse } from './index.js';

afterEach(() => {
  vi.useRealTimers();
});

const URL_ = '/chat/stream';

describe('an HTTP error status with a body: errorResponse', () => {
  it('gives an HTTPError with the status, its reason phrase and the parsed JSON body', async () => {
    const fetch = createFakeFetch(() => errorResponse(500, { error: 'boom' }));
    const error = await rejectionOf(streamTokens(URL_, { fetch }).text);
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({ status: 500, statusText: 'Internal Server Error', body: { error: 'boom' } });
    expect((error as HTTPError).headers.get('content-type')).toBe('application/json');
  });

  it('sends a string body as text, and extra headers', async () => {
    const fetch = createFakeFetch(() => errorResponse(429, 'slow down', { headers: { 'retry-after': '3' } }));
    const error = (await rejectionOf(streamTokens(URL_, { fetch }).text)) as HTTPError;
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({ status: 429, statusText: 'Too Many Requests', body: 'slow down' });
    expect(error.headers.get('retry-after')).toBe('3');
  });

  it('sends no body without one (and never for 204), and takes a status text', async () => {
    expect(errorResponse(404).body).toBeNull();
    expect(errorResponse(204, { ignored: true }).body).toBeNull();
    expect(errorResponse(418, undefined, { statusText: "I'm a teapot" }).statusText).toBe("I'm a teapot");
    expect(errorResponse(599).statusText).toBe('');
    const error = await rejectionOf(streamTokens(URL_, { fetch: createFakeFetch(() => errorResponse(404)) }).text);
    expect(error).toMatchObject({ status: 404, body: undefined });
  });

  it('lets a content type given in the headers win', async () => {
    const response = errorResponse(400, { detail: 'bad' }, { headers: { 'content-type': 'application/problem+json' } });
    const error = await rejectionOf(streamTokens(URL_, { fetch: createFakeFetch(response) }).text);
    expect(error).toMatchObject({ status: 400, body: { detail: 'bad' } });
  });
});

describe('a wrong content type: wrongContentTypeResponse', () => {
  it('gives a ContentTypeError with the HTML content type, and no tokens from its data: line', async () => {
    const onToken = vi.fn();
    const fetch = createFakeFetch(() => wrongContentTypeResponse());
    const error = await rejectionOf(streamTokens(URL_, { fetch, onToken }).text);
    expect(error).toBeInstanceOf(ContentTypeError);
    expect(error).toMatchObject({ contentType: 'text/html; charset=utf-8' });
    expect(onToken).not.toHaveBeenCalled();
  });

  it('takes another content type, a body and a status, or sends no content type at all', async () => {
    const json = wrongContentTypeResponse({ contentType: 'application/json', body: '{"answer":"Hi"}', status: 200 });
    expect(await json.clone().text()).toBe('{"answer":"Hi"}');
    expect(await rejectionOf(streamTokens(URL_, { fetch: createFakeFetch(json) }).text)).toMatchObject({
      contentType: 'application/json',
    });
    const none = wrongContentTypeResponse({ contentType: null });
    expect(none.headers.get('content-type')).toBeNull();
    const error = await rejectionOf(streamTokens(URL_, { fetch: createFakeFetch(none) }).text);
    expect(error).toBeInstanceOf(ContentTypeError);
    expect(error).toMatchObject({ contentType: null });
  });
});

describe('a mid-stream error event', () => {
  it('gives a ServerStreamError with the text before it', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Par', 'tial'], { type: 'error', message: 'model crashed' })));
    const error = await rejectionOf(streamTokens(URL_, { fetch }).text);
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(error).toMatchObject({ text: 'Partial', payload: 'model crashed' });
  });
});

describe("a connection drop: fault { type: 'drop' }", () => {
  it('errors the body with TypeError("terminated") after N events: a NetworkError with the text so far', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo', '!']), { fault: { type: 'drop', afterEvents: 2 } }));
    const tokens: string[] = [];
    const error = await rejectionOf(streamTokens(URL_, { fetch, onToken: (token) => tokens.push(token) }).text);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ text: 'Hello' });
    expect((error as NetworkError).cause).toBeInstanceOf(TypeError);
    expect((error as NetworkError).cause).toMatchObject({ message: 'terminated' });
    expect(tokens).toEqual(['Hel', 'lo']);
  });

  it('drops after all the events by default, with a given error, under any chunking', async () => {
    const cause = new TypeError('socket hang up');
    const fetch = createFakeFetch(() =>
      sseResponse(tokenEvents(['Hé', 'llo'], 'cut'), { chunking: 'byte', fault: { type: 'drop', error: cause } }),
    );
    const error = await rejectionOf(streamTokens(URL_, { fetch }).text);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ text: 'Héllo', cause });
  });

  it('can drop before the first event', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['a']), { fault: { type: 'drop', afterEvents: 0 } }));
    expect(await rejectionOf(streamTokens(URL_, { fetch }).text)).toMatchObject({ name: 'NetworkError', text: '' });
  });

  it('rejects a bad afterEvents', () => {
    expect(() => sseResponse([], { fault: { type: 'drop', afterEvents: -1 } })).toThrow(RangeError);
    expect(() => sseResponse([], { fault: { type: 'stall', afterEvents: 1.5 } })).toThrow(RangeError);
  });
});

describe("a stall: fault { type: 'stall' }", () => {
  it("never closes: the client's idleTimeout gives a TimeoutError with the text so far, and cancels the body", async () => {
    vi.useFakeTimers();
    const onCancel = vi.fn();
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo']), { fault: { type: 'stall', afterEvents: 1 }, onCancel }));
    const done = rejectionOf(streamTokens(URL_, { fetch, idleTimeout: 5000 }).text);
    await vi.advanceTimersByTimeAsync(4999);
    expect(onCancel).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    const error = await done;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'idle', timeout: 5000, text: 'Hel' });
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('waits for ever after delayed chunks, until an AbortSignal stops it', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const onCancel = vi.fn();
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['a', 'b'], 'cut'), { delay: 10, fault: { type: 'stall' }, onCancel }));
    const tokens: string[] = [];
    const done = rejectionOf(
      streamTokens(URL_, { fetch, signal: controller.signal, idleTimeout: false, onToken: (token) => tokens.push(token) }).text,
    );
    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    expect(tokens).toEqual(['a', 'b']);
    expect(onCancel).not.toHaveBeenCalled();
    controller.abort();
    expect(await done).toMatchObject({ name: 'AbortError' });
    expect(fetch.requests[0]?.signal.aborted).toBe(true);
    expect(onCancel).toHaveBeenCalledTimes(1);
  });
});

describe('a missing terminator', () => {
  it("the 'cut' ending gives an IncompleteStreamError with the text", async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo'], 'cut')));
    const error = await rejectionOf(streamTokens(URL_, { fetch }).text);
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error).toMatchObject({ text: 'Hello' });
  });

  it("fault { type: 'truncate', afterEvents } closes the stream cleanly before the rest", async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo']), { fault: { type: 'truncate', afterEvents: 1 } }));
    const error = await rejectionOf(streamTokens(URL_, { fetch }).text);
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error).toMatchObject({ text: 'Hel' });
  });

  it('truncating after every event changes nothing', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo']), { fault: { type: 'truncate', afterEvents: 3 } }));
    await expect(streamTokens(URL_, { fetch }).text).resolves.toBe('Hello');
  });
});
