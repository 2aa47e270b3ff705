import { describe, expect, it } from 'vitest';
import { TextAccumulator } from './text-accumulator.js';

describe('TextAccumulator', () => {
  it('starts empty, and append returns the text so far', () => {
    const text = new TextAccumulator();
    expect(text.text).toBe('');
    expect(text.append('Hel')).toBe('Hel');
    expect(text.append('')).toBe('Hel');
    expect(text.append('lo')).toBe('Hello');
    expect(text.text).toBe('Hello');
  });

  it('keeps the exact text across many flattenings, with pieces of any size and any characters', () => {
    const pieces = ['a', 'wörld', '😀', '', '\n', 'x'.repeat(300), '中文', '\u0000'];
    const text = new TextAccumulator();
    const expected: string[] = [];
    let mismatches = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const piece = pieces[(i * 7) % pieces.length]!;
      expected.push(piece);
      if (i % 997 === 0 && text.append(piece) !== expected.join('')) mismatches += 1;
      else if (i % 997 !== 0) text.append(piece);
    }
    expect(mismatches).toBe(0);
    expect(text.text).toBe(expected.join(''));
  });
});
