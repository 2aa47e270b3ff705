// The AI SDK UI message stream as the `ai` package itself writes it (`streamText(...)
// .toUIMessageStreamResponse()` over a mock model), read by this package's aiSdkUIMessageProtocol
// (through streamParts, whole and in small random pieces) and by the AI SDK's own client side
// (`parseJsonEventStream` + `readUIMessageStream`): both must say the same thing.
import { jsonSchema, tool, type UIMessage, type UIMessageChunk } from 'ai';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  readWithAISDK,
  uiMessageStreamBytes,
  type ModelStreamPart,
  type UIMessageStreamReading,
} from '../test/ai-sdk-reference.js';
import { foldParts, readParts, readServerStreamError, RECORDING_CHUNKINGS, summaryOf } from '../test/fold-parts.js';
import type { StreamSummary } from '../test/stream-summary.js';
import { aiSdkUIMessageProtocol } from './ai-sdk.js';
import type { StreamPart } from './types.js';

const eachServing = it.each(RECORDING_CHUNKINGS);

const usage = {
  inputTokens: { total: 12, noCache: 12, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 30, text: 20, reasoning: 10 },
};

function finish(unified: 'stop' | 'length' | 'content-filter' | 'tool-calls', raw: string): ModelStreamPart {
  return { type: 'finish', finishReason: { unified, raw }, usage };
}

function text(id: string, deltas: readonly string[]): ModelStreamPart[] {
  return [
    { type: 'text-start', id },
    ...deltas.map((delta): ModelStreamPart => ({ type: 'text-delta', id, delta })),
    { type: 'text-end', id },
  ];
}

function reasoning(id: string, deltas: readonly string[]): ModelStreamPart[] {
  return [
    { type: 'reasoning-start', id },
    ...deltas.map((delta): ModelStreamPart => ({ type: 'reasoning-delta', id, delta })),
    { type: 'reasoning-end', id },
  ];
}

/** A tool call whose input streams in `deltas`, then the complete call. */
function toolCall(id: string, toolName: string, deltas: readonly string[]): ModelStreamPart[] {
  return [
    { type: 'tool-input-start', id, toolName },
    ...deltas.map((delta): ModelStreamPart => ({ type: 'tool-input-delta', id, delta })),
    { type: 'tool-input-end', id },
    { type: 'tool-call', toolCallId: id, toolName, input: deltas.join('') },
  ];
}

const tools = {
  weather: tool({
    inputSchema: jsonSchema<{ city: string; days: number[] }>({
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'array', items: { type: 'number' } } },
    }),
    execute: async ({ city, days }) => ({ city, forecast: days.map((day) => ({ day, celsius: 20 + day })) }),
  }),
  atlas: tool({
    inputSchema: jsonSchema<{ place: string }>({ type: 'object', properties: { place: { type: 'string' } } }),
    execute: async ({ place }): Promise<string> => {
      throw new Error(`No map of ${place}`);
    },
  }),
};

/** The AI SDK client's view reduced to a {@link StreamSummary}: the message's parts, and the finish chunk's reason. */
function summaryOfReading({ message, chunks }: UIMessageStreamReading): StreamSummary {
  const parts: UIMessage['parts'] = message?.parts ?? [];
  const toolParts = parts.flatMap((part) => ('toolCallId' in part && part.type.startsWith('tool-') ? [part] : []));
  const finishChunk = chunks.find((chunk): chunk is Extract<UIMessageChunk, { type: 'finish' }> => chunk.type === 'finish');
  return {
    text: parts.map((part) => (part.type === 'text' ? part.text : '')).join(''),
    reasoning: parts.map((part) => (part.type === 'reasoning' ? part.text : '')).join(''),
    refusal: '',
    toolCalls: toolParts.map((part) => ({ id: part.toolCallId, name: part.type.slice('tool-'.length), input: part.input })),
    toolResults: toolParts.flatMap((part) =>
      part.state === 'output-available' ? [{ id: part.toolCallId, output: part.output }] : [],
    ),
    finishReason: finishChunk?.finishReason,
    usage: undefined, // the format carries no usage
  };
}

/** The tool errors, as both sides give them. */
function toolErrorsOfReading({ message }: UIMessageStreamReading): { id: string; errorText: string }[] {
  return (message?.parts ?? []).flatMap((part) =>
    'toolCallId' in part && part.state === 'output-error' ? [{ id: part.toolCallId, errorText: part.errorText }] : [],
  );
}

function toolErrorsOfParts(parts: readonly StreamPart[]): { id: string; errorText: string }[] {
  return parts.flatMap((part) => (part.type === 'tool-error' ? [{ id: part.toolCallId, errorText: part.errorText }] : []));
}

interface Case {
  readonly name: string;
  readonly model: ModelStreamPart[];
  /** Facts the AI SDK client must have read (so that an empty read cannot pass). */
  readonly ai: Partial<StreamSummary>;
  readonly toolErrors?: readonly { id: string; errorText: string }[];
}

const CASES: readonly Case[] = [
  {
    name: 'reasoning, text, then a tool call whose input streams in deltas, and its result',
    model: [
      ...reasoning('r1', ['Look up ', 'the weather.']),
      ...text('t1', ['Checking', ' Paris.']),
      ...toolCall('call_1', 'weather', ['{"city":', ' "Paris", "da', 'ys": [1, 2]}']),
      finish('tool-calls', 'tool_use'),
    ],
    ai: {
      reasoning: 'Look up the weather.',
      toolResults: [{ id: 'call_1', output: { city: 'Paris', forecast: [{ day: 1, celsius: 21 }, { day: 2, celsius: 22 }] } }],
      finishReason: 'tool-calls',
    },
  },
  {
    name: 'a tool call whose tool fails (tool-output-error)',
    model: [...toolCall('call_2', 'atlas', ['{"place": "Atlantis"}']), finish('tool-calls', 'tool_use')],
    ai: { toolCalls: [{ id: 'call_2', name: 'atlas', input: { place: 'Atlantis' } }], toolResults: [] },
    toolErrors: [{ id: 'call_2', errorText: 'No map of Atlantis' }],
  },
  {
    name: 'text that ends normally',
    model: [...text('t1', ['Hel', 'lo']), finish('stop', 'end_turn')],
    ai: { text: 'Hello', finishReason: 'stop' },
  },
  {
    name: 'text cut by the token limit',
    model: [...text('t1', ['Once upon']), finish('length', 'max_tokens')],
    ai: { text: 'Once upon', finishReason: 'length' },
  },
  {
    name: 'text stopped by the content filter',
    model: [...text('t1', ['Well']), finish('content-filter', 'refusal')],
    ai: { text: 'Well', finishReason: 'content-filter' },
  },
];

describe('AI SDK UI message stream from toUIMessageStreamResponse(): the parts say what the AI SDK client reads', () => {
  describe.each(CASES)('$name', ({ model, ai: fact, toolErrors = [] }) => {
    let bytes: Uint8Array;
    let ai: UIMessageStreamReading;
    beforeAll(async () => {
      bytes = await uiMessageStreamBytes(model, tools);
      ai = await readWithAISDK(bytes);
      expect(ai.error).toBeUndefined();
      expect(summaryOfReading(ai)).toMatchObject(fact);
      expect(toolErrorsOfReading(ai)).toEqual(toolErrors);
    });

    eachServing('$name: same text, reasoning, tool calls, tool results and errors, and finish reason', async ({ chunking }) => {
      const { parts, error } = await readParts(bytes, aiSdkUIMessageProtocol, chunking);
      expect(error).toBeUndefined();
      expect(summaryOf(foldParts(parts))).toEqual(summaryOfReading(ai));
      expect(toolErrorsOfParts(parts)).toEqual(toolErrorsOfReading(ai));
    });

    it('gives each tool call the input text the stream sent in tool-input-delta chunks', async () => {
      const { parts } = await readParts(bytes, aiSdkUIMessageProtocol, 'whole');
      const sent = new Map<string, string>();
      for (const chunk of ai.chunks) {
        if (chunk.type !== 'tool-input-delta') continue;
        sent.set(chunk.toolCallId, (sent.get(chunk.toolCallId) ?? '') + chunk.inputTextDelta);
      }
      const calls = foldParts(parts).toolCallParts;
      expect(new Map(calls.map((call) => [call.toolCallId, call.inputText]))).toEqual(sent);
      expect(calls.every((call) => call.invalid === undefined)).toBe(true);
    });

    it('finishes with the finish chunk\'s reason (already in the normalised vocabulary), and no usage', async () => {
      const { finish: ours } = foldParts((await readParts(bytes, aiSdkUIMessageProtocol, 'whole')).parts);
      const reason = summaryOfReading(ai).finishReason;
      expect(ours).toEqual({ type: 'finish', finishReason: reason, rawFinishReason: reason });
    });
  });

  describe('an error after partial output (the model stream emits an error part)', () => {
    let bytes: Uint8Array;
    let ai: UIMessageStreamReading;
    beforeAll(async () => {
      bytes = await uiMessageStreamBytes([
        ...reasoning('r1', ['Hmm.']),
        { type: 'text-start', id: 't1' },
        { type: 'text-delta', id: 't1', delta: 'Hel' },
        { type: 'error', error: new Error('upstream overloaded') },
      ]);
      ai = await readWithAISDK(bytes);
    });

    eachServing('$name: the AI SDK client throws the error text; we throw it with the partial text', async ({ chunking }) => {
      expect(ai.error).toBeInstanceOf(Error);
      expect((ai.error as Error).message).toBe('upstream overloaded');
      const aiText = summaryOfReading(ai).text;
      expect(aiText).toBe('Hel');

      const { folded } = await readServerStreamError(bytes, aiSdkUIMessageProtocol, chunking, { message: 'upstream overloaded', text: aiText });
      expect(folded).toMatchObject({ reasoning: summaryOfReading(ai).reasoning, finish: undefined });
    });
  });
});
