// The line decoder holds an unfinished line's bytes until its line ending arrives, and bounds
// what it holds (rules 1–4 of docs/event-stream-parsing.md are checked by line-decoder.property.test.ts).
import { describe, expect, it } from 'vitest';
import { createLineDecoder } from './line-decoder.js';

const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** A line decoder whose `decode` and `end` return the text they handed over. */
function lineDecoder(maxHeldBytes: number) {
  let text = '';
  const decoder = createLineDecoder(maxHeldBytes, (piece) => (text += piece));
  const taken = (): string => {
    const taken = text;
    text = '';
    return taken;
  };
  return {
    decode: (chunk: Uint8Array): string => (decoder.decode(chunk), taken()),
    end: (): string => (decoder.end(), taken()),
  };
}

describe('an unfinished line is held until its line ending arrives', () => {
  it('a line in three chunks is decoded once, when its LF arrives', () => {
    const decoder = lineDecoder(Infinity);
    expect(decoder.decode(utf8('data: a'))).toBe('');
    expect(decoder.decode(utf8('bc'))).toBe('');
    expect(decoder.decode(utf8('d\ndata: e'))).toBe('data: abcd\n');
    expect(decoder.end()).toBe('data: e');
  });

  it('more than maxHeldBytes are decoded anyway, all but a character that may be incomplete', () => {
    const decoder = lineDecoder(8);
    expect(decoder.decode(utf8('data: '))).toBe('');
    const bytes = utf8('abc😀');
    expect(decoder.decode(bytes.subarray(0, 5))).toBe('data: abc'); // the emoji's first 2 bytes are held
    expect(decoder.decode(bytes.subarray(5))).toBe('');
    expect(decoder.decode(utf8('\n'))).toBe('😀\n');
  });

  it('a line arriving a byte at a time is not held as thousands of chunks: small chunks are decoded every 128', () => {
    const decoder = lineDecoder(Infinity);
    const byte = utf8('x');
    let text = decoder.decode(utf8('data: '));
    let calls = 0;
    while (text === '' && calls < 1000) {
      text = decoder.decode(byte);
      calls += 1;
    }
    expect(calls).toBeLessThanOrEqual(128);
    expect(text).toBe(`data: ${'x'.repeat(calls)}`);
  });
});
