// Every option is resolved and checked once, when the call starts, before anything is sent.
import { describe, expect, it } from 'vitest';
import { fetchEventStream, streamParts, streamTokens } from './index.js';
import { toReconnectPolicy, toRetryPolicy } from './options.js';
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

describe('which numbers must be whole: the counts of reconnect, by name', () => {
  // reconnect.limit and reconnect.totalLimit count reconnections; its delays and every field of
  // retry are amounts (a fractional retry.limit allows the whole retries below it).
  it('accepts fractional delays and infinite counts', () => {
    expect(toReconnectPolicy({ limit: Infinity, totalLimit: Infinity, delay: 0.5, minDelay: 1.5 })).toEqual({
      limit: Infinity,
      totalLimit: Infinity,
      delay: 0.5,
      minDelay: 1.5,
    });
    expect(toRetryPolicy({ limit: 1.5, delay: 0.5, backoffFactor: 1.5, maxDelay: Infinity })).toMatchObject({
      limit: 1.5,
      delay: 0.5,
      backoffFactor: 1.5,
      maxDelay: Infinity,
    });
  });

  it.each([
    ['limit', 1.5, 'reconnect.limit must be a non-negative integer (or Infinity), got 1.5'],
    ['totalLimit', 2.5, 'reconnect.totalLimit must be a non-negative integer (or Infinity), got 2.5'],
    ['delay', Infinity, 'reconnect.delay must be a non-negative number, got Infinity'],
    ['minDelay', Infinity, 'reconnect.minDelay must be a non-negative number, got Infinity'],
  ])('reconnect.%s: %s → RangeError', (key, value, message) => {
    expect(() => toReconnectPolicy({ [key]: value })).toThrow(new RangeError(message));
  });
});
