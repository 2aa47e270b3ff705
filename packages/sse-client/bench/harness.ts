// The measuring harness shared by the side-by-side benchmarks: the machine, interleaved rounds,
// medians, per-round ratios and the tables. Figures compare candidates with each other within one
// run on one machine; never compare absolute times across runs (shared machines are noisy).
import { cpus } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A real garbage collection (even without `node --expose-gc`) once before each set of interleaved
// rounds, never before each sample: a forced full GC leaves the heap in a state no application
// runs in (the young generation shrunk, background sweeping still to do on the CPU clock), and
// the samples right after it took up to 5× their steady-state time, a constant that pulled every
// ratio towards 1 and weighed most on the fastest candidates. In steady state each candidate's
// scavenges collect its own garbage, and the rotating order spreads any other cost over everyone.
setFlagsFromString('--expose-gc');
export const gc = runInNewContext('gc') as () => void;

/** `--quick`: fewer rounds and smaller inputs, the same tables. */
export const QUICK = process.argv.includes('--quick');

/**
 * `--wall`: time with the wall clock instead of the process's CPU time. CPU time (user + system,
 * all of the process's threads) is the default: every candidate here is CPU-bound (the chunks are
 * pre-built, nothing waits on I/O or timers), and on a shared, loaded machine the wall clock also
 * counts the time other processes held the CPU.
 */
export const WALL = process.argv.includes('--wall');
export const CLOCK = WALL ? 'wall-clock time' : 'CPU time (user + system)';
const now = WALL
  ? () => performance.now()
  : () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    };

/** The environment variable through which run.ts tells a bundled step how tokenstream was built. */
export const BUILD_VARIABLE = 'TOKENSTREAM_BENCH_BUILD';

/**
 * How tokenstream's code runs here: bundled by run.ts as shipped JavaScript, or (a bench file run
 * on its own through tsx) TypeScript source through tsx's transform, not comparable.
 */
export const BUILD =
  process.env[BUILD_VARIABLE] ?? 'TypeScript source through tsx (keepNames), not as shipped: run through `pnpm bench` for figures';

/** A line naming the machine, printed at the top of every table. */
export function machine(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown CPU';
  return `${model}, ${list.length} cores, Node ${process.version} (${process.platform} ${process.arch})`;
}

const started = performance.now();

/** Prints what the benchmark is doing now, with the seconds elapsed since it started. */
export function progress(message: string): void {
  process.stdout.write(`  [${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);
}

/** One contender: `run` does the whole job once; it throws or returns a wrong total when broken. */
export interface Contender {
  readonly name: string;
  /** Does the job once; resolves with a cheap check value (e.g. events + data characters). */
  readonly run: () => number | Promise<number>;
  /** The value every run must return. */
  readonly expected: number;
  /** Why it is not timed (its output differs from the reference, or it is too slow to time). */
  readonly skip?: string | undefined;
}

export interface Measured {
  readonly name: string;
  /** Median milliseconds per run; `undefined` when not timed. */
  readonly median?: number | undefined;
  /** Median over the rounds of (reference's time ÷ this one's time) in the same round. */
  readonly ratio?: number | undefined;
  /** The lowest and highest of the per-round ratios to the reference. */
  readonly spread?: readonly [number, number] | undefined;
  /** The reference's fastest sample ÷ this one's fastest: noise on a shared machine only ever adds time. */
  readonly fastest?: number | undefined;
  /** Milliseconds per run in each round, in round order (the same rounds for every contender). */
  readonly samples?: readonly number[] | undefined;
  readonly skip?: string | undefined;
}

export interface RoundOptions {
  /** The contender whose time is the numerator of every ratio. */
  readonly reference: string;
  readonly rounds: number;
  /** Milliseconds one sample should last at least (runs are repeated within a sample up to it). */
  readonly sampleMs: number;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function timeRuns(contender: Contender, repetitions: number): Promise<number> {
  const start = now();
  for (let index = 0; index < repetitions; index += 1) {
    const value = await contender.run();
    if (value !== contender.expected) {
      throw new Error(`${contender.name}: returned ${value}, expected ${contender.expected}`);
    }
  }
  return (now() - start) / repetitions;
}

/**
 * Times the contenders in interleaved rounds (the order rotates each round): after one warm-up
 * run each (which also sets how many runs make up one sample), each round takes one sample of
 * every contender. Returns the median time per run and the median per-round ratio to the reference.
 */
export async function measure(contenders: readonly Contender[], options: RoundOptions): Promise<Measured[]> {
  const timed = contenders.filter((contender) => contender.skip === undefined);
  gc(); // the previous measurement's garbage, before the warm-up runs
  const repetitions = new Map<string, number>();
  for (const contender of timed) {
    await timeRuns(contender, 1); // a first run that compiles
    const once = await timeRuns(contender, 1);
    repetitions.set(contender.name, Math.max(1, Math.min(1000, Math.round(options.sampleMs / Math.max(once, 0.001)))));
  }
  const samples = new Map<string, number[]>(timed.map((contender) => [contender.name, []]));
  for (let round = 0; round < options.rounds; round += 1) {
    for (let offset = 0; offset < timed.length; offset += 1) {
      const contender = timed[(round + offset) % timed.length]!;
      samples.get(contender.name)!.push(await timeRuns(contender, repetitions.get(contender.name)!));
    }
  }
  const referenceSamples = samples.get(options.reference);
  return contenders.map((contender) => {
    const own = samples.get(contender.name);
    if (own === undefined) return { name: contender.name, skip: contender.skip };
    const ratios = referenceSamples && own.map((time, round) => referenceSamples[round]! / time);
    return {
      name: contender.name,
      median: median(own),
      ratio: ratios && median(ratios),
      spread: ratios && [Math.min(...ratios), Math.max(...ratios)],
      fastest: referenceSamples && Math.min(...referenceSamples) / Math.min(...own),
      samples: own,
    };
  });
}

/** `numerator`'s time ÷ `denominator`'s per round (from one `measure` call): median and spread. */
export function roundRatio(numerator: Measured | undefined, denominator: Measured | undefined): Measured | undefined {
  const [top, bottom] = [numerator?.samples, denominator?.samples];
  if (top === undefined || bottom === undefined) return undefined;
  const ratios = top.map((time, round) => time / bottom[round]!);
  return {
    name: `${numerator!.name} ÷ ${denominator!.name}`,
    ratio: median(ratios),
    spread: [Math.min(...ratios), Math.max(...ratios)],
    fastest: Math.min(...top) / Math.min(...bottom),
  };
}

/** One line comparing a measured ratio (the median, and the lowest and highest of the rounds) with the issue's target. */
export function targetLine(label: string, measured: Pick<Measured, 'ratio' | 'spread' | 'fastest'> | undefined, limit: number): string {
  const value = measured?.ratio;
  const verdict = value === undefined ? 'not measured' : value <= limit ? 'met' : 'NOT met';
  const shown = value === undefined ? '—' : formatRatio(value);
  const spread = measured?.spread ? ` (rounds ${measured.spread.map((ratio) => ratio.toFixed(2)).join('–')}` : '';
  const fastest = measured?.fastest === undefined ? '' : `, fastest ${formatRatio(measured.fastest)})`;
  return `  ${label.padEnd(60)} target ≤ ${formatRatio(limit).padEnd(6)} measured ${shown.padStart(6)}${`${spread}${fastest}`.padEnd(38)} ${verdict}`;
}

/** The exponent k of time ∝ size^k between two sizes. */
export const growthExponent = (smallMs: number, largeMs: number, sizeRatio: number): number =>
  Math.log(largeMs / smallMs) / Math.log(sizeRatio);

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export const formatRatio = (ratio: number): string => `${ratio.toFixed(2)}×`;

/** One table cell: "12.3 ms  0.81×" (the ratio is the reference's time ÷ this row's), or why it is missing. */
export function cell(measured: Measured | undefined): string {
  if (measured === undefined) return '';
  if (measured.median === undefined) return measured.skip ?? 'not timed';
  const ratio = measured.ratio === undefined ? '' : `  ${formatRatio(measured.ratio)}`;
  return `${formatMs(measured.median)}${ratio}`;
}

/** Prints a plain-text table (also valid Markdown): the first column left-aligned, the rest right-aligned. */
export function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((heading, column) =>
    Math.max(heading.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((text, column) => (column === 0 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!))).join(' | ')} |`;
  console.log(title === '' ? '' : `\n${title}\n`);
  console.log(line(header));
  console.log(`| ${widths.map((width, column) => (column === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`);
  for (const row of rows) console.log(line(row));
}

/** A `ReadableStream` that hands out the given chunks one per pull, as a response body would. */
export function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index < chunks.length) controller.enqueue(chunks[index++]!);
      else controller.close();
    },
  });
}
