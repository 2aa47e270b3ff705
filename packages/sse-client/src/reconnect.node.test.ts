// Reconnection has an end: a server that ends every connection after one event (with `retry: 0`)
// gets at most `totalLimit` reconnections, then the call fails with a ReconnectLimitError.
import { describe, expect, it } from 'vitest';
import { ReconnectLimitError } from './errors.js';
import { fetchEventStream, isTokenStreamError, streamTokens } from './index.js';
import { failOnUnhandledRejections, rejectionOf } from './test/helpers.js';
import { startEventStream, useHttpTestServers } from './test/http-test-server.js';
import { formatEvent } from './testing/index.js';

failOnUnhandledRejections();

const startServer = useHttpTestServers();

/** Sends `retry: 0`, one event with the next id, and then ends (or resets) the connection: for ever. */
async function oneEventPerConnection(drop: 'end' | 'reset') {
  return startServer((_request, res, index) => {
    startEventStream(res);
    const out = `retry: 0\n\n${formatEvent({ id: String(index), data: JSON.stringify({ token: `${index} ` }) })}`;
    if (drop === 'end') res.end(out);
    else res.write(out, () => res.destroy());
  });
}

describe('reconnect: the total bound', () => {
  it('a server that ends every connection after one event: exactly totalLimit reconnections, then ReconnectLimitError', async () => {
    const server = await oneEventPerConnection('end');
    const error = await rejectionOf(
      streamTokens(`${server.url}/chat?key=secret`, { body: { prompt: 'p' }, reconnect: { totalLimit: 5, minDelay: 1 } }).text,
    );
    expect(error).toBeInstanceOf(ReconnectLimitError);
    expect(isTokenStreamError(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'ReconnectLimitError',
      reconnects: 5,
      text: '0 1 2 3 4 5 ',
      request: { method: 'POST', url: `${server.url}/chat?…` },
    });
    expect((error as Error).cause).toBeUndefined();
    expect((error as Error).message).toBe(
      `Stream dropped after 5 reconnections (reconnect.totalLimit): POST ${server.url}/chat?…`,
    );
    expect(server.requests).toHaveLength(6);
    expect(server.requests.map((r) => r.headers['last-event-id'])).toEqual([undefined, '0', '1', '2', '3', '4']);
  });

  it('when the connection is reset each time, the last drop is the cause', async () => {
    const server = await oneEventPerConnection('reset');
    const error = await rejectionOf(streamTokens(`${server.url}/chat`, { reconnect: { totalLimit: 2, minDelay: 1 } }).text);
    expect(error).toBeInstanceOf(ReconnectLimitError);
    expect(error).toMatchObject({ reconnects: 2, text: '0 1 2 ' });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(server.requests).toHaveLength(3);
  });

  it('fetchEventStream, which reconnects after a clean end like EventSource, is bounded too', async () => {
    const server = await oneEventPerConnection('end');
    const data: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const event of fetchEventStream(`${server.url}/events`, { method: 'GET', reconnect: { totalLimit: 3, minDelay: 1 } })) {
          data.push(event.data);
        }
      })(),
    );
    expect(error).toBeInstanceOf(ReconnectLimitError);
    expect(error).toMatchObject({ reconnects: 3, text: '' });
    expect(data).toHaveLength(4);
    expect(server.requests).toHaveLength(4);
  });

  it('totalLimit: Infinity lifts the bound (limit, in a row without an event, still applies)', async () => {
    const server = await oneEventPerConnection('end');
    const stream = streamTokens(`${server.url}/chat`, { reconnect: { totalLimit: Infinity, minDelay: 1 } });
    const tokens: string[] = [];
    for await (const token of stream) {
      tokens.push(token);
      if (tokens.length === 30) break;
    }
    expect(server.requests.length).toBeGreaterThanOrEqual(30);
  });

  it('a stream that completes within the bound is not affected', async () => {
    const server = await startServer((_request, res, index) => {
      startEventStream(res);
      const event = formatEvent({ id: String(index), data: JSON.stringify({ token: String(index) }) });
      res.end(index < 2 ? event : `${event}data: [DONE]\n\n`);
    });
    await expect(streamTokens(`${server.url}/chat`, { reconnect: { totalLimit: 2, delay: 1 } }).text).resolves.toBe('012');
    expect(server.requests).toHaveLength(3);
  });
});

describe('reconnect: options are checked before anything is sent', () => {
  it.each([
    [{ totalLimit: -1 }, 'reconnect.totalLimit must be a non-negative integer (or Infinity), got -1'],
    [{ totalLimit: 2.5 }, 'reconnect.totalLimit must be a non-negative integer (or Infinity), got 2.5'],
    [{ limit: Number.NaN }, 'reconnect.limit must be a non-negative integer (or Infinity), got NaN'],
    [{ limit: 1.5 }, 'reconnect.limit must be a non-negative integer (or Infinity), got 1.5'],
    [{ delay: -1 }, 'reconnect.delay must be a non-negative number, got -1'],
    [{ minDelay: Infinity }, 'reconnect.minDelay must be a non-negative number, got Infinity'],
  ])('%o → RangeError', async (reconnect, message) => {
    const server = await startServer((_request, res) => {
      res.writeHead(500).end();
    });
    const error = await rejectionOf(streamTokens(`${server.url}/chat`, { reconnect }).text);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe(message);
    expect(server.requests).toHaveLength(0);
  });
});
