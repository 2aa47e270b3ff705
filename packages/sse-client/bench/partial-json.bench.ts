// Streaming a tool call's arguments (JSON text) in one-character deltas, reading the current value
// after every delta as a UI does: our incremental parser side by side with the re-parsing
// approaches users have today (the `partial-json` package and the AI SDK's `parsePartialJson`,
// both given the whole accumulated text at every delta), and `@streamparser/json` for reference
// (a true streaming parser, but it emits values, it has no current partial value to read).
//
// Run from the repository root:
//   pnpm tsx packages/sse-client/bench/partial-json.bench.ts [--budget=30] [--only=partial-json]
// `--budget` is the most CPU seconds one candidate may spend on one size: past it the run stops and
// the table shows "> budget" (the re-parsers are quadratic). `--only` keeps the candidates whose
// name contains it. Figures compare the parsers with each
// other on one machine; no test asserts on time.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isDeepStrictEqual } from 'node:util';
import { JSONParser } from '@streamparser/json';
import { parsePartialJson } from 'ai';
import { parse as partialJsonParse } from 'partial-json';
import { createPartialJSONParser } from '../src/partial-json.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const budgetArgument = process.argv.find((argument) => argument.startsWith('--budget='));
const BUDGET_SECONDS = budgetArgument ? Number(budgetArgument.slice('--budget='.length)) : 30;
const onlyArgument = process.argv.find((argument) => argument.startsWith('--only='));
const ONLY = onlyArgument?.slice('--only='.length);
const SIZES_KB = [25, 50, 100, 200];

// --- The input: a realistic edit-file tool call -------------------------------------------------

/** Deterministic source-code-like lines with quotes, backslashes, tabs and non-ASCII text. */
function codeLine(index: number): string {
  const lines = [
    `export function handler${index}(request: Request): Response {`,
    `\tconst message = "Bonjour, ça va ? 你好 😀 (${index})";`,
    `\tconst pattern = /\\d+\\.\\d+/g; // a regex with backslashes`,
    `\tif (request.headers.get('x-id') === "${index}") return new Response(null, { status: 204 });`,
    `\treturn Response.json({ ok: true, path: "C:\\\\temp\\\\file-${index}.txt" });`,
    '}',
    '',
  ];
  return lines[index % lines.length]!;
}

/** `{"path", "content", "edits"}` whose JSON text is about `size` characters: half content, half edits. */
function toolArguments(size: number): string {
  const content: string[] = [];
  let contentLength = 0;
  for (let index = 0; contentLength < size / 2; index += 1) {
    const line = codeLine(index);
    content.push(line);
    contentLength += JSON.stringify(line).length - 1;
  }
  const edits: unknown[] = [];
  const value = { path: 'src/routes/handlers.ts', content: content.join('\n'), edits, dryRun: false };
  let text = JSON.stringify(value);
  for (let index = 0; text.length < size; index += 1) {
    edits.push({
      line: index * 7 + 1,
      oldText: codeLine(index),
      newText: codeLine(index + 3),
      replaceAll: index % 3 === 0,
      confidence: 0.5 + (index % 50) / 100,
    });
    text = JSON.stringify(value);
  }
  return text;
}

// --- The candidates -------------------------------------------------------------------------------

/** Processes the deltas in order, reading the current value after each; returns the final value. */
type Candidate = (deltas: readonly string[], deadline: number) => Promise<unknown>;

class OverBudget extends Error {}

/** CPU time used by this process so far, in seconds (user + system). */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Checks the CPU clock every `every` deltas (a power of two). */
const checkDeadline = (index: number, every: number, deadline: number): void => {
  if ((index & (every - 1)) === 0 && cpuSeconds() > deadline) throw new OverBudget();
};

const ours: Candidate = async (deltas, deadline) => {
  const parser = createPartialJSONParser();
  let sink: unknown;
  for (let index = 0; index < deltas.length; index += 1) {
    parser.push(deltas[index]!);
    sink = parser.value;
    checkDeadline(index, 1024, deadline);
  }
  void sink;
  return parser.end();
};

const partialJson: Candidate = async (deltas, deadline) => {
  let accumulated = '';
  let value: unknown;
  for (let index = 0; index < deltas.length; index += 1) {
    accumulated += deltas[index]!;
    try {
      value = partialJsonParse(accumulated);
    } catch {
      // It throws on some prefixes (a lone "-" at the top); a UI keeps the previous value.
    }
    checkDeadline(index, 64, deadline);
  }
  return value;
};

const aiSdk: Candidate = async (deltas, deadline) => {
  let accumulated = '';
  let value: unknown;
  for (let index = 0; index < deltas.length; index += 1) {
    accumulated += deltas[index]!;
    value = (await parsePartialJson(accumulated)).value;
    checkDeadline(index, 64, deadline);
  }
  return value;
};

function streamparser(options: ConstructorParameters<typeof JSONParser>[0]): Candidate {
  return async (deltas, deadline) => {
    const parser = new JSONParser(options);
    let root: unknown;
    parser.onValue = ({ value, stack, partial }) => {
      if (stack.length === 0 && !partial) root = value;
    };
    for (let index = 0; index < deltas.length; index += 1) {
      parser.write(deltas[index]!);
      checkDeadline(index, 1024, deadline);
    }
    return root;
  };
}

const allCandidates: ReadonlyArray<readonly [string, Candidate]> = [
  ['@tokenstream createPartialJSONParser: push + value', ours],
  ['partial-json 0.1.7: parse(accumulated)', partialJson],
  ['ai 7.0.173: await parsePartialJson(accumulated)', aiSdk],
  ['@streamparser/json 0.0.26, completed values only (reference)', streamparser(undefined)],
  ['@streamparser/json 0.0.26, emitPartialValues (reference)', streamparser({ emitPartialTokens: true, emitPartialValues: true })],
];

const candidates = allCandidates.filter(([name]) => ONLY === undefined || name.includes(ONLY));

/** The text cut into deltas of `size` characters. */
function deltasOf(text: string, size: number): string[] {
  const deltas: string[] = [];
  for (let start = 0; start < text.length; start += size) deltas.push(text.slice(start, start + size));
  return deltas;
}

// --- Running ----------------------------------------------------------------------------------------

/**
 * CPU seconds taken (user + system, so that other processes on a busy machine do not count; the
 * best of up to three runs when one is short), or `undefined` past the budget.
 */
async function measure(candidate: Candidate, deltas: readonly string[]): Promise<number | undefined> {
  let best = Infinity;
  for (let run = 0; run === 0 || (run < 3 && best < 1); run += 1) {
    gc();
    const start = cpuSeconds();
    try {
      await candidate(deltas, start + BUDGET_SECONDS);
    } catch (error) {
      if (error instanceof OverBudget) return undefined;
      throw error;
    }
    best = Math.min(best, cpuSeconds() - start);
  }
  return best;
}

const texts = new Map(SIZES_KB.map((kb) => [kb, toolArguments(kb * 1024)]));

console.log(`Partial JSON: a tool call's arguments streamed in deltas, the value read after each delta.`);
console.log(`Node ${process.version}; CPU time (user + system); budget ${BUDGET_SECONDS} s of CPU time per cell.`);
console.log(`Sizes: ${SIZES_KB.map((kb) => `${kb} KB = ${texts.get(kb)!.length} chars`).join(', ')}.\n`);

// Each candidate's final value must equal JSON.parse before its times mean anything. Then a
// warm-up (3 s of CPU each), so that the first size is not measured while the JIT compiles.
const checkText = toolArguments(8 * 1024);
const expected = JSON.parse(checkText) as unknown;
for (const [name, candidate] of candidates) {
  for (const size of [1, 7, 64]) {
    const final = await candidate(deltasOf(checkText, size), Infinity);
    if (!isDeepStrictEqual(final, expected)) console.log(`MISMATCH: ${name} does not end with JSON.parse's value (${size}-character deltas)`);
  }
  const warmUpEnd = cpuSeconds() + 3;
  while (cpuSeconds() < warmUpEnd) {
    await candidate(deltasOf(texts.get(SIZES_KB[0]!)!, 1), warmUpEnd).catch((error: unknown) => {
      if (!(error instanceof OverBudget)) throw error;
    });
  }
}

const format = (seconds: number | undefined): string =>
  seconds === undefined ? `> ${BUDGET_SECONDS} s` : seconds < 1 ? `${(seconds * 1000).toFixed(0)} ms` : `${seconds.toFixed(2)} s`;

/** The growth exponent k (time ∝ size^k) between the first and the last size measured in time. */
function growth(times: ReadonlyArray<number | undefined>): string {
  const measured = times.flatMap((seconds, index) => (seconds === undefined ? [] : [[SIZES_KB[index]!, seconds] as const]));
  if (measured.length < 2) return 'n/a';
  const [[firstSize, firstTime], [lastSize, lastTime]] = [measured[0]!, measured.at(-1)!];
  const k = (Math.log(lastTime / firstTime) / Math.log(lastSize / firstSize)).toFixed(2);
  return lastSize === SIZES_KB.at(-1) ? `k = ${k}` : `k = ${k} (${firstSize}→${lastSize} KB)`;
}

async function table(deltaSize: number): Promise<void> {
  console.log(`\n${deltaSize}-character deltas:`);
  const header = ['candidate', ...SIZES_KB.map((kb) => `${kb} KB`), 'growth 25→200 KB'];
  const rows: string[][] = [];
  for (const [name, candidate] of candidates) {
    const times: Array<number | undefined> = [];
    for (const kb of SIZES_KB) {
      // Past the budget at one size, the larger ones are over it too.
      const seconds = times.at(-1) === undefined && times.length > 0 ? undefined : await measure(candidate, deltasOf(texts.get(kb)!, deltaSize));
      times.push(seconds);
    }
    rows.push([name, ...times.map(format), growth(times)]);
  }
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  const line = (row: string[]): string => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  console.log(`${line(header)}\n| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`);
  for (const row of rows) console.log(line(row));
}

await table(1);
await table(32);
console.log('\nk is the growth exponent (time ∝ size^k): 1 is linear, 2 quadratic.');
