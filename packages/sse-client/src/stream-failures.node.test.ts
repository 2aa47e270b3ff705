// Failures after a 200 from a real HTTP server: each a typed error with the text received so far,
// the body's reader released, and the connection closed where the client should close it.
import { describe, expect, it } from 'vitest';
import {
  EventTooLargeError,
  IncompleteStreamError,
  NetworkError,
  ProtocolError,
  ServerStreamError,
  streamTokens,
  TimeoutError,
  type StreamTokensOptions,
} from './index.js';
import { drain, failOnUnhandledRejections, recordingFetch } from './test/helpers.js';
import { startEventStream, useHttpTestServers, type TestHandler } from './test/http-test-server.js';
import { tokenEvents } from './testing/index.js';

failOnUnhandledRejections();

const startServer = useHttpTestServers();

/** Streams from a real server running `handler`; returns what the client got. */
async function streamFrom(handler: TestHandler, options: StreamTokensOptions = {}) {
  const server = await startServer(handler);
  const { fetch, responses } = recordingFetch();
  const result = await drain(streamTokens(`${server.url}/chat/stream`, { fetch, body: { prompt: 'x' }, ...options }));
  return { ...result, responses, seen: server.requests[0]! };
}

describe('errors the server reports', () => {
  it('a mid-stream {"error"} → ServerStreamError with the payload and the partial text', async () => {
    const { tokens, error, responses } = await streamFrom((_request, res) => {
      startEventStream(res);
      res.end(tokenEvents(['Hel', 'lo'], { error: { message: 'upstream model timed out', code: 504 } }).join(''));
    });
    expect(tokens).toEqual(['Hel', 'lo']);
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(error).toMatchObject({ payload: { message: 'upstream model timed out', code: 504 }, text: 'Hello' });
    expect(responses[0]?.body?.locked).toBe(false);
  });

  it('a server that keeps the connection open after its error event is disconnected by the client', async () => {
    const { error, seen } = await streamFrom((_request, res) => {
      startEventStream(res);
      res.write(tokenEvents(['a'], { error: 'boom' }).join(''));
      res.write(tokenEvents(['never delivered'], 'cut').join('')); // and never ends
    });
    expect(error).toBeInstanceOf(ServerStreamError);
    expect((error as ServerStreamError).text).toBe('a');
    await seen.clientGone;
  });

  it('nothing after [DONE] is delivered, and a server that keeps the connection open is disconnected', async () => {
    const { tokens, error, seen } = await streamFrom((_request, res) => {
      startEventStream(res);
      res.write(tokenEvents(['a', 'b']).join('') + tokenEvents(['after'], 'cut').join(''));
    });
    expect(error).toBeUndefined();
    expect(tokens).toEqual(['a', 'b']);
    await seen.clientGone;
  });
});

describe('streams that end too early', () => {
  it('a clean end without [DONE] → IncompleteStreamError with the partial text', async () => {
    const { tokens, error, responses } = await streamFrom((_request, res) => {
      startEventStream(res);
      res.end(tokenEvents(['Hel', 'lo'], 'cut').join(''));
    });
    expect(tokens).toEqual(['Hel', 'lo']);
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error).toMatchObject({ text: 'Hello' });
    expect(responses[0]?.body?.locked).toBe(false);
  });

  it('an end in the middle of an event → IncompleteStreamError, the partial event not delivered', async () => {
    const { tokens, error } = await streamFrom((_request, res) => {
      startEventStream(res);
      res.end(`${tokenEvents(['Hel'], 'cut').join('')}data: {"token": "lo"}\n`);
    });
    expect(tokens).toEqual(['Hel']);
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error).toMatchObject({ text: 'Hel' });
  });

  it('a connection reset mid-stream → NetworkError with the partial text and the cause', async () => {
    const { tokens, error, responses } = await streamFrom((_request, res) => {
      startEventStream(res);
      res.write(tokenEvents(['Hel'], 'cut').join(''), () => res.destroy());
    });
    expect(tokens).toEqual(['Hel']);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ text: 'Hel' });
    expect((error as NetworkError).cause).toBeInstanceOf(TypeError);
    expect(responses[0]?.body?.locked).toBe(false);
  });
});

describe('limits', () => {
  it('no bytes for idleTimeout ms → TimeoutError (idle), the request aborted', async () => {
    const { tokens, error, seen } = await streamFrom(
      (_request, res) => {
        startEventStream(res);
        res.write(tokenEvents(['Hel'], 'cut').join('')); // then stalls for ever
      },
      { idleTimeout: 100 },
    );
    expect(tokens).toEqual(['Hel']);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'idle', timeout: 100, text: 'Hel' });
    expect((error as Error).message).toContain('No data for 100 ms');
    await seen.clientGone;
  });

  it('a server that never answers → TimeoutError (idle) before the response', async () => {
    const { error, seen } = await streamFrom(() => undefined, { idleTimeout: 100 });
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'idle', text: '' });
    await seen.clientGone;
  });

  it('the whole request past `timeout` ms → TimeoutError (total), even while bytes flow', async () => {
    const { error, seen } = await streamFrom(
      (_request, res) => {
        startEventStream(res);
        const timer = setInterval(() => res.write(': ping\n\n'), 10);
        res.on('close', () => clearInterval(timer));
      },
      { timeout: 150, idleTimeout: 10_000 },
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'total', timeout: 150 });
    await seen.clientGone;
  });

  it('one event larger than maxEventSize → EventTooLargeError, the request aborted', async () => {
    const { tokens, error, seen } = await streamFrom(
      (_request, res) => {
        startEventStream(res);
        res.write(tokenEvents(['ok'], 'cut').join(''));
        res.write(`data: {"token": "${'x'.repeat(64 * 1024)}`); // and more would follow
      },
      { maxEventSize: 16 * 1024 },
    );
    expect(tokens).toEqual(['ok']);
    expect(error).toBeInstanceOf(EventTooLargeError);
    expect(error).toMatchObject({ maxEventSize: 16 * 1024, text: 'ok' });
    await seen.clientGone;
  });

  it('data that is not the JSON the protocol expects → ProtocolError with the raw data, truncated', async () => {
    const garbage = `<html>${'y'.repeat(5000)}</html>`;
    const { error, seen } = await streamFrom((_request, res) => {
      startEventStream(res);
      res.write(`${tokenEvents(['a'], 'cut').join('')}data: ${garbage}\n\n`); // and stays open
    });
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ text: 'a', data: `${garbage.slice(0, 1024)}…` });
    await seen.clientGone;
  });
});
