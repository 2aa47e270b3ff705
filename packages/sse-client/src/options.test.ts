// Every option is resolved and checked once, when the call starts, before anything is sent.
import { describe, expect, it } from 'vitest';
import { fetchEventStream, streamParts, streamTokens } from './index.js';
import { rejectionOf } from './test/helpers.js';
import { createFakeFetch, sseResponse, tokenEvents } from './testing/index.js';

const fakeFetch = () => createFakeFetch(() => sseResponse(tokenEvents(['ok'])));

describe('maxEventSize is checked before the request is sent', () => {
  it.each([0, -1, Number.NaN])('%s → RangeError, nothing sent', async (maxEventSize) => {
    const fetch = fakeFetch();
    const error = await rejectionOf(streamTokens('/c', { fetch, maxEventSize }).text);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe(`maxEventSize must be a positive number of UTF-16 code units, got ${maxEventSize}`);
    expect(fetch.requests).toHaveLength(0);
  });

  it('fails the same way for fetchEventStream and streamParts', async () => {
    const fetch = fakeFetch();
    await expect(fetchEventStream('/c', { fetch, maxEventSize: 0 }).next()).rejects.toThrow(RangeError);
    await expect(streamParts('/c', { fetch, maxEventSize: 0 }).result).rejects.toThrow(RangeError);
    expect(fetch.requests).toHaveLength(0);
  });
});

describe('reconnect and retry must be of their types', () => {
  it.each([
    [{ reconnect: 3 }, 'reconnect must be a boolean or an object, got 3'],
    [{ reconnect: 'yes' }, 'reconnect must be a boolean or an object, got "yes"'],
    [{ reconnect: null }, 'reconnect must be a boolean or an object, got null'],
    [{ retry: 'always' }, 'retry must be a boolean, a number or an object, got "always"'],
  ])('%o → RangeError, nothing sent', async (option, message) => {
    const fetch = fakeFetch();
    const error = await rejectionOf(streamTokens('/c', { fetch, ...(option as object) }).text);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe(message);
    expect(fetch.requests).toHaveLength(0);
  });

});
