// The Last-Event-ID header of a reconnection, as the bytes a real server reads off the socket.
// WHATWG HTML § "Server-sent events" (reestablish the connection): the last event ID string,
// encoded as UTF-8.
import { describe, expect, it } from 'vitest';
import { streamTokens } from './index.js';
import { failOnUnhandledRejections } from './test/helpers.js';
import { startEventStream, useHttpTestServers } from './test/http-test-server.js';
import { formatEvent, tokenEvents } from './testing/index.js';

failOnUnhandledRejections();

const startServer = useHttpTestServers();

/**
 * The raw bytes of a request's `Last-Event-ID` header (`null` when absent). Node's HTTP parser
 * gives header values as latin1 strings, one char per byte, so latin1 → bytes is lossless.
 */
function lastEventIdBytes(value: string | string[] | undefined): Buffer | null {
  return typeof value === 'string' ? Buffer.from(value, 'latin1') : null;
}

describe('reconnect: the Last-Event-ID header is the ID in UTF-8', () => {
  it.each([
    { name: 'Latin-1 (é)', id: 'café' },
    { name: 'CJK', id: '日本' },
    { name: 'outside Latin-1 (…)', id: '…' },
    { name: 'astral (emoji)', id: 'msg-🦊-7' },
    { name: 'ASCII', id: 'evt-42' },
  ])('$name: the server reads back "$id"', async ({ id }) => {
    const seen: (Buffer | null)[] = [];
    const server = await startServer((request, res, index) => {
      seen.push(lastEventIdBytes(request.headers['last-event-id']));
      startEventStream(res);
      // The first connection sends one event with the ID and drops before [DONE]; the resumption ends it.
      if (index === 0) res.end(formatEvent({ id, data: '{"token":"a"}' }));
      else res.end(tokenEvents(['b']).join(''));
    });
    await expect(streamTokens(`${server.url}/chat`, { reconnect: { delay: 1 } }).text).resolves.toBe('ab');
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBeNull();
    expect(seen[1]).toEqual(Buffer.from(id, 'utf8'));
  });
});
