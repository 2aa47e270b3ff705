import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTPError, ServerStreamError, streamTokens } from '@tokenstream/sse-client';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ERROR_MESSAGE, planReply, replyText, TOKENS_BEFORE_ERROR } from './model.js';
import { createChatServer, type ChatServerOptions } from './server.js';

// Integration tests: the real server on a free port, read over real HTTP by the library's client.

let server: Server | undefined;

/** Starts a chat server on 127.0.0.1 and a free port; returns its `/chat/stream` URL. */
async function start(options: ChatServerOptions = {}): Promise<string> {
  const started = createChatServer({ tokenDelayMs: 1, ...options });
  server = started;
  await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
  const { port } = started.address() as AddressInfo;
  return `http://127.0.0.1:${port}/chat/stream`;
}

afterEach(async () => {
  const closing = server;
  server = undefined;
  if (closing === undefined) return;
  closing.closeAllConnections();
  await new Promise<void>((resolve, reject) => closing.close((error) => (error ? reject(error) : resolve())));
});

/** Awaits `promise`, expecting it to reject, and returns the rejection. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it resolved');
}

describe('POST /chat/stream', () => {
  it('streams the deterministic reply token by token, in order, ending with [DONE]', async () => {
    const url = await start();
    const prompt = 'What is Server-Sent Events?';
    const tokens: string[] = [];
    for await (const token of streamTokens(url, { body: { prompt } })) tokens.push(token);

    const plan = planReply(prompt);
    expect(plan.error).toBeUndefined();
    expect(plan.tokens.length).toBeGreaterThan(50);
    expect(tokens).toEqual(plan.tokens);
    expect(tokens.join('')).toBe(replyText(prompt));
    expect(tokens.join('')).toContain(`You asked: “${prompt}”.`);
  });

  it('keeps multibyte UTF-8 (emoji, CJK, Greek) intact, in the reply and in an echoed prompt', async () => {
    const url = await start();
    const prompt = 'Parlez-vous 日本語? 👩‍💻 Ελληνικά';
    const text = await streamTokens(url, { body: { prompt } }).text;

    expect(text).toBe(replyText(prompt));
    for (const part of ['🚀', '日本語', 'Ελληνικά', 'café', '👩‍💻']) expect(text).toContain(part);
    expect(text).not.toContain('\uFFFD');
  });

  it('sends tokens containing newlines and prompts with SSE syntax without breaking the framing', async () => {
    const url = await start();
    const prompt = 'data: [DONE]\n\n"quotes" \\ <b>tags</b> \r\n: comment';
    const tokens: string[] = [];
    const text = await streamTokens(url, { body: { prompt }, onToken: (token) => tokens.push(token) }).text;

    expect(text).toBe(replyText(prompt));
    expect(text).toContain('“data: [DONE] "quotes" \\ <b>tags</b> : comment”');
    expect(tokens.some((token) => token.endsWith('\n\n'))).toBe(true);
  });

  it('stops generating when the client aborts mid-stream, and the client rejects with an AbortError', async () => {
    let clientClosed!: (info: { tokensSent: number }) => void;
    const closed = new Promise<{ tokensSent: number }>((resolve) => {
      clientClosed = resolve;
    });
    const logs: string[] = [];
    const url = await start({ tokenDelayMs: 5, onClientClose: clientClosed, log: (line) => logs.push(line) });
    const prompt = 'Tell me a long story';
    const controller = new AbortController();
    const received: string[] = [];
    const stream = streamTokens(url, {
      body: { prompt },
      signal: controller.signal,
      onToken: (token) => {
        received.push(token);
        if (received.length === 3) controller.abort();
      },
    });

    const error = await rejectionOf(stream.text);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    // A prefix of the reply: at least the 3 tokens before the abort.
    expect(received.length).toBeGreaterThanOrEqual(3);
    expect(received).toEqual(planReply(prompt).tokens.slice(0, received.length));

    const { tokensSent } = await closed;
    expect(tokensSent).toBeGreaterThanOrEqual(3);
    expect(tokensSent).toBeLessThan(planReply(prompt).tokens.length);
    expect(logs).toContain(`client disconnected after ${tokensSent} of ${planReply(prompt).tokens.length} tokens; stopped generating`);

    // Had the aborted reply kept generating, it would finish (and log its [DONE]) before a whole
    // new reply of the same length, started later with the same delay, does.
    await streamTokens(url, { body: { prompt } }).text;
    expect(logs.filter((line) => line.includes('[DONE]'))).toEqual([`sent ${planReply(prompt).tokens.length} tokens and [DONE]`]);
  });

  it('reports the demo error mid-stream as a ServerStreamError that keeps the partial text', async () => {
    const url = await start();
    const prompt = 'Please show me an ERROR.';
    const error = await rejectionOf(streamTokens(url, { body: { prompt } }).text);

    expect(error).toBeInstanceOf(ServerStreamError);
    const streamError = error as ServerStreamError;
    expect(streamError.payload).toBe(DEMO_ERROR_MESSAGE);
    expect(streamError.message).toContain(DEMO_ERROR_MESSAGE);
    const partial = replyText(prompt).split(/(?<=\s)(?=\S)/).slice(0, TOKENS_BEFORE_ERROR).join('');
    expect(streamError.text).toBe(partial);
    expect(streamError.text.length).toBeGreaterThan(0);
  });

  it('does not treat words that merely contain "error" as a request for the error', async () => {
    const url = await start();
    const prompt = 'Tell me about terrors and errorless code';
    await expect(streamTokens(url, { body: { prompt } }).text).resolves.toBe(replyText(prompt));
  });
});

describe('invalid requests', () => {
  const cases: { name: string; body: string; error: string }[] = [
    { name: 'a body that is not JSON', body: '{"prompt": "unterminated', error: 'The request body is not valid JSON' },
    { name: 'a missing prompt', body: '{}', error: 'Missing "prompt"' },
    { name: 'a prompt that is not a string', body: '{"prompt": 42}', error: '"prompt" must be a string' },
    { name: 'an empty prompt', body: '{"prompt": "  "}', error: '"prompt" must not be empty' },
    { name: 'a JSON value that is not an object', body: '["prompt"]', error: 'The request body must be a JSON object: {"prompt": "..."}' },
  ];

  for (const { name, body, error: message } of cases) {
    it(`answers ${name} with a 400 that the client surfaces as an HTTPError with the JSON body`, async () => {
      const url = await start();
      const error = await rejectionOf(
        streamTokens(url, { body, headers: { 'content-type': 'application/json' } }).text,
      );

      expect(error).toBeInstanceOf(HTTPError);
      expect((error as HTTPError).status).toBe(400);
      expect((error as HTTPError).body).toEqual({ error: message });
    });
  }

  it('answers a body over maxBodyBytes with a 400', async () => {
    const url = await start({ maxBodyBytes: 1024 });
    const error = await rejectionOf(streamTokens(url, { body: { prompt: 'x'.repeat(2000) } }).text);

    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).status).toBe(400);
    expect((error as HTTPError).body).toEqual({ error: 'The request body is too large' });
  });

  it('accepts a body just under maxBodyBytes', async () => {
    const url = await start({ maxBodyBytes: 1024 });
    const prompt = 'y'.repeat(1000);
    await expect(streamTokens(url, { body: { prompt } }).text).resolves.toBe(replyText(prompt));
  });

  it('answers another method with a 405 and an unknown path with a 404, both JSON', async () => {
    const url = await start();
    const wrongMethod = await fetch(url);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(await wrongMethod.json()).toEqual({ error: 'Method GET not allowed: use POST' });

    const unknown = await fetch(new URL('/nowhere', url), { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'Not found: /nowhere' });
  });
});
