import { describe, expect, it } from 'vitest';
import {
  allTwoWaySplits,
  chunkings,
  createRandom,
  oneChunk,
  splitAt,
  splitEvery,
  splitIntoUnits,
  splitRandomly,
} from './chunking.js';

const text = 'event: a\r\ndata: 😀 é 中\n\n';
const bytes = new TextEncoder().encode(text);

function joinBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

describe('createRandom', () => {
  it('gives the same sequence for the same seed', () => {
    const a = createRandom(123);
    const b = createRandom(123);
    const first = Array.from({ length: 20 }, () => a());
    expect(Array.from({ length: 20 }, () => b())).toEqual(first);
  });

  it('gives different sequences for different seeds', () => {
    const a = createRandom(1);
    const b = createRandom(2);
    expect(Array.from({ length: 5 }, () => a())).not.toEqual(Array.from({ length: 5 }, () => b()));
  });

  it('returns numbers in [0, 1) that cover the range', () => {
    const random = createRandom(99);
    const values = Array.from({ length: 10_000 }, () => random());
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const buckets = new Array<number>(10).fill(0);
    for (const value of values) buckets[Math.floor(value * 10)]! += 1;
    // Each tenth of the range gets roughly a tenth of the draws.
    for (const count of buckets) expect(count).toBeGreaterThan(800);
  });
});

describe.each([
  { kind: 'string', input: text as string | Uint8Array, join: (chunks: (string | Uint8Array)[]) => chunks.join('') },
  { kind: 'Uint8Array', input: bytes, join: (chunks: (string | Uint8Array)[]) => joinBytes(chunks as Uint8Array[]) },
])('every strategy gives back the input when joined ($kind)', ({ input, join }) => {
  it('oneChunk', () => {
    expect(oneChunk(input)).toHaveLength(1);
    expect(join(oneChunk(input))).toEqual(input);
  });

  it('splitIntoUnits', () => {
    const chunks = splitIntoUnits(input);
    expect(chunks).toHaveLength(input.length);
    expect(chunks.every((chunk) => chunk.length === 1)).toBe(true);
    expect(join(chunks)).toEqual(input);
  });

  it.each([1, 2, 3, 7, 1000])('splitEvery %i', (size) => {
    const chunks = splitEvery(input, size);
    expect(chunks).toHaveLength(Math.ceil(input.length / size));
    expect(chunks.slice(0, -1).every((chunk) => chunk.length === size)).toBe(true);
    expect(join(chunks)).toEqual(input);
  });

  it('splitAt', () => {
    const chunks = splitAt(input, [0, 3, 3, 10, input.length]);
    expect(chunks.map((chunk) => chunk.length)).toEqual([0, 3, 0, 7, input.length - 10, 0]);
    expect(join(chunks)).toEqual(input);
  });

  it('allTwoWaySplits', () => {
    const pairs = [...allTwoWaySplits(input)];
    expect(pairs).toHaveLength(input.length + 1);
    pairs.forEach(([a, b], index) => {
      expect(a.length).toBe(index);
      expect(join([a, b])).toEqual(input);
    });
  });

  it.each([1, 2, 42])('splitRandomly (seed %i)', (seed) => {
    const chunks = splitRandomly(input, { seed, maxChunkSize: 4 });
    expect(chunks.every((chunk) => chunk.length >= 1 && chunk.length <= 4)).toBe(true);
    expect(join(chunks)).toEqual(input);
  });

  it('chunkings', () => {
    const list = chunkings(input, { seeds: [1, 2, 3] });
    expect(list).toHaveLength(2 + input.length + 1 + 3);
    expect(new Set(list.map((chunking) => chunking.name)).size).toBe(list.length);
    for (const { chunks } of list) expect(join(chunks)).toEqual(input);
  });
});

describe('byte chunks', () => {
  it('are copies: changing a chunk does not change the input', () => {
    const input = new Uint8Array([1, 2, 3, 4]);
    const [first] = splitEvery(input, 2);
    first![0] = 99;
    expect(input[0]).toBe(1);
  });

  it('may fall inside a multibyte character (so a decoder gets tested)', () => {
    const emoji = new TextEncoder().encode('😀');
    expect(splitIntoUnits(emoji).map((chunk) => [...chunk])).toEqual([[0xf0], [0x9f], [0x98], [0x80]]);
  });
});

describe('splitRandomly', () => {
  it('is deterministic: the same seed gives the same chunks', () => {
    const input = 'x'.repeat(500);
    expect(splitRandomly(input, { seed: 5 })).toEqual(splitRandomly(input, { seed: 5 }));
  });

  it('gives different chunks for different seeds', () => {
    const input = 'x'.repeat(500);
    const sizes = (seed: number) => splitRandomly(input, { seed }).map((chunk) => chunk.length);
    expect(sizes(5)).not.toEqual(sizes(6));
  });

  it('uses every size from 1 to maxChunkSize, and no other', () => {
    const sizes = splitRandomly('x'.repeat(5000), { seed: 3, maxChunkSize: 6 }).map((chunk) => chunk.length);
    // The last chunk may be cut short, so look at the others.
    expect(new Set(sizes.slice(0, -1))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });

  it('defaults maxChunkSize to 16', () => {
    const sizes = splitRandomly('x'.repeat(5000), { seed: 3 }).map((chunk) => chunk.length);
    expect(Math.max(...sizes)).toBe(16);
  });

  it('gives no chunks for an empty input', () => {
    expect(splitRandomly('', { seed: 1 })).toEqual([]);
    expect(splitEvery(new Uint8Array(0), 3)).toEqual([]);
  });
});

describe('argument checks', () => {
  it.each([0, -1, 1.5, Number.NaN])('splitEvery rejects size %s', (size) => {
    expect(() => splitEvery('abc', size)).toThrow(RangeError);
  });

  it.each([0, 2.5])('splitRandomly rejects maxChunkSize %s', (maxChunkSize) => {
    expect(() => splitRandomly('abc', { seed: 1, maxChunkSize })).toThrow(RangeError);
  });

  it.each([[[2, 1]], [[-1]], [[4]], [[1.5]]])('splitAt rejects positions %j in "abc"', (indices) => {
    expect(() => splitAt('abc', indices)).toThrow(RangeError);
  });
});

describe('chunkings', () => {
  it('names each chunking and starts with the whole input, then one unit per chunk', () => {
    const list = chunkings('ab', { seeds: [9] });
    expect(list.map((chunking) => chunking.name)).toEqual([
      'whole input in one chunk',
      'one code unit per chunk',
      'two-way split at code unit 0',
      'two-way split at code unit 1',
      'two-way split at code unit 2',
      'random chunks of 1..16 code units (seed 9)',
    ]);
    expect(chunkings(new Uint8Array([1]), { seeds: [] })[1]!.name).toBe('one byte per chunk');
  });

  it('leaves out the two-way splits when asked', () => {
    expect(chunkings('abcdef', { seeds: [1, 2], twoWaySplits: false })).toHaveLength(4);
  });

  it('is deterministic', () => {
    expect(chunkings(text)).toEqual(chunkings(text));
  });
});
