// OpenAI Chat Completions streams recorded by openai-node's own test suite (and a few built in the
// documented shape, for what the recordings lack: tool calls, usage details, other finish
// reasons), read by this package's openAIChatProtocol (through streamParts, whole and in small
// random pieces) and by the SDK's ChatCompletionStream: both must say the same thing.
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldParts, readFolded, readParts, readServerStreamError, RECORDING_CHUNKINGS, summaryOf } from '../test/fold-parts.js';
import { readRecording, withEventAfter } from '../test/recordings.js';
import { openAIChatReference, resolvedReference } from '../test/sdk-reference.js';
import type { StreamSummary } from '../test/stream-summary.js';
import { openAIChatProtocol } from './openai-chat.js';
import type { FinishReason, Usage } from './types.js';

const eachServing = it.each(RECORDING_CHUNKINGS);

/** What our `finishReason` must be for each `finish_reason` (the table). */
const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content-filter',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
};

/** What our `usage` must be for the SDK's final `usage` object. */
function expectedUsage(usage: Record<string, unknown>): Usage {
  const details = (key: string, field: string): number | undefined =>
    (usage[key] as Record<string, number> | undefined)?.[field];
  const reasoningTokens = details('completion_tokens_details', 'reasoning_tokens');
  const cachedInputTokens = details('prompt_tokens_details', 'cached_tokens');
  return {
    inputTokens: usage.prompt_tokens as number,
    outputTokens: usage.completion_tokens as number,
    totalTokens: usage.total_tokens as number,
    ...(reasoningTokens === undefined ? {} : { reasoningTokens }),
    ...(cachedInputTokens === undefined ? {} : { cachedInputTokens }),
  };
}

/** A stream built in the documented chunk shape: one `data:` event per chunk, then `[DONE]`. */
function builtStream(chunks: readonly Record<string, unknown>[]): Uint8Array {
  const base = { id: 'chatcmpl-built', object: 'chat.completion.chunk', created: 1723031664, model: 'gpt-4o-2024-08-06' };
  const events = chunks.map((chunk) => `data: ${JSON.stringify({ ...base, ...chunk })}\n\n`);
  return new TextEncoder().encode(`${events.join('')}data: [DONE]\n\n`);
}

function choice(delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> {
  return { choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
}

function call(index: number, fields: Record<string, unknown>): Record<string, unknown> {
  return { tool_calls: [{ index, ...fields }] };
}

const CASES: readonly { name: string; bytes: Uint8Array; sdk: Partial<StreamSummary> }[] = [
  {
    name: 'recorded: chat-works.sse (text)',
    bytes: readRecording('openai/chat-works.sse'),
    sdk: { text: '{"city":"San Francisco","units":"c"}', finishReason: 'stop' },
  },
  {
    name: 'recorded: chat-is-robust-against-leading-newline-chunks.sse',
    bytes: readRecording('openai/chat-is-robust-against-leading-newline-chunks.sse'),
    sdk: { text: '\n\n{"city":"San Francisco","units":"c"}' },
  },
  {
    name: 'recorded: chat-emits-content-logprobs-events.sse',
    bytes: readRecording('openai/chat-emits-content-logprobs-events.sse'),
    sdk: { text: '{"city":"San Francisco","units":"f"}', refusal: '' },
  },
  {
    name: 'recorded: chat-emits-refusal-logprobs-events.sse (a refusal)',
    bytes: readRecording('openai/chat-emits-refusal-logprobs-events.sse'),
    sdk: { text: '', refusal: "I'm very sorry, but I can't assist with that request." },
  },
  {
    name: 'built: text, then two parallel tool calls whose arguments stream interleaved; usage with details',
    bytes: builtStream([
      choice({ role: 'assistant', content: '', refusal: null }),
      choice({ content: 'Checking both.' }),
      choice(call(0, { id: 'call_weather', type: 'function', function: { name: 'get_weather', arguments: '' } })),
      choice(call(0, { function: { arguments: '{"city":' } })),
      choice(call(1, { id: 'call_time', type: 'function', function: { name: 'get_time', arguments: '{"zone"' } })),
      choice(call(0, { function: { arguments: '"Paris", "days": [1, 2]}' } })),
      choice(call(1, { function: { arguments: ': "Europe/Paris"}' } })),
      choice({}, 'tool_calls'),
      {
        choices: [],
        usage: {
          prompt_tokens: 40,
          completion_tokens: 30,
          total_tokens: 70,
          prompt_tokens_details: { cached_tokens: 8, audio_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 12, audio_tokens: 0 },
        },
      },
    ]),
    sdk: {
      text: 'Checking both.',
      toolCalls: [
        { id: 'call_weather', name: 'get_weather', input: { city: 'Paris', days: [1, 2] } },
        { id: 'call_time', name: 'get_time', input: { zone: 'Europe/Paris' } },
      ],
    },
  },
  {
    name: 'built: a tool call without arguments',
    bytes: builtStream([
      choice({ role: 'assistant', content: null, ...call(0, { id: 'call_now', type: 'function', function: { name: 'now' } }) }),
      choice({}, 'tool_calls'),
    ]),
    sdk: { toolCalls: [{ id: 'call_now', name: 'now', input: {} }], finishReason: 'tool_calls', usage: undefined },
  },
  {
    name: 'built: cut by the token limit',
    bytes: builtStream([
      choice({ role: 'assistant', content: 'Once upon' }),
      choice({ content: ' a time' }, 'length'),
      { choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } },
    ]),
    sdk: { text: 'Once upon a time', finishReason: 'length' },
  },
  {
    name: 'built: stopped by the content filter',
    bytes: builtStream([choice({ role: 'assistant', content: 'Well' }), choice({}, 'content_filter')]),
    sdk: { text: 'Well', finishReason: 'content_filter' },
  },
];

describe('OpenAI Chat Completions streams: the parts say what openai ChatCompletionStream says', () => {
  describe.each(CASES)('$name', ({ bytes, sdk: fact }) => {
    let sdk: { summary: StreamSummary };
    beforeAll(async () => {
      sdk = resolvedReference(await openAIChatReference(bytes));
      expect(sdk.summary).toMatchObject(fact);
    });

    eachServing('$name: same text, refusal, tool calls (id, name, input), finish_reason and usage', async ({ chunking }) => {
      expect(summaryOf(await readFolded(bytes, openAIChatProtocol, chunking))).toEqual(sdk.summary);
    });

    it('normalises the finish: finish_reason by the table; usage from the counts and their details', async () => {
      const { finish } = foldParts((await readParts(bytes, openAIChatProtocol, 'whole')).parts);
      const { finishReason, usage } = sdk.summary;
      expect(finish).toEqual({
        type: 'finish',
        finishReason: FINISH_REASONS[finishReason ?? 'stop'],
        ...(finishReason === undefined ? {} : { rawFinishReason: finishReason }),
        ...(usage === undefined ? {} : { usage: expectedUsage(usage), rawUsage: usage }),
      });
    });
  });

  // openai-node tests/lib/streaming-core.test.ts, "raises typed API errors embedded in streamed data".
  describe('an error chunk after partial output', () => {
    const failed = 'data: {"error":{"message":"stream failed","code":"bad_request"}}\n\n';
    // The role chunk and three content chunks, then the error; the rest of the recording follows and must not be read.
    const bytes = withEventAfter(readRecording('openai/chat-works.sse'), 4, failed);

    eachServing('$name: the SDK rejects with an APIError; we throw its message and the partial text', async ({ chunking }) => {
      const sdk = await openAIChatReference(bytes);
      expect(sdk.ok).toBe(false);
      if (sdk.ok) return;
      expect(sdk.error).toBeInstanceOf(OpenAI.APIError);
      expect(sdk.error).toMatchObject({ message: 'stream failed', error: { message: 'stream failed', code: 'bad_request' } });
      expect(sdk.text).toBe('{"city":"');

      const { error } = await readServerStreamError(bytes, openAIChatProtocol, chunking, { message: (sdk.error as Error).message, text: sdk.text });
      expect(error.payload).toEqual((sdk.error as { error: unknown }).error);
    });
  });
});
