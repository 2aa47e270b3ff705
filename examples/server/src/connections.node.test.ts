import { streamTokens } from '@tokenstream/sse-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { planReply, replyText } from './model.js';
import { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from './server.js';
import { chatRequest, rawConnection, recordLog, startChatServer } from './test-server.js';

// How the server treats connections: it leaves keep-alive to Node, generates one reply per
// connection at a time, and does not wait long for a request to arrive.

afterEach(() => {
  vi.useRealTimers();
});

const body = JSON.stringify({ prompt: 'Hi' });

describe('Connection: close from the client', () => {
  it('is honoured: the reply says Connection: close and the server ends the connection right after it', async () => {
    const { port } = await startChatServer();
    const connection = await rawConnection(port, chatRequest(body, ['Content-Type: application/json', 'Connection: close']));

    // `ended` resolves on the server's FIN; with keep-alive forced on it would come only after
    // the keep-alive timeout (5 s), after this test's time limit.
    const received = await connection.ended;
    const head = received.slice(0, received.indexOf('\r\n\r\n')).toLowerCase();
    expect(head).toContain('connection: close');
    expect(head).not.toContain('keep-alive');
    expect(received).toContain('data: [DONE]\n\n');
  }, 3_000);

  it('keeps the connection open for the next request when the client does not ask to close it', async () => {
    const { port } = await startChatServer();
    const connection = await rawConnection(port, chatRequest(body) + chatRequest(body));
    await vi.waitUntil(() => connection.received().split('data: [DONE]').length === 3, { timeout: 2_000, interval: 5 });

    expect(connection.socket.readyState).toBe('open');
    expect(connection.received().match(/^HTTP\/1\.1 200 OK/gm)).toHaveLength(2);
  });
});

describe('pipelined requests (several requests sent on one connection before any reply is read)', () => {
  it('generate one reply at a time: the next starts only when the connection is free for it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { log, waitFor } = recordLog();
    const { port } = await startChatServer({ log });
    const connection = await rawConnection(port, chatRequest(body).repeat(3));
    connection.socket.pause(); // a client that never reads

    await waitFor(/^streaming a reply/, 3);
    // One token timer: the first reply's. The other two replies wait (Node queues their bytes
    // until the first reply ends), so they do not generate, and cost nothing, in the meantime.
    expect(vi.getTimerCount()).toBe(1);
  });

  it('still get every reply, complete and in order', async () => {
    const { port } = await startChatServer();
    const prompts = ['first', 'second', 'third'];
    const connection = await rawConnection(port, prompts.map((prompt) => chatRequest(JSON.stringify({ prompt }))).join(''));
    await vi.waitUntil(() => connection.received().split('data: [DONE]').length === 4, { timeout: 3_000, interval: 5 });

    const tokens = [...connection.received().matchAll(/^data: (\{"token".*\})$/gm)].map((match) => (JSON.parse(match[1]!) as { token: string }).token);
    expect(tokens).toEqual(prompts.flatMap((prompt) => planReply(prompt).tokens));
  });
});

describe('request timeouts', () => {
  it('default to 10 s for the headers and 30 s for the whole request', async () => {
    const { server } = await startChatServer();
    expect(DEFAULT_HEADERS_TIMEOUT_MS).toBe(10_000);
    expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(30_000);
    expect(server.headersTimeout).toBe(DEFAULT_HEADERS_TIMEOUT_MS);
    expect(server.requestTimeout).toBe(DEFAULT_REQUEST_TIMEOUT_MS);
  });

  it('answer a body sent too slowly with 408 and close the connection, without generating', async () => {
    const { log, lines } = recordLog();
    const { port } = await startChatServer({ log, headersTimeoutMs: 100, requestTimeoutMs: 200 });
    const request = chatRequest(body);
    // Everything but the last byte of the body, which never comes.
    const connection = await rawConnection(port, request.slice(0, -1));

    const received = await connection.ended;
    expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(lines.some((line) => line.startsWith('streaming'))).toBe(false);
  }, 3_000);

  it('answer headers sent too slowly with 408 and close the connection', async () => {
    const { port } = await startChatServer({ headersTimeoutMs: 100, requestTimeoutMs: 200 });
    const connection = await rawConnection(port, 'POST /chat/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n');

    expect(await connection.ended).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  }, 3_000);

  it('do not cut a reply that streams for longer than the request timeout', async () => {
    const { url } = await startChatServer({ tokenDelayMs: 5, headersTimeoutMs: 50, requestTimeoutMs: 100 });
    const prompt = 'A long answer, please';
    expect(planReply(prompt).tokens.length * 5).toBeGreaterThan(300);

    await expect(streamTokens(url, { body: { prompt } }).text).resolves.toBe(replyText(prompt));
  });
});
