import {
  ContentTypeError,
  HTTPError,
  IncompleteStreamError,
  NetworkError,
  openAIChatProtocol,
  streamParts,
  streamTokens,
  TimeoutError,
} from '@tokenstream/sse-client';
import { describe, expect, it } from 'vitest';
import { EVENTS_BEFORE_FAILURE, eventChunks, LOGIN_PAGE_HTML } from './demo-failures.js';
import { planReply, replyText } from './model.js';
import { OPENAI_CHAT_PATH } from './openai-chat.js';
import type { ChatServerOptions } from './server.js';
import { recordLog, startChatServer } from './test-server.js';

// Failure modes on demand (`X-Demo-Failure` header or `"demo_failure"` body field), each read by
// the library's client over real HTTP: every one gives the error (or the exact text) it should.

const prompt = 'Tell me about 日本語 and émojis 🚀';

/** Starts a server; returns its OpenAI-compatible URL, its /chat/stream URL and its log. */
async function start(options: ChatServerOptions = {}) {
  const log = recordLog();
  const { port, url } = await startChatServer({ log: log.log, ...options });
  return { openAIUrl: `http://127.0.0.1:${port}${OPENAI_CHAT_PATH}`, tokenUrl: url, log };
}

/** Streams the OpenAI endpoint's reply to `prompt` with `X-Demo-Failure: failure`. */
function openAIStream(url: string, failure: string, options: Partial<Parameters<typeof streamParts>[1]> = {}) {
  return streamParts(url, {
    protocol: openAIChatProtocol,
    headers: { 'x-demo-failure': failure },
    body: { messages: [{ role: 'user', content: prompt }], stream: true },
    ...options,
  });
}

/** A JSON POST by `fetch`, with `X-Demo-Failure: failure` when given. */
function post(url: string, body: unknown, failure?: string): Promise<Response> {
  const headers = { 'content-type': 'application/json', ...(failure === undefined ? {} : { 'x-demo-failure': failure }) };
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** Awaits `promise`, expecting it to reject, and returns the rejection. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('Expected the promise to reject, but it resolved');
    },
    (error: unknown) => error,
  );
}

describe('429: Too Many Requests with Retry-After, on every other request asking for it', () => {
  it('answers the first request 429 with Retry-After (seconds) and an OpenAI rate-limit error', async () => {
    const { openAIUrl } = await start({ retryAfterSeconds: 7 });
    const error = await rejectionOf(openAIStream(openAIUrl, '429').result);

    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).status).toBe(429);
    expect((error as HTTPError).body).toMatchObject({ error: { type: 'rate_limit_exceeded', code: 'rate_limit_exceeded' } });
    const response = await post(openAIUrl, {}, '429');
    // The second request asking for 429 is not refused with 429 (this body is then refused as invalid).
    expect(response.status).toBe(400);
  });

  it('lets a client that retries get the reply, waiting the Retry-After delay instead of its own backoff', async () => {
    const { openAIUrl, log } = await start({ retryAfterSeconds: 0 });
    // A one-minute backoff: the retry comes at once only because Retry-After (0 s) replaces it.
    const retry = { limit: 1, delay: 60_000, jitter: false };
    const result = await openAIStream(openAIUrl, '429', { retry }).result;

    expect(result.text).toBe(replyText(prompt));
    expect(log.lines.filter((line) => line.startsWith('429 on purpose'))).toHaveLength(1);
  });

  it('sends Retry-After: 1 by default', async () => {
    const { tokenUrl } = await start();
    const response = await post(tokenUrl, { prompt, demo_failure: '429' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toEqual({ error: 'Rate limit reached (demo failure "429"): retry after the Retry-After delay' });
  });
});

describe('500 and html: responses that are not the stream', () => {
  it('500: an HTTPError with the status and the JSON error body', async () => {
    const { openAIUrl } = await start();
    const error = await rejectionOf(openAIStream(openAIUrl, '500').result);
    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).status).toBe(500);
    expect((error as HTTPError).body).toMatchObject({ error: { type: 'server_error' } });
  });

  it('html: a 200 with a login page is a ContentTypeError, not a stream parsed from HTML', async () => {
    const { openAIUrl } = await start();
    const error = await rejectionOf(openAIStream(openAIUrl, 'html').result);
    expect(error).toBeInstanceOf(ContentTypeError);
    expect((error as ContentTypeError).contentType).toBe('text/html; charset=utf-8');
  });

  it('html on /chat/stream too, chosen by the body field', async () => {
    const { tokenUrl } = await start();
    const response = await post(tokenUrl, { prompt, demo_failure: 'html' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(LOGIN_PAGE_HTML);
  });
});

describe('drop and stall: a reply that stops mid-way', () => {
  it(`drop: the connection is destroyed after ${EVENTS_BEFORE_FAILURE} events; the client rejects, keeping the partial text`, async () => {
    const { tokenUrl, log } = await start();
    const stream = streamTokens(tokenUrl, { body: { prompt }, headers: { 'x-demo-failure': 'drop' } });
    const error = await rejectionOf(stream.text);

    expect([IncompleteStreamError, NetworkError].some((type) => error instanceof type)).toBe(true);
    expect((error as IncompleteStreamError).text).toBe(planReply(prompt).tokens.slice(0, EVENTS_BEFORE_FAILURE).join(''));
    const total = planReply(prompt).tokens.length;
    expect(log.lines).toContain(`dropped the connection after ${EVENTS_BEFORE_FAILURE} of ${total} tokens on purpose (demo failure "drop")`);
  });

  it('drop on the OpenAI endpoint: no [DONE], so never a successful result', async () => {
    const { openAIUrl } = await start();
    const error = await rejectionOf(openAIStream(openAIUrl, 'drop').result);
    expect([IncompleteStreamError, NetworkError].some((type) => error instanceof type)).toBe(true);
  });

  it('stall: nothing more arrives and the response stays open, so the idle timeout trips: TimeoutError (idle)', async () => {
    const { openAIUrl, log } = await start();
    const error = await rejectionOf(openAIStream(openAIUrl, 'stall', { idleTimeout: 150 }).result);

    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).kind).toBe('idle');
    // The role chunk and two words were sent before the stall.
    expect((error as TimeoutError).text).toBe(planReply(prompt).tokens.slice(0, EVENTS_BEFORE_FAILURE - 1).join(''));
    expect(log.lines.some((line) => line.startsWith(`stalled after ${EVENTS_BEFORE_FAILURE} of`))).toBe(true);
    // The client closed the connection when it gave up: the server notices.
    await log.waitFor(/^client disconnected after 3 of/);
  });
});

describe('slow-first-token, crlf and split-utf8: awkward but valid streams, read exactly', () => {
  it('slow-first-token: the first token waits slowFirstTokenMs, then the whole reply arrives', async () => {
    const { tokenUrl } = await start({ slowFirstTokenMs: 120 });
    const startedAt = performance.now();
    let firstTokenAt: number | undefined;
    const tokens: string[] = [];
    const headers = { 'x-demo-failure': 'slow-first-token' };
    for await (const token of streamTokens(tokenUrl, { body: { prompt }, headers })) {
      firstTokenAt ??= performance.now();
      tokens.push(token);
    }
    expect(firstTokenAt! - startedAt).toBeGreaterThanOrEqual(100);
    expect(tokens.join('')).toBe(replyText(prompt));
  });

  it('crlf: CRLF line endings and keep-alive comments give the exact text', async () => {
    const { openAIUrl, tokenUrl } = await start();
    expect((await openAIStream(openAIUrl, 'crlf').result).text).toBe(replyText(prompt));
    expect(await streamTokens(tokenUrl, { body: { prompt, demo_failure: 'crlf' } }).text).toBe(replyText(prompt));

    const raw = await post(tokenUrl, { prompt }, 'crlf');
    const text = await raw.text();
    expect(text).toContain(': keep-alive\r\n\r\ndata: {"token":');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('split-utf8: events written in pieces cut inside a multibyte character give the exact text', async () => {
    const { openAIUrl, tokenUrl } = await start();
    expect((await openAIStream(openAIUrl, 'split-utf8').result).text).toBe(replyText(prompt));
    const headers = { 'x-demo-failure': 'split-utf8' };
    expect(await streamTokens(tokenUrl, { body: { prompt }, headers }).text).toBe(replyText(prompt));
  });

  it('split-utf8 cuts an event after the first byte of its first multibyte character', () => {
    const [head, tail] = eventChunks('data: {"token":"日本"}\n\n', 'split-utf8') as Buffer[];
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(head)).toThrow(TypeError);
    expect(Buffer.concat([head!, tail!]).toString('utf8')).toBe('data: {"token":"日本"}\n\n');
  });
});

describe('choosing a failure mode', () => {
  it('is off by default: the same request without the header or field gets the normal reply', async () => {
    const { openAIUrl } = await start();
    const result = await streamParts(openAIUrl, {
      protocol: openAIChatProtocol,
      body: { messages: [{ role: 'user', content: prompt }], stream: true },
    }).result;
    expect(result.text).toBe(replyText(prompt));
  });

  it('refuses an unknown mode with 400, naming the known ones', async () => {
    const { tokenUrl } = await start();
    const response = await post(tokenUrl, { prompt }, 'explode');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'Unknown demo failure "explode": use one of slow-first-token, stall, drop, 429, 500, html, crlf, split-utf8',
    });
  });
});
