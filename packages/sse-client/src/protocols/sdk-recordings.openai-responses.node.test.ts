// OpenAI Responses streams recorded by openai-node's own test suite (and a few built in the
// documented event shapes, for what the recordings lack: function calls, reasoning summaries,
// refusals, incomplete responses), read by this package's openAIResponsesProtocol (through
// streamParts, whole and in small random pieces) and by the SDK's ResponseStream.
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldParts, readFolded, readParts, readServerStreamError, RECORDING_CHUNKINGS, summaryOf } from '../test/fold-parts.js';
import { readRecording, withEventAfter } from '../test/recordings.js';
import { functionCallItem, messageItem, reasoningSummaryItem, responsesStream } from '../test/responses-streams.js';
import { openAIResponsesReference, resolvedReference } from '../test/sdk-reference.js';
import type { StreamSummary } from '../test/stream-summary.js';
import { openAIResponsesProtocol } from './openai-responses.js';
import type { FinishReason, Usage } from './types.js';

const eachServing = it.each(RECORDING_CHUNKINGS);

/**
 * What our `finishReason` must be (the table): `completed` is `stop`, or `tool-calls` when
 * the response made function calls; an incomplete response's `incomplete_details.reason` maps
 * `max_output_tokens` to `length` and `content_filter` to `content-filter`.
 */
function expectedFinishReason(summary: StreamSummary): FinishReason {
  if (summary.finishReason === 'completed') return summary.toolCalls.length > 0 ? 'tool-calls' : 'stop';
  if (summary.finishReason === 'max_output_tokens') return 'length';
  if (summary.finishReason === 'content_filter') return 'content-filter';
  return 'other';
}

/** What our `usage` must be for the SDK's final `response.usage`. */
function expectedUsage(usage: Record<string, unknown>): Usage {
  const details = (key: string, field: string): number | undefined =>
    (usage[key] as Record<string, number> | undefined)?.[field];
  const reasoningTokens = details('output_tokens_details', 'reasoning_tokens');
  const cachedInputTokens = details('input_tokens_details', 'cached_tokens');
  return {
    inputTokens: usage.input_tokens as number,
    outputTokens: usage.output_tokens as number,
    totalTokens: usage.total_tokens as number,
    ...(reasoningTokens === undefined ? {} : { reasoningTokens }),
    ...(cachedInputTokens === undefined ? {} : { cachedInputTokens }),
  };
}

const usage = {
  input_tokens: 20,
  input_tokens_details: { cached_tokens: 4 },
  output_tokens: 15,
  output_tokens_details: { reasoning_tokens: 9 },
  total_tokens: 35,
};
const thinking = reasoningSummaryItem('rs_1', 0, ['Need the ', 'weather ', 'first.']);
const weatherIds = { id: 'fc_1', callId: 'call_weather', name: 'get_weather' };
const weather = functionCallItem(weatherIds, 1, ['{"city":', ' "Paris", "days"', ': [1, 2]}']);
const now = functionCallItem({ id: 'fc_2', callId: 'call_now', name: 'now' }, 2, []);
const refusal = messageItem('msg_1', 0, 'refusal', ["I'm sorry, ", "I can't help with that."]);
const story = messageItem('msg_1', 0, 'output_text', ['Once upon', ' a time'], false);

const CASES: readonly { name: string; bytes: Uint8Array; sdk: Partial<StreamSummary> }[] = [
  {
    name: 'recorded: responses-standard-text-works.sse (text)',
    bytes: readRecording('openai/responses-standard-text-works.sse'),
    sdk: { text: 'Hello world', finishReason: 'completed' },
  },
  {
    name: 'recorded: responses-reasoning-works.sse (reasoning text, then text)',
    bytes: readRecording('openai/responses-reasoning-works.sse'),
    sdk: { text: 'The answer is 42', reasoning: 'Chain: Step 1. Step 2.' },
  },
  {
    name: 'built: a reasoning summary, then two function calls (one without arguments)',
    bytes: responsesStream({
      events: [...thinking.events, ...weather.events, ...now.events],
      output: [thinking.item, weather.item, now.item],
      usage,
    }),
    sdk: {
      reasoning: 'Need the weather first.',
      toolCalls: [
        { id: 'call_weather', name: 'get_weather', input: { city: 'Paris', days: [1, 2] } },
        { id: 'call_now', name: 'now', input: {} },
      ],
    },
  },
  {
    name: 'built: a refusal',
    bytes: responsesStream({ events: refusal.events, output: [refusal.item], usage }),
    sdk: { text: '', refusal: "I'm sorry, I can't help with that." },
  },
  {
    name: 'built: incomplete, cut by max_output_tokens',
    bytes: responsesStream({ events: story.events, output: [story.item], usage, incomplete: 'max_output_tokens' }),
    sdk: { text: 'Once upon a time', finishReason: 'max_output_tokens' },
  },
  {
    name: 'built: incomplete, stopped by the content filter',
    bytes: responsesStream({ events: story.events, output: [story.item], usage, incomplete: 'content_filter' }),
    sdk: { text: 'Once upon a time', finishReason: 'content_filter' },
  },
];

describe('OpenAI Responses streams: the parts say what openai ResponseStream says', () => {
  describe.each(CASES)('$name', ({ bytes, sdk: fact }) => {
    let sdk: { summary: StreamSummary };
    beforeAll(async () => {
      sdk = resolvedReference(await openAIResponsesReference(bytes));
      expect(sdk.summary).toMatchObject(fact);
    });

    // The recordings end with `data: [DONE]` after response.completed, as openai-node's tests
    // serve them; the protocol finishes at response.completed and reads nothing after it.
    eachServing('$name: same text, reasoning, refusal, function calls, status and usage', async ({ chunking }) => {
      expect(summaryOf(await readFolded(bytes, openAIResponsesProtocol, chunking))).toEqual(sdk.summary);
    });

    it('normalises the finish: status and incomplete reason by the table; usage from the counts and their details', async () => {
      const { finish } = foldParts((await readParts(bytes, openAIResponsesProtocol, 'whole')).parts);
      const { finishReason, usage: raw } = sdk.summary;
      expect(finish).toMatchObject({ finishReason: expectedFinishReason(sdk.summary), rawFinishReason: finishReason });
      expect(finish?.usage).toEqual(expectedUsage(raw ?? {}));
      expect(finish?.rawUsage).toEqual(raw);
    });
  });

  describe('built: a function call cut by max_output_tokens in the middle of its arguments', () => {
    const ids = { id: 'fc_1', callId: 'call_file', name: 'make_file' };
    const cut = functionCallItem(ids, 0, ['{"name": "a.txt", ', '"lines": ["one", "tw'], false);
    const bytes = responsesStream({ events: cut.events, output: [cut.item], usage, incomplete: 'max_output_tokens' });

    // The SDK hands the arguments over as the raw text it received; the tool-call part is marked
    // invalid, keeps that text, and gives the best partial value.
    eachServing('$name: the call is invalid, its input text the SDK\'s arguments; the finish is length', async ({ chunking }) => {
      const sdk = resolvedReference(await openAIResponsesReference(bytes));
      const [item] = sdk.final.output.filter((output) => output.type === 'function_call');
      const ours = await readFolded(bytes, openAIResponsesProtocol, chunking);
      expect(ours.toolCallParts).toMatchObject([
        {
          toolCallId: item?.call_id,
          toolName: item?.name,
          inputText: item?.arguments,
          invalid: true,
          input: { name: 'a.txt', lines: ['one', 'tw'] },
        },
      ]);
      expect(ours.finish).toMatchObject({ finishReason: 'length', rawFinishReason: 'max_output_tokens' });
    });
  });

  // The error events of openai-node tests/lib/ResponseStream.test.ts.
  describe('an error after partial output', () => {
    const recording = readRecording('openai/responses-standard-text-works.sse');
    const errorEvent = (data: Record<string, unknown>): string => `event: error\ndata: ${JSON.stringify(data)}\n\n`;
    // response.created, output_item.added, content_part.added and the first text delta, then the error.
    const errorCases = [
      {
        name: 'a nested error event ("propagates real nested SSE errors to a delayed async iterator")',
        event: errorEvent({
          type: 'error',
          sequence_number: 4,
          error: { type: 'server_error', code: 'server_error', message: 'The model is currently over capacity.', param: null },
        }),
        message: 'The model is currently over capacity.',
      },
      {
        name: 'a flat error event ("rejects async iteration when an error event arrives with no pending read")',
        event: errorEvent({
          type: 'error',
          code: 'server_error',
          message: 'The server had an error while streaming a response.',
          param: null,
        }),
        message: 'The server had an error while streaming a response.',
      },
    ];

    describe.each(errorCases)('$name', ({ event, message }) => {
      const bytes = withEventAfter(recording, 4, event);
      eachServing('$name: the SDK rejects with an APIError; we throw its message and the partial text', async ({ chunking }) => {
        const sdk = await openAIResponsesReference(bytes);
        expect(sdk.ok).toBe(false);
        if (sdk.ok) return;
        expect(sdk.error).toBeInstanceOf(OpenAI.APIError);
        expect(sdk.error).toMatchObject({ message });
        expect(sdk.text).toBe('Hello ');

        await readServerStreamError(bytes, openAIResponsesProtocol, chunking, { message, text: sdk.text });
      });
    });

    // "preserves failed response snapshots when no separate error event is sent": the SDK does
    // not reject on response.failed, it resolves with the failed response (status "failed", its
    // error, the text so far). The rule: a failed response is an error, so we throw.
    describe('response.failed ("preserves failed response snapshots when no separate error event is sent")', () => {
      const failed = `data: ${JSON.stringify({
        type: 'response.failed',
        sequence_number: 4,
        response: {
          id: 'resp_test_1',
          object: 'response',
          status: 'failed',
          error: { code: 'server_error', message: 'The response failed.' },
        },
      })}\n\n`;
      const bytes = withEventAfter(recording, 4, failed, false);
      eachServing('$name: the SDK resolves as "failed"; we throw its error and the partial text', async ({ chunking }) => {
        const sdk = resolvedReference(await openAIResponsesReference(bytes));
        expect(sdk.final).toMatchObject({ status: 'failed', error: { code: 'server_error', message: 'The response failed.' } });
        expect(sdk.summary.text).toBe('Hello ');

        const expected = { message: sdk.final.error?.message ?? '', text: sdk.summary.text };
        const { error } = await readServerStreamError(bytes, openAIResponsesProtocol, chunking, expected);
        expect(error.payload).toEqual(sdk.final.error);
      });
    });
  });
});
