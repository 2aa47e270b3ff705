// The heap a long part stream holds while it streams stays proportional to its text and
// reasoning: streamParts keeps both (for errors and for `result`), and must not keep a string
// piece per delta alive. Runs in the `sse-client-memory` project (`--expose-gc`, a process of its own).
import { beforeAll, describe, expect, it } from 'vitest';
import { streamParts } from './index.js';
import { jsonPartsProtocol } from './test/json-parts-protocol.js';
import { usedHeapAfterGC } from './test/heap.js';
import { createFakeFetch, sseResponse } from './testing/index.js';

/** One-character deltas of each kind: 200,000 of text and 200,000 of reasoning, interleaved. */
const DELTAS = 200_000;
/**
 * At most 4 bytes of heap per character of text and reasoning together, plus 1 MiB for the
 * request, the parser and the test's own state: each text is stored at 1 byte a character, plus at
 * most one 32-byte rope node per 32 characters appended since it was last flattened. Kept with
 * `+=`, the reasoning alone would hold about 32 bytes per delta (6 MiB here).
 */
const bound = (characters: number): number => 4 * characters + 1024 * 1024;

/** `count` text deltas and `count` reasoning deltas, 100 events to a network chunk, then a finish part. */
function* partChunks(count: number): Generator<string, void, undefined> {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let start = 0; start < count; start += 50) {
    let chunk = '';
    for (let i = start; i < Math.min(count, start + 50); i += 1) {
      chunk += `data: {"type":"reasoning-delta","delta":"${letters[i % 26]}"}\n\n`;
      chunk += `data: {"type":"text-delta","delta":"${letters[(i + 13) % 26]}"}\n\n`;
    }
    yield chunk;
  }
  yield 'data: {"type":"finish","finishReason":"stop"}\n\n';
}

describe('the heap held while a long part stream streams', () => {
  beforeAll(async () => {
    // Code compiled and state created on first use are not counted.
    await streamParts('/chat/stream', { fetch: createFakeFetch(() => sseResponse(partChunks(5000))), protocol: jsonPartsProtocol }).result;
  });

  it('streamParts: at most 4 bytes per character of text and reasoning, plus a constant', async () => {
    const fetch = createFakeFetch(() => sseResponse(partChunks(DELTAS)));
    const baseline = usedHeapAfterGC();
    let held: number | undefined;
    let texts = 0;
    const stream = streamParts('/chat/stream', {
      fetch,
      protocol: jsonPartsProtocol,
      onPart: (part) => {
        // At the last text delta, before the stream has ended: everything streaming holds is live.
        if (part.type === 'text-delta' && ++texts === DELTAS) held = usedHeapAfterGC() - baseline;
      },
    });
    const { text, reasoning } = await stream.result;
    expect(text.length).toBe(DELTAS);
    expect(reasoning.length).toBe(DELTAS);
    expect(held).toBeDefined();
    expect(held).toBeLessThan(bound(2 * DELTAS));
  });
});
