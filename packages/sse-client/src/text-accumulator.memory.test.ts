// The accumulator behind every streamed text keeps its heap proportional to the text.
// Runs in the `sse-client-memory` project (`--expose-gc`, a process of its own).
import { describe, expect, it } from 'vitest';
import { retainedBytes } from './test/heap.js';
import { TextAccumulator } from './text-accumulator.js';

const APPENDS = 500_000;

/** One-character pieces as a decoder makes them (`JSON.parse`), not literals. */
function pieces(): string[] {
  return Array.from('abcdefghijklmnopqrstuvwxyz', (letter) => JSON.parse(`"${letter}"`) as string);
}

describe('TextAccumulator: memory', () => {
  it('holds at most 2 bytes per character of one-byte text after 500,000 one-character appends (a plain += holds ~32)', () => {
    const letters = pieces();
    const held = retainedBytes(() => {
      const text = new TextAccumulator();
      for (let i = 0; i < APPENDS; i += 1) text.append(letters[i % letters.length]!);
      return text;
    });
    // The text at 1 byte a character, plus at most one 32-byte rope node per 32 characters.
    expect(held).toBeLessThan(2 * APPENDS + 64 * 1024);
  });

  it('holds at most 3 bytes per character of two-byte text', () => {
    const held = retainedBytes(() => {
      const text = new TextAccumulator();
      for (let i = 0; i < APPENDS; i += 1) text.append(i % 2 === 0 ? 'é' : '中');
      return text;
    });
    expect(held).toBeLessThan(3 * APPENDS + 64 * 1024);
  });
});
