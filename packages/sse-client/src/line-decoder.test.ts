// The line decoder decodes each chunk as it arrives and carries only a character split across
// chunks (rules 1–4 of docs/event-stream-parsing.md are checked by line-decoder.property.test.ts).
import { describe, expect, it } from 'vitest';
import { createLineDecoder } from './line-decoder.js';

const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** A line decoder whose `decode` and `end` return the text they handed over, and how many pieces. */
function lineDecoder() {
  let text = '';
  let pieces = 0;
  const decoder = createLineDecoder((piece) => {
    text += piece;
    pieces += 1;
  });
  const taken = (): string => {
    const taken = text;
    text = '';
    return taken;
  };
  return {
    decode: (chunk: Uint8Array): string => (decoder.decode(chunk), taken()),
    end: (): string => (decoder.end(), taken()),
    pieces: () => pieces,
  };
}

describe('each chunk is handed over as it arrives, in one piece', () => {
  it('an unfinished line is handed over too: nothing but a split character is held', () => {
    const decoder = lineDecoder();
    expect(decoder.decode(utf8('data: a'))).toBe('data: a');
    expect(decoder.decode(utf8('bc'))).toBe('bc');
    expect(decoder.decode(utf8('d\ndata: e'))).toBe('d\ndata: e');
    expect(decoder.end()).toBe('');
    expect(decoder.pieces()).toBe(3);
  });

  it('the first bytes of a character split across chunks are carried to the next chunk', () => {
    const decoder = lineDecoder();
    const bytes = utf8('abc😀');
    expect(decoder.decode(bytes.subarray(0, 5))).toBe('abc'); // the emoji's first 2 bytes are carried
    expect(decoder.decode(bytes.subarray(5, 6))).toBe(''); // 3 of 4: still carried
    expect(decoder.decode(new Uint8Array(0))).toBe(''); // an empty chunk
    expect(decoder.decode(Uint8Array.of(bytes[6]!, 0x0a))).toBe('😀\n');
    expect(decoder.pieces()).toBe(2);
  });

  it('a carried sequence that the next chunk does not continue becomes one U+FFFD, as in a streaming decoder', () => {
    const decoder = lineDecoder();
    expect(decoder.decode(Uint8Array.of(0x61, 0xe4, 0xb8))).toBe('a');
    expect(decoder.decode(utf8('b\n'))).toBe('\uFFFDb\n');
    expect(decoder.decode(Uint8Array.of(0xf0, 0x9f))).toBe('');
    expect(decoder.end()).toBe('\uFFFD');
  });

  it('lead bytes that begin no sequence (C0, C1, F5–FF) are not carried', () => {
    for (const lead of [0xc0, 0xc1, 0xf5, 0xf8, 0xff]) {
      const decoder = lineDecoder();
      expect(decoder.decode(Uint8Array.of(0x61, lead)), lead.toString(16)).toBe('a\uFFFD');
      expect(decoder.decode(Uint8Array.of(0x80)), lead.toString(16)).toBe('\uFFFD');
    }
  });

  it('a byte order mark is removed once, also when its bytes arrive in three chunks', () => {
    const decoder = lineDecoder();
    expect(decoder.decode(Uint8Array.of(0xef))).toBe('');
    expect(decoder.decode(Uint8Array.of(0xbb))).toBe('');
    expect(decoder.decode(Uint8Array.of(0xbf))).toBe('');
    expect(decoder.decode(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe('\uFEFFa');
    expect(decoder.pieces()).toBe(1);
  });

  it('a long unfinished line split inside characters is handed over as it arrives, all but the split character', () => {
    const decoder = lineDecoder();
    const chunk = utf8('中'.repeat(1000)); // 3000 bytes
    let handed = 0;
    for (let index = 0; index < 350; index += 1) {
      // Split one byte into the next character each time: 1 or 2 bytes carried.
      handed += decoder.decode(chunk.subarray(0, 2999 - (index % 2))).length;
      handed += decoder.decode(chunk.subarray(2999 - (index % 2))).length;
    }
    expect(handed).toBe(350 * 1000);
    expect(decoder.end()).toBe('');
  });
});
