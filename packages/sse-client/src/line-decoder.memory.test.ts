// The byte layer holds no more than the string parser it feeds: the line decoder keeps at most the
// 3 bytes of a character split across chunks, however long the unfinished line, so a pending event
// just under maxEventSize holds what `ParserOptions.maxEventSize` documents for the parser alone.
// Runs in the `sse-client-memory` project (`--expose-gc`, a process of its own).
import { describe, expect, it } from 'vitest';
import { createLineDecoder } from './line-decoder.js';
import { createParser } from './parse.js';
import { retainedBytes, usedHeapAfterGC } from './test/heap.js';

const MAX_EVENT_SIZE = 1024 * 1024;
/** Documented on `ParserOptions.maxEventSize`: bytes per code unit held by the pending event. */
const PENDING_EVENT_BYTES_PER_UNIT = { oneByte: 1.5, twoByte: 2.5 };
const MARGIN = 256;
const encoder = new TextEncoder();

/**
 * Feeds `data: ` and then `units` code units of `character` repeated, as UTF-8 bytes in new chunks
 * of 1 to 256 bytes (so cut inside multibyte characters), to `decode`.
 */
function feedLine(decode: (chunk: Uint8Array) => void, character: string, units: number): void {
  decode(encoder.encode('data: '));
  const bytes = encoder.encode(character.repeat(units));
  for (let offset = 0, index = 0; offset < bytes.length; index += 1) {
    const size = 1 + ((index * 7919) % 256);
    decode(bytes.slice(offset, offset + size));
    offset += size;
  }
}

describe('the line decoder holds at most a split character, however long the unfinished line', () => {
  it.each([
    ['ASCII', 'x'],
    ['CJK, 3 bytes a character', '中'],
    ['emoji, 4 bytes a character', '😀'],
  ])('%s: after a 1 MiB line, the decoder holds a small constant, not the line', (_name, character) => {
    feedLine(createLineDecoder(() => undefined).decode, character, 1000); // compiled first
    // The heap and the array buffers outside it (a chunk's bytes, when held, live there).
    const used = (): number => usedHeapAfterGC() + process.memoryUsage().arrayBuffers;
    const before = used();
    const decoder = createLineDecoder(() => undefined);
    feedLine(decoder.decode, character, MAX_EVENT_SIZE / character.length);
    const held = used() - before;
    decoder.end();
    // The decoder's own objects and the heap's noise (measured: 16–28 KiB); the line is 1 MiB or more.
    expect(held).toBeLessThan(64 * 1024);
  });
});

describe('a pending event just under maxEventSize, fed as bytes: what the parser alone may hold', () => {
  it.each([
    ['one-byte text', 'x', PENDING_EVENT_BYTES_PER_UNIT.oneByte],
    ['two-byte text (CJK)', '中', PENDING_EVENT_BYTES_PER_UNIT.twoByte],
  ])('%s', (_name, character, bound) => {
    const pipeline = () => {
      const parser = createParser(
        {
          onEvent: () => expect.fail('the event must still be pending'),
          onError: () => expect.fail('the event must stay under maxEventSize'),
        },
        { maxEventSize: MAX_EVENT_SIZE },
      );
      return { parser, decoder: createLineDecoder((text) => parser.feed(text)) };
    };
    feedLine(pipeline().decoder.decode, character, 1000); // compiled first
    const held = retainedBytes(() => {
      const state = pipeline();
      feedLine(state.decoder.decode, character, MAX_EVENT_SIZE - 'data: '.length - MARGIN);
      return state;
    });
    expect(held / MAX_EVENT_SIZE).toBeLessThanOrEqual(bound);
  });
});
