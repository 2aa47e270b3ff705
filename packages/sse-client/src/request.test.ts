import { afterEach, describe, expect, it, vi } from 'vitest';
import { streamPartBatches } from './stream-parts.js';
import { createFakeFetch, errorResponse, sseResponse, tokenEvents } from './testing/index.js';

/** Reads every batch of an engine, returning the parts and how it ended. */
async function run(engine: AsyncGenerator<readonly { type: string }[], { text: string }, undefined>) {
  const types: string[] = [];
  try {
    for (let next = await engine.next(); ; next = await engine.next()) {
      if (next.done) return { types, text: next.value.text, error: undefined };
      types.push(...next.value.map((part) => part.type));
    }
  } catch (error) {
    return { types, text: undefined, error };
  }
}

describe('the onResponse hook (the chat store\'s): an observer', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('what it throws is reported, and the response is read on (its body is never left open)', async () => {
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    const hookError = new Error('hook failed');
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo'])));
    const result = await run(
      streamPartBatches('/chat/stream', {
        fetch,
        onResponse: () => {
          throw hookError;
        },
      }),
    );
    expect(result).toEqual({ types: ['text-delta', 'text-delta', 'finish'], text: 'Hello', error: undefined });
    expect(reportError.mock.calls).toEqual([[hookError]]);
    expect(fetch.requests[0]!.response!.bodyUsed).toBe(true);
  });

  it('on a failed status too: the error body is read and the HTTPError thrown', async () => {
    vi.stubGlobal('reportError', vi.fn());
    const fetch = createFakeFetch(() => errorResponse(500, { error: 'boom' }));
    const result = await run(
      streamPartBatches('/chat/stream', {
        fetch,
        onResponse: () => {
          throw new Error('hook failed');
        },
      }),
    );
    expect(result.error).toMatchObject({ name: 'HTTPError', status: 500, body: { error: 'boom' } });
    expect(fetch.requests[0]!.response!.bodyUsed).toBe(true);
  });
});
