/**
 * Chunking utilities for testing stream parsers: split one input (a string of decoded text, or
 * the bytes of a response body) into chunks in many different ways, so a test can feed every
 * chunking to a parser and expect the same result each time.
 *
 * Every function here is deterministic (random splits take a seed), framework-free and has no
 * dependencies. Joining the chunks a function returns always gives back the input.
 *
 * A `string` is split between UTF-16 code units, so a split may fall between the two halves of
 * an emoji's surrogate pair (harsher than a streaming `TextDecoder`, which never does that; a
 * parser that only looks for line endings and colons does not mind). A `Uint8Array` is split
 * between bytes, so a split may fall inside a multibyte UTF-8 character, which a byte-stream
 * reader must cope with. Byte chunks are copies, never views of the input's buffer.
 *
 * @module
 */

/** What the chunking functions split: decoded text (in UTF-16 code units) or bytes. */
export type Chunkable = string | Uint8Array;

/**
 * Creates a seeded pseudo-random number generator (mulberry32): the same seed always gives the
 * same sequence. Not for cryptography; for reproducible tests.
 *
 * @param seed - Any number; it is truncated to an unsigned 32-bit integer (`1.5` and `1` are the same seed).
 * @returns A function returning the next number of the sequence, in `[0, 1)`.
 *
 * @example
 * ```ts
 * const random = createRandom(42);
 * const roll = 1 + Math.floor(random() * 6); // 1..6, the same on every run
 * ```
 */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sliceOf<T extends Chunkable>(input: T, start: number, end: number): T {
  // `Uint8Array#slice` copies, so a consumer that transfers or mutates a chunk cannot affect the input.
  return input.slice(start, end) as T;
}

function assertInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer of at least ${min}, got ${String(value)}`);
  }
}

/**
 * The input as one chunk: `[input]` (also for an empty input).
 *
 * @example
 * ```ts
 * oneChunk('data: x\n\n'); // ['data: x\n\n']
 * ```
 */
export function oneChunk(input: string): string[];
export function oneChunk(input: Uint8Array): Uint8Array[];
export function oneChunk(input: Chunkable): string[] | Uint8Array[];
export function oneChunk(input: Chunkable): string[] | Uint8Array[] {
  return [sliceOf(input, 0, input.length)] as string[] | Uint8Array[];
}

/**
 * Splits the input into chunks of `size` code units (for a string) or bytes (for a
 * `Uint8Array`); the last chunk may be shorter. An empty input gives no chunks.
 *
 * @param size - The chunk length, a positive integer.
 * @throws {RangeError} when `size` is not a positive integer.
 *
 * @example
 * ```ts
 * splitEvery('abcde', 2); // ['ab', 'cd', 'e']
 * splitEvery(new TextEncoder().encode('é'), 1); // [Uint8Array [0xc3], Uint8Array [0xa9]]
 * ```
 */
export function splitEvery(input: string, size: number): string[];
export function splitEvery(input: Uint8Array, size: number): Uint8Array[];
export function splitEvery(input: Chunkable, size: number): string[] | Uint8Array[];
export function splitEvery(input: Chunkable, size: number): string[] | Uint8Array[] {
  assertInteger('size', size, 1);
  const chunks: Chunkable[] = [];
  for (let start = 0; start < input.length; start += size) {
    chunks.push(sliceOf(input, start, start + size));
  }
  return chunks as string[] | Uint8Array[];
}

/**
 * One code unit (string) or one byte (`Uint8Array`) per chunk: the harshest regular chunking.
 * Same as `splitEvery(input, 1)`.
 *
 * @example
 * ```ts
 * splitIntoUnits('a\r\n'); // ['a', '\r', '\n']
 * ```
 */
export function splitIntoUnits(input: string): string[];
export function splitIntoUnits(input: Uint8Array): Uint8Array[];
export function splitIntoUnits(input: Chunkable): string[] | Uint8Array[];
export function splitIntoUnits(input: Chunkable): string[] | Uint8Array[] {
  return splitEvery(input, 1);
}

/**
 * Splits the input at the given positions: chunk `k` runs from `indices[k - 1]` (or 0) to
 * `indices[k]` (or the end). Positions are offsets in code units (string) or bytes
 * (`Uint8Array`), in ascending order, each from 0 to `input.length`. A repeated position, 0 or
 * `input.length` gives an empty chunk, on purpose: a parser must accept empty chunks too.
 *
 * @param indices - Split positions, ascending integers in `[0, input.length]`.
 * @returns `indices.length + 1` chunks.
 * @throws {RangeError} when a position is not an integer, is out of range or is smaller than the one before it.
 *
 * @example
 * ```ts
 * splitAt('data: x\r\n\r\n', [8]); // ['data: x\r', '\n\r\n']: CR and LF in different chunks
 * splitAt('ab', [0, 2]); // ['', 'ab', '']
 * ```
 */
export function splitAt(input: string, indices: readonly number[]): string[];
export function splitAt(input: Uint8Array, indices: readonly number[]): Uint8Array[];
export function splitAt(input: Chunkable, indices: readonly number[]): string[] | Uint8Array[];
export function splitAt(input: Chunkable, indices: readonly number[]): string[] | Uint8Array[] {
  const chunks: Chunkable[] = [];
  let start = 0;
  for (const index of indices) {
    if (!Number.isInteger(index) || index < start || index > input.length) {
      throw new RangeError(
        `Split positions must be ascending integers from 0 to ${input.length}, got ${String(index)} after ${start}`,
      );
    }
    chunks.push(sliceOf(input, start, index));
    start = index;
  }
  chunks.push(sliceOf(input, start, input.length));
  return chunks as string[] | Uint8Array[];
}

/**
 * Every way to split the input in two: `[input.slice(0, i), input.slice(i)]` for each `i` from
 * 0 to `input.length` (so `input.length + 1` pairs, the first and last with an empty chunk).
 * Lazy: pairs are made as they are iterated.
 *
 * @example
 * ```ts
 * [...allTwoWaySplits('ab')]; // [['', 'ab'], ['a', 'b'], ['ab', '']]
 * ```
 */
export function allTwoWaySplits(input: string): Generator<[string, string], void, undefined>;
export function allTwoWaySplits(input: Uint8Array): Generator<[Uint8Array, Uint8Array], void, undefined>;
export function allTwoWaySplits(
  input: Chunkable,
): Generator<[string, string] | [Uint8Array, Uint8Array], void, undefined>;
export function* allTwoWaySplits(
  input: Chunkable,
): Generator<[string, string] | [Uint8Array, Uint8Array], void, undefined> {
  for (let index = 0; index <= input.length; index += 1) {
    yield [sliceOf(input, 0, index), sliceOf(input, index, input.length)] as [string, string] | [Uint8Array, Uint8Array];
  }
}

/** Options for {@link splitRandomly}. */
export interface SplitRandomlyOptions {
  /** The seed of the {@link createRandom} sequence that draws the chunk sizes. */
  seed: number;
  /**
   * The largest chunk, in code units (string) or bytes (`Uint8Array`): each chunk's size is drawn
   * uniformly from `1..maxChunkSize` (the last chunk may be shorter).
   * @defaultValue 16
   */
  maxChunkSize?: number | undefined;
}

/**
 * Splits the input into chunks of seeded random sizes from 1 to `maxChunkSize`, in code units
 * (string) or bytes (`Uint8Array`). The same input, seed and `maxChunkSize` always give the same
 * chunks. An empty input gives no chunks.
 *
 * @throws {RangeError} when `maxChunkSize` is not a positive integer.
 *
 * @example
 * ```ts
 * const chunks = splitRandomly(body, { seed: 7, maxChunkSize: 5 });
 * chunks.join('') === body; // true
 * ```
 */
export function splitRandomly(input: string, options: SplitRandomlyOptions): string[];
export function splitRandomly(input: Uint8Array, options: SplitRandomlyOptions): Uint8Array[];
export function splitRandomly(input: Chunkable, options: SplitRandomlyOptions): string[] | Uint8Array[];
export function splitRandomly(input: Chunkable, options: SplitRandomlyOptions): string[] | Uint8Array[] {
  const { seed, maxChunkSize = 16 } = options;
  assertInteger('maxChunkSize', maxChunkSize, 1);
  const random = createRandom(seed);
  const chunks: Chunkable[] = [];
  let start = 0;
  while (start < input.length) {
    const size = 1 + Math.floor(random() * maxChunkSize);
    chunks.push(sliceOf(input, start, start + size));
    start += size;
  }
  return chunks as string[] | Uint8Array[];
}

/** One way to chunk an input, as returned by {@link chunkings}. */
export interface Chunking<T extends Chunkable> {
  /** Says how the input was split, for test failure messages: `"two-way split at 12"`. */
  name: string;
  /** The chunks, in order. Joined, they are the input. */
  chunks: T[];
}

/** Options for {@link chunkings}. */
export interface ChunkingsOptions {
  /**
   * Seeds of the random chunkings: one {@link splitRandomly} chunking per seed.
   * @defaultValue `[1, 2, 3, 4, 5, 6, 7, 8]`
   */
  seeds?: readonly number[] | undefined;
  /**
   * The largest chunk of the random chunkings (see {@link SplitRandomlyOptions.maxChunkSize}).
   * @defaultValue 16
   */
  maxChunkSize?: number | undefined;
  /**
   * Whether to include every two-way split. There are `input.length + 1` of them, so a test over
   * all of them costs time quadratic in the input: turn them off for inputs of many kilobytes.
   * @defaultValue true
   */
  twoWaySplits?: boolean | undefined;
}

/**
 * The standard set of chunkings a stream parser should give the same result under: the whole
 * input as one chunk, one code unit or byte per chunk, every two-way split, and one seeded random
 * split per seed. Feed each to a fresh parser and compare with the one-chunk result.
 *
 * @returns `2 + (input.length + 1) + seeds.length` named chunkings (without two-way splits:
 * `2 + seeds.length`).
 *
 * @example
 * ```ts
 * for (const { name, chunks } of chunkings('data: a\r\n\r\n', { seeds: [1, 2, 3] })) {
 *   const events: string[] = [];
 *   const parser = createParser({ onEvent: (event) => events.push(event.data) });
 *   for (const chunk of chunks) parser.feed(chunk);
 *   assert.deepEqual(events, ['a'], name);
 * }
 * ```
 */
export function chunkings(input: string, options?: ChunkingsOptions): Chunking<string>[];
export function chunkings(input: Uint8Array, options?: ChunkingsOptions): Chunking<Uint8Array>[];
export function chunkings(input: Chunkable, options?: ChunkingsOptions): Chunking<string>[] | Chunking<Uint8Array>[];
export function chunkings(input: Chunkable, options: ChunkingsOptions = {}): Chunking<string>[] | Chunking<Uint8Array>[] {
  const { seeds = [1, 2, 3, 4, 5, 6, 7, 8], maxChunkSize = 16, twoWaySplits = true } = options;
  const unit = typeof input === 'string' ? 'code unit' : 'byte';
  const result: Chunking<Chunkable>[] = [
    { name: 'whole input in one chunk', chunks: oneChunk(input) },
    { name: `one ${unit} per chunk`, chunks: splitIntoUnits(input) },
  ];
  if (twoWaySplits) {
    let index = 0;
    for (const pair of allTwoWaySplits(input)) {
      result.push({ name: `two-way split at ${unit} ${index}`, chunks: pair });
      index += 1;
    }
  }
  for (const seed of seeds) {
    result.push({
      name: `random chunks of 1..${maxChunkSize} ${unit}s (seed ${seed})`,
      chunks: splitRandomly(input, { seed, maxChunkSize }),
    });
  }
  return result as Chunking<string>[] | Chunking<Uint8Array>[];
}
