// Exhaustive tests of the line decoder (rules 1–4 of docs/event-stream-parsing.md) on short byte
// sequences: every sequence of up to three bytes from an alphabet of the bytes that matter to
// UTF-8 (ASCII, CR, LF, continuation bytes at the edges of the ranges lead bytes accept, every
// kind of lead byte, bytes never valid), each under every chunking, with an empty chunk too. The
// oracle is one streaming TextDecoder: the decoder's text must be exactly its text.
import { describe, expect, it } from 'vitest';
import { createLineDecoder } from './line-decoder.js';

const ALPHABET = [
  0x41, 0x0a, 0x0d, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xbb, 0xf0, 0xf4, 0xf5, 0xff,
];

/** The text of one streaming TextDecoder fed `chunks` (which removes one leading BOM). */
function streamingText(chunks: readonly Uint8Array[]): string {
  const decoder = new TextDecoder();
  let text = '';
  for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** The line decoder's text for `chunks`; each piece it hands over must not be empty. */
function decoderText(chunks: readonly Uint8Array[]): string {
  let text = '';
  const decoder = createLineDecoder((piece) => {
    if (piece === '') throw new Error('an empty piece was handed over');
    text += piece;
  });
  for (const chunk of chunks) decoder.decode(chunk);
  decoder.end();
  return text;
}

/** Every way of cutting `bytes` into chunks (2^(n-1) of them), plus one with empty chunks around. */
function* everyChunking(bytes: readonly number[]): Generator<Uint8Array[]> {
  const cuts = Math.max(0, bytes.length - 1);
  for (let mask = 0; mask < 1 << cuts; mask += 1) {
    const chunks: Uint8Array[] = [];
    let start = 0;
    for (let index = 1; index < bytes.length; index += 1) {
      if (mask & (1 << (index - 1))) {
        chunks.push(Uint8Array.from(bytes.slice(start, index)));
        start = index;
      }
    }
    chunks.push(Uint8Array.from(bytes.slice(start)));
    yield chunks;
  }
  yield [new Uint8Array(0), ...bytes.map((byte) => Uint8Array.of(byte)), new Uint8Array(0)];
}

function expectSameAsStreaming(bytes: readonly number[]): void {
  const expected = streamingText([Uint8Array.from(bytes)]);
  for (const chunks of everyChunking(bytes)) {
    const got = decoderText(chunks);
    if (got !== expected) {
      // One readable failure rather than thousands of assertions.
      expect({ chunks: chunks.map((chunk) => [...chunk]), got }).toStrictEqual({ chunks: chunks.map((chunk) => [...chunk]), got: expected });
    }
  }
}

describe('the line decoder equals one streaming TextDecoder on every short sequence, under every chunking', () => {
  it('every sequence of up to three bytes of the alphabet', () => {
    for (const a of ALPHABET) {
      expectSameAsStreaming([a]);
      for (const b of ALPHABET) {
        expectSameAsStreaming([a, b]);
        for (const c of ALPHABET) expectSameAsStreaming([a, b, c]);
      }
    }
  });

  it('valid 2-, 3- and 4-byte characters at the edges of their ranges, cut at every byte, between other bytes', () => {
    const characters = ['\u0080', '\u07ff', '\u0800', '\u0fff', '\ud7ff', '\ue000', '\ufeff', '\uffff', '\u{10000}', '\u{10ffff}', '😀'];
    const encoder = new TextEncoder();
    for (const character of characters) {
      const bytes = [...encoder.encode(character)];
      for (const [before, after] of [
        [[], []],
        [[0x41], [0x0a]],
        [[0xc3], [0x80]],
        [[0xf0, 0x9f], [0xbf]],
      ] as const) {
        expectSameAsStreaming([...before, ...bytes, ...after]);
        // The character truncated at every length, at the end of the stream and before ASCII.
        for (let length = 1; length < bytes.length; length += 1) {
          expectSameAsStreaming([...before, ...bytes.slice(0, length)]);
          expectSameAsStreaming([...before, ...bytes.slice(0, length), 0x0a]);
        }
      }
    }
  });

  it('a byte order mark split across chunks is removed once; a second one, and one after other text, is kept', () => {
    const bom = [0xef, 0xbb, 0xbf];
    expectSameAsStreaming([...bom, 0x41]);
    expectSameAsStreaming([...bom, ...bom, 0x41]);
    expectSameAsStreaming([0x41, ...bom]);
    expectSameAsStreaming([...bom]);
    expectSameAsStreaming([0xef, 0xbb, 0x41, ...bom]);
    expect(decoderText([Uint8Array.of(0xef), Uint8Array.of(0xbb), Uint8Array.of(0xbf, 0xef), Uint8Array.of(0xbb, 0xbf)])).toBe('\ufeff');
    // An invalid byte first: U+FFFD is the first character, so a BOM after it is kept.
    expect(decoderText([Uint8Array.of(0xff), Uint8Array.of(...bom)])).toBe('\ufffd\ufeff');
  });

  it('chunks of continuation bytes only, after a lead byte and alone, and empty chunks between them', () => {
    expectSameAsStreaming([0x80, 0x80, 0x80, 0x80, 0x80]);
    expectSameAsStreaming([0xf0, 0x90, 0x80, 0x80, 0x80, 0x80]);
    expectSameAsStreaming([0xe0, 0x80, 0x80, 0x0a]);
    expect(decoderText([Uint8Array.of(0xf0), new Uint8Array(0), Uint8Array.of(0x9f), new Uint8Array(0), Uint8Array.of(0x98, 0x80)])).toBe('😀');
  });
});
