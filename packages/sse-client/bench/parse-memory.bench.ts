// Memory: how much each parser keeps of one line that never ends (a server that streams without
// ever sending a newline). tokenstream's `maxEventSize` bounds it; eventsource-parser's
// `maxBufferSize` too; without a bound the line is kept whole.
//
// Run from the repository root: part of `pnpm bench` (not of `pnpm bench:quick`); alone:
//   pnpm tsx --conditions=@tokenstream/source packages/sse-client/bench/parse-memory.bench.ts
import { createParser as createLibraryParser } from 'eventsource-parser';
import { createParser } from '../src/index.js';
import { gc, progress } from './harness.js';
import { createNaiveParser, EVENTSOURCE_PARSER } from './parser-candidates.js';
import { base64Like, KiB, MiB } from './sse-workloads.js';

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
  if (typeof feed !== 'function') throw new Error('unreachable'); // the parser stays alive until here
  return after - before;
}

const fed = 64 * MiB;
const naiveFed = 2 * MiB; // less: it is quadratic
const limit = MiB;
progress(`memory: one never-ending line of ${fed / MiB} MiB`);
const growth: Record<string, number> = {};
/** Measures one candidate, after a macrotask that lets the previous one's parser go. */
async function record(name: string, make: () => (chunk: string) => void, total = fed): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  growth[name] = heapGrowth(make, total);
}
await record(`tokenstream createParser (maxEventSize ${limit / MiB} MiB, onError)`, () => {
  const parser = createParser({ onEvent: () => undefined, onError: () => undefined }, { maxEventSize: limit });
  return (chunk) => parser.feed(chunk);
});
await record(`${EVENTSOURCE_PARSER} (maxBufferSize ${limit / MiB} MiB)`, () => {
  // Past the bound it reports an error and refuses every later feed until reset().
  const parser = createLibraryParser({ onEvent: () => undefined, onError: () => undefined, maxBufferSize: limit });
  return (chunk) => {
    try {
      parser.feed(chunk);
    } catch {
      // "Cannot feed parser: it was terminated"
    }
  };
});
await record(`naive split loop (no bound; fed ${naiveFed / MiB} MiB)`, () => createNaiveParser(() => undefined), naiveFed);
// Last: the 64 MiB it keeps can still count in the next measurement's starting heap.
await record(`${EVENTSOURCE_PARSER} (no maxBufferSize)`, () => {
  const parser = createLibraryParser({ onEvent: () => undefined });
  return (chunk) => parser.feed(chunk);
});
console.log(`\n## Memory: heap growth after one never-ending line of ${fed / MiB} MiB, after gc()\n`);
for (const [name, bytes] of Object.entries(growth)) {
  console.log(`  ${name.padEnd(62)} ${(bytes / MiB).toFixed(2).padStart(8)} MiB`);
}
