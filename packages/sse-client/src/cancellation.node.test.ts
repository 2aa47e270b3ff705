// Cancellation against a real HTTP server: only the platform's AbortError, and the server sees
// the connection close, so it can stop generating (and billing).
import { describe, expect, it } from 'vitest';
import { isTokenStreamError, streamTokens } from './index.js';
import { failOnUnhandledRejections, recordingFetch, rejectionOf } from './test/helpers.js';
import { startEventStream, useHttpTestServers } from './test/http-test-server.js';
import { tokenEvents } from './testing/index.js';

failOnUnhandledRejections();

const startServer = useHttpTestServers();

/** A server that streams one token and then waits for ever. */
async function stallingServer() {
  const server = await startServer((_request, res) => {
    startEventStream(res);
    res.write(tokenEvents(['first'], 'cut').join(''));
  });
  return server;
}

function expectAbortError(error: unknown) {
  expect(error).toBeInstanceOf(DOMException);
  expect(error).toMatchObject({ name: 'AbortError' });
  expect(isTokenStreamError(error)).toBe(false);
}

describe('aborting', () => {
  it('before the response arrives', async () => {
    const server = await startServer(() => undefined); // never answers
    const controller = new AbortController();
    const done = rejectionOf(streamTokens(`${server.url}/chat`, { signal: controller.signal }).text);
    while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expectAbortError(await done);
    await server.requests[0]!.clientGone;
  });

  it('mid-stream: the reader is released and the server sees the close', async () => {
    const { url, requests } = await stallingServer();
    const controller = new AbortController();
    const { fetch, responses } = recordingFetch();
    const tokens: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const token of streamTokens(`${url}/chat`, { fetch, signal: controller.signal })) {
          tokens.push(token);
          controller.abort();
        }
      })(),
    );
    expect(tokens).toEqual(['first']);
    expectAbortError(error);
    expect(responses[0]?.body?.locked).toBe(false);
    await requests[0]!.clientGone;
  });

  it('after completion: a no-op', async () => {
    const server = await startServer((_request, res) => {
      startEventStream(res);
      res.end(tokenEvents(['done']).join(''));
    });
    const controller = new AbortController();
    const stream = streamTokens(`${server.url}/chat`, { signal: controller.signal });
    await expect(stream.text).resolves.toBe('done');
    controller.abort();
    await expect(stream.text).resolves.toBe('done');
    expect(server.requests[0]!.isClientGone()).toBe(false);
  });

  it('breaking out of a for await loop cancels the request', async () => {
    const { url, requests } = await stallingServer();
    for await (const token of streamTokens(`${url}/chat`)) {
      expect(token).toBe('first');
      break;
    }
    await requests[0]!.clientGone;
  });
});
