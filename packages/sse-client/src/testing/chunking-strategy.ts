import { createRandom } from './chunking.js';
import { concatBytes } from './encode.js';

/**
 * How a test response splits its body into network chunks (one chunk per read). Sizes count
 * bytes of the UTF-8 body, so a chunk boundary may fall inside a multibyte character, as on a
 * real network.
 *
 * - `'event'`: one chunk per item given (one event per chunk when each item is an event). The default.
 * - `'whole'`: the whole body in one chunk (the items are read up front).
 * - `'byte'`: one byte per chunk, the harshest regular chunking.
 * - `{ size }`: chunks of `size` bytes (the last one may be shorter).
 * - `{ seed, maxChunkSize? }`: chunks of seeded random sizes from 1 to `maxChunkSize` bytes
 *   (default 16): the same seed gives the same chunks (the same as `splitRandomly` on the whole body).
 *
 * @example
 * ```ts
 * sseResponse(tokenEvents(['Hé', 'llo']), { chunking: 'byte' }); // "é" arrives in two reads
 * sseResponse(tokenEvents(['Hé', 'llo']), { chunking: { seed: 7, maxChunkSize: 5 } });
 * ```
 */
export type ChunkingStrategy =
  | 'event'
  | 'whole'
  | 'byte'
  | { readonly size: number }
  | { readonly seed: number; readonly maxChunkSize?: number | undefined };

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer (bytes), got ${String(value)}`);
  }
}

/** Regroups the bytes of `items` into chunks whose sizes `nextSize` draws, lazily. */
function* bySize(items: Iterable<Uint8Array>, nextSize: () => number): Generator<Uint8Array, void, undefined> {
  let parts: Uint8Array[] = [];
  let buffered = 0;
  let size = nextSize();
  for (const item of items) {
    let offset = 0;
    while (offset < item.length) {
      const take = Math.min(size - buffered, item.length - offset);
      parts.push(item.subarray(offset, offset + take));
      buffered += take;
      offset += take;
      if (buffered === size) {
        yield concatBytes(parts);
        parts = [];
        buffered = 0;
        size = nextSize();
      }
    }
  }
  if (buffered > 0) yield concatBytes(parts);
}

function* whole(items: Iterable<Uint8Array>): Generator<Uint8Array, void, undefined> {
  const bytes = concatBytes([...items]);
  if (bytes.length > 0) yield bytes;
}

/**
 * Checks a {@link ChunkingStrategy} (so a bad one fails when the response is built, not when it is read).
 *
 * @internal
 * @throws {RangeError} for a size that is not a positive integer, or an unknown strategy.
 */
export function checkChunking(strategy: ChunkingStrategy): void {
  if (strategy === 'event' || strategy === 'whole' || strategy === 'byte') return;
  if (typeof strategy === 'object' && strategy !== null) {
    if ('size' in strategy) return assertPositiveInteger('chunking.size', strategy.size);
    if ('seed' in strategy) return assertPositiveInteger('chunking.maxChunkSize', strategy.maxChunkSize ?? 16);
  }
  throw new RangeError(`Unknown chunking strategy: ${JSON.stringify(strategy)}`);
}

/**
 * Splits the bytes of `items` into network chunks by `strategy`, lazily: items are taken from the
 * iterable only as chunks are needed (except for `'whole'`).
 *
 * @internal
 */
export function rechunk(items: Iterable<Uint8Array>, strategy: ChunkingStrategy): Iterable<Uint8Array> {
  checkChunking(strategy);
  if (strategy === 'event') return items;
  if (strategy === 'whole') return whole(items);
  if (strategy === 'byte') return bySize(items, () => 1);
  if ('size' in strategy) return bySize(items, () => strategy.size);
  const random = createRandom(strategy.seed);
  const max = strategy.maxChunkSize ?? 16;
  return bySize(items, () => 1 + Math.floor(random() * max));
}
