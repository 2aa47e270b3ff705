// The test doubles under jest, with no vitest: the built CommonJS package, jest's fake timers.
/* global afterEach, expect, jest, test */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: this tests the packages' require entries */
const { HTTPError, NetworkError, streamTokens } = require('@tokenstream/sse-client');
const { createFakeFetch, errorResponse, sseResponse, tokenEvents } = require('@tokenstream/sse-client/testing');

afterEach(() => {
  jest.useRealTimers();
});

test('the packages resolve to the built CommonJS files', () => {
  expect(require.resolve('@tokenstream/sse-client')).toMatch(/dist[\\/]index\.cjs$/);
  expect(require.resolve('@tokenstream/sse-client/testing')).toMatch(/dist[\\/]testing\.cjs$/);
});

test('a delayed response streams through streamTokens under jest fake timers', async () => {
  jest.useFakeTimers();
  const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo']), { delay: 100 }));
  const tokens = [];
  let settled = false;
  const text = streamTokens('/chat/stream', { fetch, body: { prompt: 'Hi' }, onToken: (token) => tokens.push(token) }).text;
  text.then(
    () => (settled = true),
    () => undefined,
  );

  await jest.advanceTimersByTimeAsync(99);
  expect(tokens).toEqual([]);
  await jest.advanceTimersByTimeAsync(1);
  expect(tokens).toEqual(['Hel']);
  await jest.advanceTimersByTimeAsync(100);
  expect(tokens).toEqual(['Hel', 'lo']);
  expect(settled).toBe(false);
  await jest.advanceTimersByTimeAsync(100);
  await expect(text).resolves.toBe('Hello');
  expect(fetch.requests[0].body).toEqual({ prompt: 'Hi' });
  expect(fetch.requests[0].response.body.locked).toBe(false);
});

test('faults give the typed errors', async () => {
  const dropped = createFakeFetch(() => sseResponse(tokenEvents(['Par', 'tial', '!']), { fault: { type: 'drop', afterEvents: 2 } }));
  const network = await streamTokens('/c', { fetch: dropped }).text.catch((error) => error);
  expect(network).toBeInstanceOf(NetworkError);
  expect(network.text).toBe('Partial');

  const failed = await streamTokens('/c', { fetch: createFakeFetch(() => errorResponse(500, { error: 'boom' })) }).text.catch(
    (error) => error,
  );
  expect(failed).toBeInstanceOf(HTTPError);
  expect(failed.body).toEqual({ error: 'boom' });
});
