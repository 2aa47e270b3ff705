// The heap a long stream holds while it streams stays proportional to its text: appending
// half a million one-character tokens must not keep half a million string pieces alive.
// Runs in the `sse-client-memory` project (`--expose-gc`, a process of its own).
import { beforeAll, describe, expect, it } from 'vitest';
import { createChatStore, streamTokens } from './index.js';
import { usedHeapAfterGC } from './test/heap.js';
import { createFakeFetch, sseResponse } from './testing/index.js';

const TOKENS = 500_000;
/** One token per network chunk costs more per token (a chunk each): fewer, to stay fast. */
const STORE_TOKENS = 100_000;
/**
 * The documented bound for one-byte (Latin-1) text: at most 4 bytes of heap per character, plus
 * 1 MiB for the request, the parser and the test's own state. Two texts are built while streaming
 * (the client's, for errors, and the one given to `onToken` or put in the snapshot); each is
 * stored at 1 byte a character, plus at most one 32-byte rope node per 32 characters appended
 * since it was last flattened. Before the fix it was about 70 bytes per token (33 MiB).
 */
const bound = (characters: number): number => 4 * characters + 1024 * 1024;

/** The events of `count` one-character tokens, `perChunk` to a network chunk, then `[DONE]`: made as they are read. */
function* tokenChunks(count: number, perChunk: number): Generator<string, void, undefined> {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let start = 0; start < count; start += perChunk) {
    let chunk = '';
    for (let i = start; i < Math.min(count, start + perChunk); i += 1) chunk += `data: {"token":"${letters[i % 26]}"}\n\n`;
    yield chunk;
  }
  yield 'data: [DONE]\n\n';
}

/** Runs a short stream first, so that code compiled and state created on first use are not counted. */
async function warmUp(): Promise<void> {
  await streamTokens('/chat/stream', { fetch: createFakeFetch(() => sseResponse(tokenChunks(5000, 100))) }).text;
  await createChatStore({ url: '/chat/stream', fetch: createFakeFetch(() => sseResponse(tokenChunks(5000, 1))) }).send('x');
}

describe('the heap held while a long stream streams', () => {
  beforeAll(warmUp);

  it('streamTokens with onToken: at most 4 bytes per character of text, plus a constant', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenChunks(TOKENS, 100)));
    const baseline = usedHeapAfterGC();
    let held: number | undefined;
    const stream = streamTokens('/chat/stream', {
      fetch,
      onToken: (_token, text) => {
        // At the last token, before the stream has ended: everything streaming holds is live.
        if (text.length === TOKENS) held = usedHeapAfterGC() - baseline;
      },
    });
    const text = await stream.text;
    expect(text.length).toBe(TOKENS);
    expect(held).toBeDefined();
    expect(held).toBeLessThan(bound(TOKENS));
  });

  it('the chat store, one token per network chunk: at most 4 bytes per character of text, plus a constant', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenChunks(STORE_TOKENS, 1)));
    // Every change notified (no frame batching), so the listener sees the reply streaming at its full length.
    const store = createChatStore({ url: '/chat/stream', fetch, batch: false });
    const baseline = usedHeapAfterGC();
    let held: number | undefined;
    store.subscribe(() => {
      const { status, text } = store.getSnapshot();
      if (status === 'streaming' && text.length === STORE_TOKENS) held = usedHeapAfterGC() - baseline;
    });
    await store.send('x');
    expect(store.getSnapshot()).toMatchObject({ status: 'done' });
    expect(store.getSnapshot().text.length).toBe(STORE_TOKENS);
    expect(held).toBeDefined();
    expect(held).toBeLessThan(bound(STORE_TOKENS));
  });
});
