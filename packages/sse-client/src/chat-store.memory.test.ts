// The heap a long reply holds in the chat store stays proportional to its text and reasoning:
// every delta makes a new immutable part, and those parts must not keep a string piece per delta
// alive. Runs in the `sse-client-memory` project (`--expose-gc`, a process of its own).
import { beforeAll, describe, expect, it } from 'vitest';
import { createChatStore, messageText } from './index.js';
import { jsonPartsProtocol } from './test/json-parts-protocol.js';
import { usedHeapAfterGC } from './test/heap.js';
import { createFakeFetch, sseResponse } from './testing/index.js';

/** One-character deltas: 200,000 of reasoning, then 200,000 of text. */
const DELTAS = 200_000;
/**
 * At most 4 bytes of heap per character of text and reasoning together, plus 1 MiB for the
 * store, the conversation and the test's own state (see stream-parts.memory.test.ts). Grown with
 * `+=`, the text alone would hold about 32 bytes per delta (6 MiB here).
 */
const bound = (characters: number): number => 4 * characters + 1024 * 1024;

/** `count` reasoning deltas then `count` text deltas, 100 events to a network chunk, then a finish part. */
function* partChunks(count: number): Generator<string, void, undefined> {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (const type of ['reasoning-delta', 'text-delta']) {
    for (let start = 0; start < count; start += 100) {
      let chunk = '';
      for (let i = start; i < Math.min(count, start + 100); i += 1) chunk += `data: {"type":"${type}","delta":"${letters[i % 26]}"}\n\n`;
      yield chunk;
    }
  }
  yield 'data: {"type":"finish","finishReason":"stop"}\n\n';
}

const storeFor = (count: number) =>
  createChatStore({ url: '/chat/stream', fetch: createFakeFetch(() => sseResponse(partChunks(count))), protocol: jsonPartsProtocol });

describe('the heap a long reply holds in the chat store', () => {
  beforeAll(async () => {
    // Code compiled and state created on first use are not counted.
    await storeFor(5000).send('warm up');
  });

  it('at most 4 bytes per character of text and reasoning, plus a constant', async () => {
    const store = storeFor(DELTAS);
    const baseline = usedHeapAfterGC();
    await store.send('x');
    const held = usedHeapAfterGC() - baseline;
    const reply = store.getSnapshot().messages[1]!;
    expect(messageText(reply)).toHaveLength(DELTAS);
    expect(reply.parts.map((part) => part.type)).toEqual(['reasoning', 'text']);
    expect(held).toBeLessThan(bound(2 * DELTAS));
  });
});
