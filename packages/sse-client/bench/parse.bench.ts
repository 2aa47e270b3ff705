// Benchmarks of the string parser, side by side with eventsource-parser and with a naive parser
// that concatenates its buffer on every chunk and splits on "\n\n" (the O(n^2) trap of
// docs/event-stream-parsing.md). Run from the repository root: `pnpm bench`.
//
// The figures are for comparing the parsers with each other on one machine, not absolute truths:
// machines are noisy. No test asserts on time; this file is where linear time is shown.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createParser as createLibraryParser } from 'eventsource-parser';
import { bench, do_not_optimize, group, run, summary } from 'mitata';
import { createParser } from '../src/parse.js';
import { splitEvery, splitRandomly } from '../src/testing/chunking.js';

// A real garbage collector call for the memory figures (and for mitata), even without
// `node --expose-gc`.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
(globalThis as { gc?: () => void }).gc ??= gc;

// --- The three parsers, each counting events so none can be optimised away ------------------

type Feed = (chunks: readonly string[]) => number;

const ours: Feed = (chunks) => {
  let count = 0;
  const parser = createParser({ onEvent: () => (count += 1) });
  for (const chunk of chunks) parser.feed(chunk);
  return count;
};

const library: Feed = (chunks) => {
  let count = 0;
  const parser = createLibraryParser({ onEvent: () => (count += 1) });
  for (const chunk of chunks) parser.feed(chunk);
  return count;
};

/** The trap: the whole pending buffer is rebuilt and rescanned on every chunk. LF only. */
function createNaiveParser(onEvent: (data: string) => void): { feed(chunk: string): void } {
  let buffer = '';
  return {
    feed(chunk) {
      buffer += chunk;
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
        if (data.length > 0) onEvent(data.join('\n'));
      }
    },
  };
}

const naive: Feed = (chunks) => {
  let count = 0;
  const parser = createNaiveParser(() => (count += 1));
  for (const chunk of chunks) parser.feed(chunk);
  return count;
};

// --- Inputs ---------------------------------------------------------------------------------

const KiB = 1024;
const MiB = 1024 * KiB;

/** `size` characters of base64-looking text (an image, say), deterministic. */
function base64Like(size: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let block = '';
  for (let index = 0; index < 4096; index += 1) block += alphabet[(index * 7919) % 64];
  return block.repeat(Math.ceil(size / block.length)).slice(0, size);
}

const tokenStream = (eol: string): string => `data: {"token":"word "}${eol}${eol}`.repeat(10_000);
// Network chunks of 1..256 characters: events split anywhere, several events per chunk.
const tokenChunksLF = splitRandomly(tokenStream('\n'), { seed: 1, maxChunkSize: 256 });
const tokenChunksCRLF = splitRandomly(tokenStream('\r\n'), { seed: 1, maxChunkSize: 256 });
const largeEvent = (size: number): string[] => splitEvery(`data: ${base64Like(size)}\n\n`, KiB);
const largeEventChunks = largeEvent(4 * MiB);
// One event of 200,000 short data lines (about 2.6 MB): the data buffer must stay linear too.
const manyLinesChunks = splitEvery(`${'data: {"token":"word"}\n'.repeat(200_000)}\n`, 16 * KiB);

// Every parser must see every event, or its figure means nothing.
const checks: [string, Feed, readonly string[], number][] = [
  ['ours, 10,000 token events (LF)', ours, tokenChunksLF, 10_000],
  ['eventsource-parser, 10,000 token events (LF)', library, tokenChunksLF, 10_000],
  ['naive, 10,000 token events (LF)', naive, tokenChunksLF, 10_000],
  ['ours, 10,000 token events (CRLF)', ours, tokenChunksCRLF, 10_000],
  ['eventsource-parser, 10,000 token events (CRLF)', library, tokenChunksCRLF, 10_000],
  ['ours, one 4 MiB event', ours, largeEventChunks, 1],
  ['eventsource-parser, one 4 MiB event', library, largeEventChunks, 1],
  ['ours, one event of 200,000 lines', ours, manyLinesChunks, 1],
  ['eventsource-parser, one event of 200,000 lines', library, manyLinesChunks, 1],
];
for (const [name, feed, chunks, expected] of checks) {
  const count = feed(chunks);
  if (count !== expected) throw new Error(`${name}: expected ${expected} events, got ${count}`);
}
console.log(
  `naive parser on the CRLF stream: ${naive(tokenChunksCRLF)} events of 10,000 (it splits on "\\n\\n" only), so it is left out of (c).\n`,
);

// --- Time ------------------------------------------------------------------------------------

group('(a) 10,000 small token events, LF, chunks of 1..256 chars', () => {
  summary(() => {
    bench('ours', () => do_not_optimize(ours(tokenChunksLF)));
    bench('eventsource-parser', () => do_not_optimize(library(tokenChunksLF)));
    bench('naive concat + split', () => do_not_optimize(naive(tokenChunksLF)));
  });
});

group('(b) one 4 MiB event (base64-like data line) in 1 KiB chunks', () => {
  summary(() => {
    bench('ours', () => do_not_optimize(ours(largeEventChunks)));
    bench('eventsource-parser', () => do_not_optimize(library(largeEventChunks)));
  });
});

group('(b) the O(n^2) trap: one event of $size KiB in 1 KiB chunks (time should double with size)', () => {
  summary(() => {
    for (const [name, feed] of [
      ['ours', ours],
      ['eventsource-parser', library],
      ['naive concat + split', naive],
    ] as const) {
      bench(`${name} $size KiB`, function* (state: { get(name: string): unknown }) {
        const chunks = largeEvent((state.get('size') as number) * KiB);
        yield () => do_not_optimize(feed(chunks));
      }).args('size', [256, 512, 1024]);
    }
  });
});

group('(b) one event of 200,000 data lines (about 2.6 MB) in 16 KiB chunks', () => {
  summary(() => {
    bench('ours', () => do_not_optimize(ours(manyLinesChunks)));
    bench('eventsource-parser', () => do_not_optimize(library(manyLinesChunks)));
  });
});

group('(c) 10,000 small token events, CRLF, chunks of 1..256 chars', () => {
  summary(() => {
    bench('ours', () => do_not_optimize(ours(tokenChunksCRLF)));
    bench('eventsource-parser', () => do_not_optimize(library(tokenChunksCRLF)));
  });
});

await run();

// The naive parser on the full 4 MiB event: one run, as it is too slow to sample repeatedly.
{
  const start = performance.now();
  naive(largeEventChunks);
  const naiveMs = performance.now() - start;
  const oursStart = performance.now();
  ours(largeEventChunks);
  const oursMs = performance.now() - oursStart;
  console.log(
    `\n(b) one 4 MiB event, single run: naive concat + split ${naiveMs.toFixed(0)} ms, ours ${oursMs.toFixed(1)} ms`,
  );
}

// --- Memory: a line that never ends ------------------------------------------------------------

/**
 * Feeds `total` characters of one line that never ends, in fresh 1 KiB strings (so nothing is
 * shared with the input), and returns how much the heap grew while the parser is still alive,
 * after a full garbage collection.
 */
function heapGrowth(make: () => (chunk: string) => void, total: number): number {
  const bytes = new TextEncoder().encode(base64Like(64 * KiB));
  const decoder = new TextDecoder();
  gc();
  const before = process.memoryUsage().heapUsed;
  const feed = make();
  feed('data: ');
  for (let offset = 0; offset < total; offset += KiB) {
    const start = offset % (bytes.length - KiB);
    feed(decoder.decode(bytes.subarray(start, start + KiB))); // a new flat string each time
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  do_not_optimize(feed); // the parser and whatever it kept stay alive until here
  return after - before;
}

const fed = 64 * MiB;
const limit = MiB;
const growth = {
  [`ours (maxEventSize ${limit / MiB} MiB, onError)`]: heapGrowth(() => {
    const parser = createParser({ onEvent: () => undefined, onError: () => undefined }, { maxEventSize: limit });
    return (chunk) => parser.feed(chunk);
  }, fed),
  [`eventsource-parser (maxBufferSize ${limit / MiB} MiB)`]: heapGrowth(() => {
    // Past the bound it reports an error and refuses every later feed until reset().
    const parser = createLibraryParser({ onEvent: () => undefined, onError: () => undefined, maxBufferSize: limit });
    return (chunk) => {
      try {
        parser.feed(chunk);
      } catch {
        // "Cannot feed parser: it was terminated"
      }
    };
  }, fed),
  'eventsource-parser (no maxBufferSize)': heapGrowth(() => {
    const parser = createLibraryParser({ onEvent: () => undefined });
    return (chunk) => parser.feed(chunk);
  }, fed),
  'naive concat + split (no bound)': heapGrowth(() => {
    const parser = createNaiveParser(() => undefined);
    return (chunk) => parser.feed(chunk);
  }, 8 * MiB), // less: it is quadratic
};
console.log(`\nMemory: heap growth after feeding one never-ending line (${fed / MiB} MiB; naive: 8 MiB), after gc():`);
for (const [name, bytes] of Object.entries(growth)) {
  console.log(`  ${name.padEnd(42)} ${(bytes / MiB).toFixed(2).padStart(8)} MiB`);
}
