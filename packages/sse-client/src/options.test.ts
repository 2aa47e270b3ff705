// Every option is resolved and checked once, when the call starts, before anything is sent.
import { describe, expect, it } from 'vitest';
import { fetchEventStream, streamParts, streamTokens } from './index.js';
import { isJsonBody, toReconnectPolicy, toRetryPolicy } from './options.js';
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

// The exact checks and messages, pinned so that the option code can be made smaller safely.
describe('every option check and its message', () => {
  it.each([
    [{ idleTimeout: 0 }, 'idleTimeout must be a positive number of milliseconds or false, got 0'],
    [{ timeout: -5 }, 'timeout must be a positive number of milliseconds or false, got -5'],
    [{ timeout: null }, 'timeout must be a positive number of milliseconds or false, got null'],
    [{ idleTimeout: 'never' }, 'idleTimeout must be a positive number of milliseconds or false, got "never"'],
    [{ maxEventSize: -Infinity }, 'maxEventSize must be a positive number of UTF-16 code units, got -Infinity'],
    [{ reconnect: { minDelay: 'soon' } }, 'reconnect.minDelay must be a non-negative number, got "soon"'],
    [{ retry: -1 }, 'retry.limit must be a non-negative number, got -1'],
    [{ retry: Number.NaN }, 'retry.limit must be a non-negative number, got NaN'],
    [{ retry: { delay: -1 } }, 'retry.delay must be a non-negative number, got -1'],
    [{ retry: { backoffFactor: Number.NaN } }, 'retry.backoffFactor must be a non-negative number, got NaN'],
    [{ retry: { maxDelay: -Infinity } }, 'retry.maxDelay must be a non-negative number, got -Infinity'],
    [{ retry: { limit: -1, delay: -1 } }, 'retry.limit must be a non-negative number, got -1'],
    [{ retry: { delay: -1, maxDelay: -1 } }, 'retry.delay must be a non-negative number, got -1'],
    [{ retry: null }, 'retry must be a boolean, a number or an object, got null'],
    [{ reconnect: { totalLimit: -1 } }, 'reconnect.totalLimit must be a non-negative integer (or Infinity), got -1'],
    [{ reconnect: { delay: Number.NaN } }, 'reconnect.delay must be a non-negative number, got NaN'],
    [{ reconnect: { limit: -Infinity } }, 'reconnect.limit must be a non-negative integer (or Infinity), got -Infinity'],
    [{ reconnect: { delay: -1, limit: 0.5 } }, 'reconnect.limit must be a non-negative integer (or Infinity), got 0.5'],
  ])('%o → RangeError, nothing sent', async (option, message) => {
    const fetch = fakeFetch();
    const error = await rejectionOf(streamTokens('/c', { fetch, ...(option as object) }).text);
    expect(error).toEqual(new RangeError(message));
    expect(error).toBeInstanceOf(RangeError);
    expect(fetch.requests).toHaveLength(0);
  });

  it.each([
    { idleTimeout: false as const, timeout: Infinity, maxEventSize: Infinity },
    { idleTimeout: Infinity, timeout: false as const, maxEventSize: 1e9 },
    { idleTimeout: 0.5, timeout: 1e12, retry: 0, reconnect: true },
    { retry: { limit: Infinity, delay: 0, backoffFactor: 0, maxDelay: Infinity, jitter: false }, reconnect: { limit: 0, totalLimit: 0, delay: 0, minDelay: 0 } },
    { retry: { limit: undefined, statusCodes: [], unknownKey: -1 }, reconnect: { limit: undefined, unknownKey: -1 } },
  ])('%o is accepted', async (option) => {
    const fetch = fakeFetch();
    await expect(streamTokens('/c', { fetch, ...(option as object) }).text).resolves.toBe('ok');
    expect(fetch.requests).toHaveLength(1);
  });

  it('a number of retries is the limit, over the defaults; true is the defaults; false none', () => {
    const defaults = { limit: 2, statusCodes: [408, 429, 500, 502, 503, 504], delay: 1000, backoffFactor: 2, maxDelay: 30_000, jitter: true, onRetry: undefined };
    expect(toRetryPolicy(5)).toEqual({ ...defaults, limit: 5 });
    expect(toRetryPolicy(true)).toEqual(defaults);
    expect(toRetryPolicy(false)).toEqual({ ...defaults, limit: 0 });
    expect(toRetryPolicy(undefined)).toEqual({ ...defaults, limit: 0 });
    expect(toRetryPolicy({ delay: 5, limit: undefined })).toEqual({ ...defaults, delay: 5 });
    expect(toReconnectPolicy(true)).toEqual({ limit: 3, totalLimit: 20, delay: 1000, minDelay: 500 });
    expect(toReconnectPolicy({ minDelay: 0, delay: undefined })).toEqual({ limit: 3, totalLimit: 20, delay: 1000, minDelay: 0 });
    expect(toReconnectPolicy(false)).toBeUndefined();
    expect(toReconnectPolicy(undefined)).toBeUndefined();
  });
});

describe('which bodies are sent as JSON', () => {
  it.each([
    [{ a: 1 }, true],
    [[1, 2], true],
    [Object.create(null) as object, true],
    [Object.assign(Object.create(null) as object, { a: 1 }), true],
    [new (class Prompt {
      text = 'hi';
    })(), false],
    [new URLSearchParams('a=1'), false],
    [new Blob(['x']), false],
    [new Uint8Array(1), false],
    [new Date(0), false],
    [Object.create({}) as object, false],
    ['{"a":1}', false],
    [1, false],
    [true, false],
    [Symbol('s'), false],
    [() => undefined, false],
    [null, false],
    [undefined, false],
  ])('%o → %s', (body, json) => {
    expect(isJsonBody(body)).toBe(json);
  });
});
