// Reads served bytes with `streamParts` under a chosen chunking, and folds the parts into the
// same StreamSummary the SDK references give.
import { expect } from 'vitest';
import { ServerStreamError } from '../errors.js';
import type { FinishPart, StreamPart, StreamProtocol, ToolCallPart } from '../protocols/types.js';
import { streamParts } from '../stream-parts.js';
import { createFakeFetch, sseResponse, type ChunkingStrategy } from '../testing/index.js';
import { readAll } from './helpers.js';
import type { StreamSummary, SummaryToolCall, SummaryToolResult } from './stream-summary.js';

/** A named way to serve a body: whole, one byte per read, and small seeded random pieces. */
export interface NamedChunking {
  readonly name: string;
  readonly chunking: ChunkingStrategy;
}

/** The chunkings every recording is served under: whole, 1-byte pieces and random pieces of 1–7 bytes (four seeds). */
export const RECORDING_CHUNKINGS: readonly NamedChunking[] = [
  { name: 'served whole', chunking: 'whole' },
  { name: 'served in 1-byte pieces', chunking: 'byte' },
  ...[1, 2, 3, 4].map((seed) => ({
    name: `served in random 1..7-byte pieces (seed ${seed})`,
    chunking: { seed, maxChunkSize: 7 },
  })),
];

/** What `streamParts` gave: every part yielded, and what it threw (`undefined` when it finished). */
export interface PartsOutcome {
  readonly parts: readonly StreamPart[];
  readonly error: unknown;
}

/** Serves `bytes` (a whole response body) to `streamParts` with `protocol`, in `chunking` pieces. */
export async function readParts(bytes: Uint8Array, protocol: StreamProtocol, chunking: ChunkingStrategy): Promise<PartsOutcome> {
  const fetch = createFakeFetch(() => sseResponse([bytes], { chunking }));
  const { items, error } = await readAll(streamParts('https://api.example.com/v1/stream', { protocol, fetch, body: {} }));
  return { parts: items, error };
}

/** The parts reduced to a {@link StreamSummary}, with the `finish` part and the full `tool-call` parts. */
export interface FoldedParts extends StreamSummary {
  readonly finish: FinishPart | undefined;
  readonly toolCallParts: readonly ToolCallPart[];
}

/**
 * Folds parts into a {@link StreamSummary}: text, reasoning and refusal deltas joined; each
 * `tool-call` as `{ id, name, input }`; each `tool-result` as `{ id, output }`; the finish reason
 * and usage as the format sent them (`rawFinishReason`, `rawUsage`).
 */
export function foldParts(parts: readonly StreamPart[]): FoldedParts {
  let text = '';
  let reasoning = '';
  let refusal = '';
  const toolCalls: SummaryToolCall[] = [];
  const toolCallParts: ToolCallPart[] = [];
  const toolResults: SummaryToolResult[] = [];
  let finish: FinishPart | undefined;
  for (const part of parts) {
    switch (part.type) {
      case 'text-delta':
        text += part.delta;
        break;
      case 'reasoning-delta':
        reasoning += part.delta;
        break;
      case 'refusal-delta':
        refusal += part.delta;
        break;
      case 'tool-call':
        toolCalls.push({ id: part.toolCallId, name: part.toolName, input: part.input });
        toolCallParts.push(part);
        break;
      case 'tool-result':
        toolResults.push({ id: part.toolCallId, output: part.output });
        break;
      case 'finish':
        finish = part;
        break;
      default:
        break;
    }
  }
  return {
    text,
    reasoning,
    refusal,
    toolCalls,
    toolResults,
    finishReason: finish?.rawFinishReason,
    usage: finish?.rawUsage,
    finish,
    toolCallParts,
  };
}

/** Reads `bytes` as {@link readParts} does, checks that the stream ended well (nothing thrown), and folds its parts. */
export async function readFolded(bytes: Uint8Array, protocol: StreamProtocol, chunking: ChunkingStrategy): Promise<FoldedParts> {
  const { parts, error } = await readParts(bytes, protocol, chunking);
  expect(error).toBeUndefined();
  return foldParts(parts);
}

/**
 * Reads `bytes`, a stream with an error after partial output, as {@link readParts} does, and checks
 * that it threw a `ServerStreamError` whose message quotes the server's `message` in parentheses and
 * whose `text` is `text`, the text of the parts yielded before it too.
 *
 * @returns The error (for its payload) and the parts yielded before it, folded.
 */
export async function readServerStreamError(
  bytes: Uint8Array,
  protocol: StreamProtocol,
  chunking: ChunkingStrategy,
  expected: { readonly message: string; readonly text: string },
): Promise<{ error: ServerStreamError; folded: FoldedParts }> {
  const { parts, error } = await readParts(bytes, protocol, chunking);
  expect(error).toBeInstanceOf(ServerStreamError);
  const streamError = error as ServerStreamError;
  expect(streamError.message).toContain(`(${expected.message})`);
  expect(streamError.text).toBe(expected.text);
  const folded = foldParts(parts);
  expect(folded.text).toBe(expected.text);
  return { error: streamError, folded };
}

/** The summary fields of a {@link FoldedParts} (what the SDK references give too). */
export function summaryOf(folded: FoldedParts): StreamSummary {
  const { finish: _finish, toolCallParts: _toolCallParts, ...summary } = folded;
  return summary;
}
