// The parser tables: tokenstream's string parser (`createParser`) and byte layer
// (`parseEventStream`, `parseEventStreamBatches`) side by side with eventsource-parser,
// @microsoft/fetch-event-source's parser, the naive split loop of the tutorial the project grew
// from, floors (decoding plus `indexOf`), and bare async iterators over the same reads (the least
// an iterator of each API's shape costs), on the workloads W1–W5 of `sse-workloads.ts`. Identical pre-built chunks for every
// candidate; output checked against the expected events first (a candidate that differs is
// flagged, not timed); interleaved rounds; medians and per-round ratios.
//
// Run from the repository root: `pnpm bench` (everything) or `pnpm bench:quick`; alone:
//   pnpm tsx --conditions=@tokenstream/source packages/sse-client/bench/parse.bench.ts [--quick]
// No test asserts on time.
import {
  BUILD,
  CLOCK,
  growthExponent,
  formatMs,
  cell,
  machine,
  measure,
  printTable,
  progress,
  roundRatio,
  QUICK,
  type Contender,
  targetLine,
  type Measured,
} from './harness.js';
import { BARE_BATCHES, BARE_EVENTS, byteCandidates, EVENTSOURCE_PARSER, stringCandidates, type ParserCandidate } from './parser-candidates.js';
import { KiB, MiB, SIZES, w1, w2, w3, w4, w5, type ExpectedEvent, type Workload } from './sse-workloads.js';

const ROUNDS = QUICK ? 3 : 7;
const SAMPLE_MS = QUICK ? 5 : 30;
/** The sizes at which the quadratic candidates are timed on W4, for their growth exponent. */
const QUADRATIC_SIZES = QUICK ? [64 * KiB, 256 * KiB] : [256 * KiB, 1 * MiB];

/** Why the candidate's output differs from the workload's events, or `undefined` when it is identical. */
async function difference(candidate: ParserCandidate, workload: Workload): Promise<string | undefined> {
  if (workload.sample) {
    const inSample = await difference(candidate, workload.sample);
    if (inSample !== undefined) return inSample;
  }
  const seen: ExpectedEvent[] = [];
  try {
    await candidate.feed(workload, (type, data, id) => seen.push({ type, data, id }));
  } catch (error) {
    return `throws ${(error as Error).name}`;
  }
  const expected = workload.events;
  if (seen.length !== expected.length) return `differs: ${seen.length} events of ${expected.length}`;
  if (candidate.floor) return undefined;
  for (let index = 0; index < expected.length; index += 1) {
    const [got, want] = [seen[index]!, expected[index]!];
    for (const field of ['type', 'data', 'id'] as const) {
      if (got[field] !== want[field]) return `differs: event ${index}'s ${field}`;
    }
  }
  return undefined;
}

/** A contender that feeds the workload once and returns events + data characters (events, for a floor). */
async function contender(candidate: ParserCandidate, workload: Workload, skip?: string): Promise<Contender> {
  const expected = candidate.floor ? workload.events.length : workload.events.length + workload.dataLength;
  let check = 0;
  const sink = candidate.floor
    ? () => (check += 1)
    : (_type: string, data: string) => (check += 1 + data.length);
  return {
    name: candidate.name,
    expected,
    skip: skip ?? (await difference(candidate, workload)),
    run() {
      check = 0;
      const fed = candidate.feed(workload, sink);
      return fed instanceof Promise ? fed.then(() => check) : check;
    },
  };
}

interface Table {
  readonly title: string;
  readonly candidates: readonly ParserCandidate[];
  readonly reference: string;
  readonly cells: Map<string, Map<string, string>>;
  readonly results: Map<string, Map<string, Measured>>;
}

const table = (title: string, candidates: readonly ParserCandidate[]): Table => ({
  title,
  candidates,
  reference: candidates[0]!.name,
  cells: new Map(candidates.map((candidate) => [candidate.name, new Map()])),
  results: new Map(candidates.map((candidate) => [candidate.name, new Map()])),
});

const stringTable = table('String parser: string chunks in, events out', stringCandidates);
const byteTable = table('Byte layer: byte chunks in, events out', byteCandidates);
const tables = [stringTable, byteTable];

async function timeWorkload(workload: Workload, skipQuadratic: boolean): Promise<void> {
  for (const current of tables) {
    progress(`${workload.title}: ${current.title.split(':')[0]!.toLowerCase()}, ${ROUNDS} rounds`);
    const contenders: Contender[] = [];
    for (const candidate of current.candidates) {
      const skip = skipQuadratic && candidate.quadratic ? 'quadratic: see growth' : undefined;
      contenders.push(await contender(candidate, workload, skip));
    }
    const measured = await measure(contenders, { reference: current.reference, rounds: ROUNDS, sampleMs: SAMPLE_MS });
    for (const result of measured) {
      current.results.get(result.name)!.set(workload.key, result);
      current.cells.get(result.name)!.set(workload.key, cell(result));
    }
  }
}

/** Times W4 at a second size to get each candidate's growth exponent (quadratic ones at two small sizes). */
async function timeGrowth(): Promise<void> {
  const large = SIZES.largeEvent;
  const small = w4(SIZES.growthFrom);
  const quadratic = QUADRATIC_SIZES.map((size) => w4(size));
  for (const current of tables) {
    progress(`W4 growth, ${SIZES.growthFrom / KiB} → ${large / KiB} KiB: ${current.title.split(':')[0]!.toLowerCase()}`);
    const linear = current.candidates.filter((candidate) => !candidate.quadratic);
    const contenders = await Promise.all(linear.map((candidate) => contender(candidate, small)));
    const measured = await measure(contenders, { reference: current.reference, rounds: ROUNDS, sampleMs: SAMPLE_MS });
    for (const result of measured) {
      const atLarge = current.results.get(result.name)!.get('W4')?.median;
      if (result.median === undefined || atLarge === undefined) continue;
      const exponent = growthExponent(result.median, atLarge, large / SIZES.growthFrom);
      current.cells.get(result.name)!.set('growth', exponent.toFixed(2));
    }
    const slow = current.candidates.filter((candidate) => candidate.quadratic);
    if (slow.length === 0) continue;
    const [from, to] = QUADRATIC_SIZES as [number, number];
    progress(`W4 growth of the quadratic candidates, ${from / KiB} → ${to / KiB} KiB`);
    const medians = new Map<string, number[]>();
    for (const workload of quadratic) {
      const timed = await Promise.all(slow.map((candidate) => contender(candidate, workload)));
      const results = await measure(timed, { reference: slow[0]!.name, rounds: QUICK ? 3 : 5, sampleMs: SAMPLE_MS });
      for (const result of results) {
        if (result.median !== undefined) medians.set(result.name, [...(medians.get(result.name) ?? []), result.median]);
        else current.cells.get(result.name)!.set('growth', result.skip ?? '');
      }
    }
    for (const [name, [atFrom, atTo]] of medians) {
      if (atFrom === undefined || atTo === undefined) continue;
      const exponent = growthExponent(atFrom, atTo, to / from);
      // It copies or rescans its buffer on every chunk: time ∝ size², whatever a small size shows.
      const estimate = atTo * (large / to) ** 2;
      current.cells.get(name)!.set('W4', `not timed (≈ ${formatMs(estimate)})`);
      current.cells.get(name)!.set('growth', `${exponent.toFixed(2)} (${from / KiB}→${to / KiB} KiB)`);
    }
  }
}

const workloads: (() => Workload)[] = [w1, w2, w3, () => w4(), w5];
const titles: string[] = [];

console.log(`\n## Parsers (${QUICK ? 'quick' : 'full'}: ${ROUNDS} interleaved rounds of samples ≥ ${SAMPLE_MS} ms of ${CLOCK})`);
console.log(`Machine: ${machine()}`);
console.log(`tokenstream: ${BUILD}`);
for (const make of workloads) {
  const workload = make();
  titles.push(workload.title);
  await timeWorkload(workload, workload.key === 'W4');
}
await timeGrowth();

const keys = ['W1', 'W2', 'W3', 'W4', 'W5', 'growth'];
for (const current of tables) {
  console.log(`\n### ${current.title}`);
  console.log(`Median ${CLOCK} per run; ratio = ${current.reference}'s time ÷ this row's, median of per-round ratios (below 1: tokenstream is faster).`);
  console.log(`growth: exponent k of time ∝ size^k on W4 from ${SIZES.growthFrom / KiB} KiB to ${SIZES.largeEvent / KiB} KiB (1 = linear).`);
  console.log('Quadratic candidates are timed on W4 at two small sizes only; their W4 cell extrapolates as size².');
  for (const title of titles) console.log(`  ${title}`);
  printTable(
    '',
    ['candidate', ...keys],
    current.candidates.map((candidate) => [
      candidate.name,
      ...keys.map((key) => current.cells.get(candidate.name)!.get(key) ?? ''),
    ]),
  );
}

/** Prints each target of the issue beside the measured ratio. */
function targets(): void {
  const row = (current: Table, name: string, key: string): Measured | undefined => current.results.get(name)?.get(key);
  const lines: string[] = [];
  /** A ratio printed for information, with no target: the columns of a target line, no verdict. */
  const infoLine = (label: string, measured: Pick<Measured, 'ratio' | 'spread' | 'fastest'> | undefined): string =>
    targetLine(label, measured, 0)
      .replace(/target ≤ \S+\s+/, 'no target'.padEnd(16))
      .replace(/ (NOT met|met)$/, '')
      .trimEnd();
  const check = (label: string, measured: Pick<Measured, 'ratio' | 'spread' | 'fastest'> | undefined, limit: number): void => {
    lines.push(targetLine(label, measured, limit));
  };
  for (const key of ['W1', 'W2']) check(`createParser ÷ ${EVENTSOURCE_PARSER}, ${key}`, row(stringTable, EVENTSOURCE_PARSER, key), 0.77);
  for (const key of ['W3', 'W4', 'W5']) check(`createParser ÷ ${EVENTSOURCE_PARSER}, ${key}`, row(stringTable, EVENTSOURCE_PARSER, key), 1);
  const exponent = Number(stringTable.cells.get(stringTable.reference)?.get('growth'));
  lines.push(`  ${'createParser growth exponent on W4'.padEnd(60)} target ≤ 1.10   measured ${Number.isNaN(exponent) ? '—' : exponent.toFixed(2)}`);
  // The byte layer's targets compare both of its APIs with the same work done the same way: the
  // reference rows read the same ReadableStream, one read (one promise) per chunk. parseEventStream
  // adds one promise and one `await` per event on top (what any async iterator of single events
  // costs); parseEventStreamBatches one per chunk.
  const byteApis = ['tokenstream parseEventStream', 'tokenstream parseEventStreamBatches'];
  const apiName = (name: string): string => name.replace('tokenstream ', '');
  const sameReads = 'tokenstream createParser + one-shot decode, reader loop';
  const readerLoop = `${EVENTSOURCE_PARSER} + TextDecoder, reader loop`;
  for (const api of byteApis) {
    for (const key of ['W1', 'W2']) {
      check(`${apiName(api)} ÷ createParser reader loop, ${key}`, roundRatio(row(byteTable, api, key), row(byteTable, sameReads, key)), 1.2);
    }
    for (const key of ['W3', 'W4']) {
      check(`${apiName(api)} ÷ eventsource-parser reader loop, ${key}`, roundRatio(row(byteTable, api, key), row(byteTable, readerLoop, key)), 0.5);
    }
  }
  // Not targets: what bounds each API, the least an async iterator of its shape costs on the same reads.
  for (const key of ['W1', 'W2']) {
    for (const [api, bare] of [[byteApis[1]!, BARE_BATCHES], [byteApis[0]!, BARE_EVENTS]] as const) {
      const measured = roundRatio(row(byteTable, api, key), row(byteTable, bare, key));
      lines.push(infoLine(`(bound) ${apiName(api)} ÷ its bare iterator, ${key}`, measured));
    }
  }
  // Not a target: the other side reads no ReadableStream (a sync loop over the chunks), so the
  // gap includes the promise per chunk that reading a stream costs anyone.
  const oneShot = 'tokenstream createParser + one-shot decode';
  for (const key of ['W1', 'W2']) {
    lines.push(infoLine(`(info) parseEventStream ÷ createParser, no stream read, ${key}`, row(byteTable, oneShot, key)));
  }
  console.log("\nTargets of the issue (tokenstream's time ÷ the other's: median of the rounds; their range; fastest sample ÷ fastest):");
  for (const line of lines) console.log(line);
}
targets();
