// Retries and resume against a real HTTP server.
import { describe, expect, it } from 'vitest';
import { HTTPError, NetworkError, streamTokens } from './index.js';
import { failOnUnhandledRejections, rejectionOf } from './test/helpers.js';
import { startEventStream, useHttpTestServers } from './test/http-test-server.js';
import { formatEvent, tokenEvents } from './testing/index.js';

failOnUnhandledRejections();

const startServer = useHttpTestServers();

const fast = { delay: 1, jitter: false } as const;

describe('retry', () => {
  it('retries 503s before any body arrived, then streams the answer', async () => {
    const server = await startServer((_request, res, index) => {
      if (index < 2) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
        return;
      }
      startEventStream(res);
      res.end(tokenEvents(['ok']).join(''));
    });
    await expect(streamTokens(`${server.url}/chat`, { body: { prompt: 'p' }, retry: { ...fast, limit: 2 } }).text).resolves.toBe('ok');
    expect(server.requests).toHaveLength(3);
    expect(server.requests.map((r) => r.body)).toEqual(Array(3).fill('{"prompt":"p"}'));
  });

  it('says how many attempts were made when retries run out', async () => {
    const server = await startServer((_request, res) => {
      res.writeHead(429, { 'content-type': 'application/json' }).end('{"error":"rate limited"}');
    });
    const error = await rejectionOf(streamTokens(`${server.url}/chat`, { retry: { ...fast, limit: 2 } }).text);
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({ status: 429, attempts: 3, body: { error: 'rate limited' } });
    expect((error as Error).message).toContain('gave up after 3 attempts');
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry statuses outside the policy (a 400 is the caller’s to fix)', async () => {
    const server = await startServer((_request, res) => {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad prompt"}');
    });
    const error = await rejectionOf(streamTokens(`${server.url}/chat`, { retry: { ...fast, limit: 5 } }).text);
    expect(error).toMatchObject({ status: 400, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('never re-sends a POST once the body started, even when retries remain', async () => {
    const server = await startServer((_request, res) => {
      startEventStream(res);
      res.write(tokenEvents(['partial'], 'cut').join(''), () => res.destroy());
    });
    const error = await rejectionOf(streamTokens(`${server.url}/chat`, { retry: { ...fast, limit: 5 } }).text);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ text: 'partial' });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry without a retry policy (the default)', async () => {
    const server = await startServer((_request, res) => {
      res.writeHead(503).end();
    });
    await rejectionOf(streamTokens(`${server.url}/chat`).text);
    expect(server.requests).toHaveLength(1);
  });
});

describe('reconnect: resume with Last-Event-ID', () => {
  const words = ['The ', 'quick ', 'brown ', 'fox ', 'jumps.'];

  /** Sends events with ids; the first connection drops after three, resumption sends the rest. */
  async function resumingServer(drop: 'reset' | 'end') {
    return startServer((request, res) => {
      const after = Number(request.headers['last-event-id'] ?? -1);
      const first = request.headers['last-event-id'] === undefined;
      startEventStream(res);
      let out = first ? ': resume after ids\nretry: 5\n\n' : '';
      const end = first ? 3 : words.length;
      for (let i = after + 1; i < end; i += 1) {
        out += formatEvent({ id: String(i), data: JSON.stringify({ token: words[i] }) });
      }
      if (!first) {
        res.end(`${out}data: [DONE]\n\n`);
        return;
      }
      if (drop === 'end') res.end(out);
      else res.write(out, () => res.destroy());
    });
  }

  it.each(['reset', 'end'] as const)(
    'after a drop (%s), re-connects and neither skips nor repeats a token',
    async (drop) => {
      const server = await resumingServer(drop);
      const retries: number[] = [];
      const tokens: string[] = [];
      const stream = streamTokens(`${server.url}/chat`, {
        body: { prompt: 'p' },
        reconnect: { minDelay: 1 },
        onRetry: (ms) => retries.push(ms),
      });
      for await (const token of stream) tokens.push(token);
      expect(tokens).toEqual(words);
      await expect(stream.text).resolves.toBe(words.join(''));
      expect(server.requests).toHaveLength(2);
      expect(server.requests[0]!.headers['last-event-id']).toBeUndefined();
      expect(server.requests[1]!.headers['last-event-id']).toBe('2');
      expect(server.requests[1]!.body).toBe('{"prompt":"p"}');
      expect(retries).toEqual([5]);
    },
  );

  it('does not reconnect when the server sent no ids (it could not resume)', async () => {
    const server = await startServer((_request, res) => {
      startEventStream(res);
      res.end(tokenEvents(['a'], 'cut').join(''));
    });
    const error = await rejectionOf(streamTokens(`${server.url}/chat`, { reconnect: { delay: 1 } }).text);
    expect(error).toMatchObject({ name: 'IncompleteStreamError', text: 'a' });
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after `limit` reconnections in a row without an event', async () => {
    const server = await startServer((request, res) => {
      startEventStream(res);
      if (request.headers['last-event-id'] === undefined) res.end(formatEvent({ id: '0', data: '{"token":"a"}' }));
      else res.end(); // resumes nothing, every time
    });
    const error = await rejectionOf(streamTokens(`${server.url}/chat`, { reconnect: { limit: 2, delay: 1 } }).text);
    expect(error).toMatchObject({ name: 'IncompleteStreamError', text: 'a' });
    expect(server.requests).toHaveLength(3);
  });
});

describe('reconnect: the Last-Event-ID sent', () => {
  it('is the stream’s last event ID, also when an id-only event moved it', async () => {
    const server = await startServer((request, res) => {
      startEventStream(res);
      if (request.headers['last-event-id'] === undefined) {
        // "a" is event 1; then the server says it is at 2 without sending data, and drops.
        res.write(`${formatEvent({ id: '1', data: '{"token":"a"}' })}id: 2\n\n`, () => res.destroy());
      } else {
        res.end(tokenEvents(['b']).join(''));
      }
    });
    await expect(streamTokens(`${server.url}/chat`, { reconnect: { delay: 1 } }).text).resolves.toBe('ab');
    expect(server.requests[1]!.headers['last-event-id']).toBe('2');
  });
});

describe('reconnect: a server that cannot resume', () => {
  it('answers 204 to the reconnection: the stream is incomplete, the text so far kept, no more requests', async () => {
    const server = await startServer((request, res) => {
      if (request.headers['last-event-id'] !== undefined) {
        res.writeHead(204).end();
        return;
      }
      startEventStream(res);
      res.end(formatEvent({ id: '1', data: '{"token":"partial"}' }));
    });
    const error = await rejectionOf(streamTokens(`${server.url}/chat`, { reconnect: { delay: 1, limit: 5 } }).text);
    expect(error).toMatchObject({ name: 'IncompleteStreamError', text: 'partial' });
    expect(server.requests).toHaveLength(2);
  });
});
