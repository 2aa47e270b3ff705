// Serves a protocol's events to streamParts over a fake fetch, for the protocols' tests that check
// that streamParts yields what the decoder gives and resolves with the reply's result.
import { expect } from 'vitest';
import type { StreamPart, StreamProtocol } from '../protocols/types.js';
import { streamParts, type PartStreamResult } from '../stream-parts.js';
import type { ChunkingStrategy } from '../testing/chunking-strategy.js';
import { createFakeFetch } from '../testing/fake-fetch.js';
import { sseResponse } from '../testing/sse-response.js';
import type { StreamItem } from '../testing/stream-items.js';

/** The network chunkings a reply is served under: one event per read, one byte per read, and two seeded random splits. */
export const SERVED_CHUNKINGS: readonly ChunkingStrategy[] = ['event', 'byte', { seed: 1 }, { seed: 2 }];

/** Every part `streamParts` yields for `events` served with `chunking`, and what its `result` resolves with. */
export async function partsThrough(
  protocol: StreamProtocol,
  events: readonly string[],
  chunking: ChunkingStrategy,
): Promise<{ parts: StreamPart[]; result: PartStreamResult }> {
  const stream = streamParts('/v1/stream', { protocol, fetch: createFakeFetch(() => sseResponse(events, { chunking })) });
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return { parts, result: await stream.result };
}

/**
 * A reply every format's builder can write: reasoning, text with multibyte characters (split
 * across reads by byte chunkings), and two tool calls (ids `call_1` and `call_2`, by default).
 */
export const TWO_TOOL_REPLY: readonly StreamItem[] = [
  { type: 'reasoning', text: 'Two tools. ' },
  'Checking ',
  '🌍…',
  { type: 'tool-call', toolName: 'get_weather', input: { city: 'Zürich' } },
  { type: 'tool-call', toolName: 'get_time', input: { zone: 'CET' } },
];

/** Checks the text, the reasoning and the tool calls (id, name and input) of {@link TWO_TOOL_REPLY} in a result. */
export function expectTwoToolResult(result: PartStreamResult): void {
  expect(result).toMatchObject({ text: 'Checking 🌍…', reasoning: 'Two tools. ' });
  expect(result.toolCalls.map(({ toolCallId, toolName, input }) => ({ toolCallId, toolName, input }))).toEqual([
    { toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Zürich' } },
    { toolCallId: 'call_2', toolName: 'get_time', input: { zone: 'CET' } },
  ]);
}

/** A reply whose one tool call is cut mid-arguments (write it with the ending `'stop'`: the token limit). */
export const CUT_TOOL_CALL_REPLY: readonly StreamItem[] = [{ type: 'tool-call', toolName: 'f', inputDeltas: ['{"city":"Zü'] }];

/** Checks that {@link CUT_TOOL_CALL_REPLY}, cut by the token limit, ends with its call invalid (the partial input kept) and the finish reason `length`. */
export function expectCutToolCallResult(result: PartStreamResult): void {
  expect(result.toolCalls).toMatchObject([{ invalid: true, inputText: '{"city":"Zü', input: { city: 'Zü' } }]);
  expect(result.finish.finishReason).toBe('length');
}
