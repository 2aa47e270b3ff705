// Renders of a chat component while a 5,000-token reply streams in, and the time until the final
// text is in the DOM: useChatStream (default batching) side by side with the AI SDK's useChat
// (default, and with `throttle: 16`). Goal: at most one render per animation frame at any token
// rate, and less time than useChat with its throttle.
//
// Run alone from the repository root (the condition makes `@tokenstream/*` resolve to source):
//   pnpm tsx --conditions=@tokenstream/source packages/react/bench/render.bench.ts [--rounds=5] [--budget=45] [--tokens=5000]
// `pnpm bench` runs it after the parser benchmarks. `--rounds` is the most rounds; after the third,
// no round starts that would end past `--budget` seconds after the warm-up began (about 40 s in all
// on an idle 2-core machine).
//
// The page is jsdom with `pretendToBeVisual` (requestAnimationFrame at 60 Hz), React 19's
// production build, real scheduling (no `act`). Both sides read the same tokens from a fake
// `fetch`, pre-built as bytes: the default `{"token"}` format for useChatStream, the AI SDK UI
// message stream for useChat. Per run: renders of the component from the click on Send until the
// reply has finished and 3 more frames passed; animation frames from the click until the final
// text is in the DOM; the most renders within one frame; wall time from the click until the final
// text is in the DOM (a MutationObserver watches it). After a warm-up round, rounds are
// interleaved, in a rotating order; the table shows medians. Figures compare the candidates on one
// machine; no test asserts on time.
import './render-environment.js';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { BASELINE, candidates, renderLog, type Candidate } from './render-candidates.js';
import { frameClock } from './render-environment.js';
import { replyChunks, replyFetch, replyTokens, type Pacing } from './render-streams.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function numberArgument(name: string, fallback: number): number {
  const argument = process.argv.find((value) => value.startsWith(`--${name}=`));
  const value = argument === undefined ? fallback : Number(argument.slice(name.length + 3));
  if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`--${name} must be a positive integer`);
  return value;
}

const ROUNDS = numberArgument('rounds', 5);
const BUDGET_MS = numberArgument('budget', 45) * 1000;
const MIN_ROUNDS = Math.min(3, ROUNDS);
const TOKENS = numberArgument('tokens', 5000);
/** The longest one run may take before it is reported as stuck. */
const RUN_TIMEOUT_MS = 30_000;

// Tests (and this benchmark) must run against the source, not a stale dist/ build.
const resolved = import.meta.resolve('@tokenstream/react');
if (!resolved.endsWith('/src/index.ts')) {
  console.warn(`Note: @tokenstream/react resolves to ${resolved}, not the source: run with --conditions=@tokenstream/source.`);
}

interface Scenario {
  readonly name: string;
  readonly tokensPerChunk: number;
  readonly pacing: Pacing;
}

const scenarios: readonly Scenario[] = [
  { name: '1 token/chunk, burst', tokensPerChunk: 1, pacing: 'burst' },
  { name: '50 tokens/chunk, burst', tokensPerChunk: 50, pacing: 'burst' },
  { name: '1 token/chunk, 1 chunk/task', tokensPerChunk: 1, pacing: 'task' },
  { name: '50 tokens/chunk, 1 chunk/task', tokensPerChunk: 50, pacing: 'task' },
];

/** One run's figures; a run that failed or ended with another text is not timed (`problem`). */
interface Measurement {
  readonly renders: number;
  readonly frames: number;
  readonly maxPerFrame: number;
  readonly ms: number;
}

type Outcome = { readonly ok: true; readonly measurement: Measurement } | { readonly ok: false; readonly problem: string };

const tokens = replyTokens(TOKENS);
const expected = tokens.join('');
const chunkCache = new Map<string, Uint8Array[]>();

function chunksFor(candidate: Candidate, scenario: Scenario): Uint8Array[] {
  const key = `${candidate.format}/${scenario.tokensPerChunk}`;
  let chunks = chunkCache.get(key);
  if (chunks === undefined) {
    chunks = replyChunks(candidate.format, tokens, scenario.tokensPerChunk);
    chunkCache.set(key, chunks);
  }
  return chunks;
}

const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

function firstDifference(actual: string): string {
  let index = 0;
  while (index < actual.length && actual[index] === expected[index]) index += 1;
  return `text differs at ${index} of ${expected.length} (got ${actual.length} characters: ${JSON.stringify(actual.slice(index, index + 20))})`;
}

async function runOnce(candidate: Candidate, scenario: Scenario): Promise<Outcome> {
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  const fetchReply = replyFetch(chunksFor(candidate, scenario), scenario.pacing);
  frameClock.start();
  try {
    root.render(createElement(candidate.Chat, { fetch: fetchReply }));
    await nextFrame();
    await nextFrame();
    const output = container.querySelector('output');
    const button = container.querySelector('button');
    if (output === null || button === null) return { ok: false, problem: 'the component did not render' };
    gc();

    renderLog.clear();
    const startFrames = frameClock.frames;
    let start = 0;
    let textAt: { readonly ms: number; readonly frames: number } | undefined;
    let problem: string | undefined;
    const finished = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        problem = `no end after ${RUN_TIMEOUT_MS} ms`;
        observer.disconnect();
        resolve();
      }, RUN_TIMEOUT_MS);
      const observer = new MutationObserver(() => {
        const text = output.textContent;
        if (textAt === undefined && text.length === expected.length && text === expected) {
          textAt = { ms: performance.now() - start, frames: frameClock.frames - startFrames };
        }
        if (output.dataset.finished === 'true') {
          if (output.dataset.error !== undefined) problem = `error: ${output.dataset.error}`;
          else if (text !== expected) problem = firstDifference(text);
          clearTimeout(timer);
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(output, { subtree: true, childList: true, characterData: true, attributes: true });
    });

    start = performance.now();
    button.click();
    await finished;
    for (let frame = 0; frame < 3; frame += 1) await nextFrame(); // trailing (throttled) renders
    if (problem !== undefined) return { ok: false, problem };

    const perFrame = new Map<number, number>();
    for (const frame of renderLog.frames) perFrame.set(frame, (perFrame.get(frame) ?? 0) + 1);
    return {
      ok: true,
      measurement: {
        renders: renderLog.frames.length,
        frames: textAt!.frames,
        maxPerFrame: Math.max(0, ...perFrame.values()),
        ms: textAt!.ms,
      },
    };
  } finally {
    root.unmount();
    container.remove();
    frameClock.stop();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// --- A warm-up round (the JIT needs a few thousand chunks), then interleaved rounds ---------------

const began = performance.now();
for (const scenario of scenarios) {
  for (const candidate of candidates) await runOnce(candidate, scenario).catch(() => undefined); // failures show in the rounds
}
const roundsBegan = performance.now();

const results = new Map<string, Measurement[]>();
const problems = new Map<string, string>();
const cellKey = (scenario: Scenario, candidate: Candidate): string => `${scenario.name}|${candidate.name}`;

let rounds = 0;
for (let round = 0; round < ROUNDS; round += 1) {
  const now = performance.now();
  if (round >= MIN_ROUNDS && now - began + (now - roundsBegan) / round > BUDGET_MS) break;
  rounds += 1;
  for (const scenario of scenarios) {
    for (let offset = 0; offset < candidates.length; offset += 1) {
      const candidate = candidates[(round + offset) % candidates.length]!;
      const key = cellKey(scenario, candidate);
      if (problems.has(key)) continue;
      const outcome = await runOnce(candidate, scenario).catch((error: unknown): Outcome => ({ ok: false, problem: `threw ${String(error)}` }));
      if (outcome.ok) results.set(key, [...(results.get(key) ?? []), outcome.measurement]);
      else problems.set(key, outcome.problem);
    }
  }
}

// --- The table -----------------------------------------------------------------------------------

const header = ['scenario', 'candidate', 'renders', 'frames', 'renders/frame', 'max in a frame', 'time (ms)', `vs ${BASELINE}`];
const rows: string[][] = [];
const notes: string[] = [];
for (const scenario of scenarios) {
  const baseline = results.get(cellKey(scenario, candidates.find((candidate) => candidate.name === BASELINE)!));
  const baselineMs = baseline && median(baseline.map((measurement) => measurement.ms));
  for (const candidate of candidates) {
    const key = cellKey(scenario, candidate);
    const problem = problems.get(key);
    const measurements = results.get(key) ?? [];
    if (problem !== undefined || measurements.length === 0) {
      rows.push([scenario.name, candidate.name, 'not timed', '', '', '', '', '']);
      notes.push(`${scenario.name}, ${candidate.name}: ${problem ?? 'no run'}`);
      continue;
    }
    const renders = median(measurements.map((measurement) => measurement.renders));
    const frames = median(measurements.map((measurement) => measurement.frames));
    const ms = median(measurements.map((measurement) => measurement.ms));
    rows.push([
      scenario.name,
      candidate.name,
      String(renders),
      String(frames),
      (renders / Math.max(frames, 1)).toFixed(2),
      String(median(measurements.map((measurement) => measurement.maxPerFrame))),
      ms.toFixed(1),
      baselineMs === undefined ? '' : `${(ms / baselineMs).toFixed(2)}×`,
    ]);
  }
}
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
const line = (cells: readonly string[]): string =>
  cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');

console.log(`\nRender benchmark: ${TOKENS} tokens, ${rounds} rounds, medians (jsdom, 60 Hz frames, React production build)\n`);
console.log(line(header));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
for (const row of rows) console.log(line(row));
for (const note of notes) console.log(`not timed: ${note}`);
console.log(
  '\nrenders: from the click on Send until 3 frames after the reply finished; frames: animation frames from the click until',
  '\nthe final text is in the DOM (renders/frame divides by at least 1); max in a frame: the most renders between two frames;',
  `\ntime: click → final text in the DOM. Total run ${((performance.now() - began) / 1000).toFixed(1)} s.`,
);
