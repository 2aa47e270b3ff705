// Anthropic Messages streams recorded by @anthropic-ai/sdk's own test suite, read by this
// package's anthropicProtocol (through streamParts, whole and in small random pieces) and by the
// SDK's MessageStream: both must say the same thing.
import Anthropic from '@anthropic-ai/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldParts, readFolded, readParts, readServerStreamError, RECORDING_CHUNKINGS, summaryOf } from '../test/fold-parts.js';
import { anthropicPartialJSON, readRecording, withEventAfter } from '../test/recordings.js';
import { anthropicInputJSONBuffer, anthropicReference, resolvedReference } from '../test/sdk-reference.js';
import type { StreamSummary } from '../test/stream-summary.js';
import { anthropicProtocol } from './anthropic.js';
import type { FinishReason, Usage } from './types.js';

const eachServing = it.each(RECORDING_CHUNKINGS);

/** What our `finishReason` must be for each `stop_reason` (the table). */
const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
  pause_turn: 'other',
};

/** What our `usage` must be for the SDK's final `usage`: input alone, cache reads as cached input, total = input + output. */
function expectedUsage(usage: Readonly<Record<string, unknown>>): Usage {
  const inputTokens = usage.input_tokens as number;
  const outputTokens = usage.output_tokens as number;
  const cached = usage.cache_read_input_tokens as number | undefined;
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    ...(cached === undefined ? {} : { cachedInputTokens: cached }),
  };
}

interface SdkMessage {
  readonly summary: StreamSummary;
  readonly final: Anthropic.Message;
}

async function sdkMessage(bytes: Uint8Array): Promise<SdkMessage> {
  return resolvedReference(await anthropicReference(bytes));
}

/** The complete recordings, each with facts the SDK must have read (so that an empty read cannot pass). */
const COMPLETE_RECORDINGS: readonly { file: string; what: string; sdk: Partial<StreamSummary> }[] = [
  { file: 'basic_response.sse', what: 'text', sdk: { text: 'Hello there!', finishReason: 'end_turn' } },
  {
    file: 'tool_use_response.sse',
    what: 'text and a tool call',
    sdk: {
      finishReason: 'tool_use',
      toolCalls: [{ id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', name: 'get_weather', input: { location: 'Paris' } }],
    },
  },
  { file: 'stream-a-refusal.sse', what: 'thinking, then a refusal stop', sdk: { text: 'Hi', finishReason: 'refusal' } },
  {
    file: 'stream-a-toolrefusal.sse',
    what: 'a server tool (web search) with its result, text, then a refusal stop',
    sdk: {
      finishReason: 'refusal',
      toolCalls: [
        { id: 'srvtoolu_fixture_a_0001', name: 'web_search', input: { query: 'solar eclipse viewing safety news 2026' } },
      ],
    },
  },
  { file: 'stream-b-fallback.sse', what: 'a long text', sdk: { finishReason: 'end_turn' } },
];

describe('Anthropic recordings: the parts say what @anthropic-ai/sdk MessageStream says', () => {
  describe.each(COMPLETE_RECORDINGS)('$file ($what)', ({ file, sdk: fact }) => {
    const bytes = readRecording(`anthropic/${file}`);
    let sdk: SdkMessage;
    beforeAll(async () => {
      sdk = await sdkMessage(bytes);
      expect(sdk.summary).toMatchObject(fact);
    });

    eachServing('$name: same text, reasoning, tool calls, tool results and stop reason', async ({ chunking }) => {
      const { usage, ...ours } = summaryOf(await readFolded(bytes, anthropicProtocol, chunking));
      const { usage: sdkUsage, ...theirs } = sdk.summary;
      expect(ours).toEqual(theirs);
      // The SDK keeps the usage fields it knows; the protocol keeps every non-null field the
      // server sent (here also `iterations`): each field the SDK kept must be ours too, unchanged.
      expect(usage).toEqual(expect.objectContaining(sdkUsage));
    });

    it('normalises the finish: stop_reason by the table; usage from input, output and cache-read tokens', async () => {
      const { finish } = foldParts((await readParts(bytes, anthropicProtocol, 'whole')).parts);
      expect(finish).toMatchObject({
        finishReason: FINISH_REASONS[sdk.final.stop_reason ?? ''],
        rawFinishReason: sdk.final.stop_reason,
        usage: expectedUsage(sdk.summary.usage ?? {}),
      });
    });
  });

  it('reports the server tool call as run by the provider, and its result', async () => {
    const { parts } = await readParts(readRecording('anthropic/stream-a-toolrefusal.sse'), anthropicProtocol, 'whole');
    expect(parts.filter((part) => part.type === 'tool-call' || part.type === 'tool-result')).toMatchObject([
      { type: 'tool-call', toolCallId: 'srvtoolu_fixture_a_0001', toolName: 'web_search', providerExecuted: true },
      { type: 'tool-result', toolCallId: 'srvtoolu_fixture_a_0001', providerExecuted: true },
    ]);
  });

  describe('incomplete_partial_json_response.sse (max_tokens cuts a tool call in the middle of its input)', () => {
    const bytes = readRecording('anthropic/incomplete_partial_json_response.sse');
    const partialJSON = anthropicPartialJSON(bytes, 1).join('');
    let sdk: SdkMessage;
    beforeAll(async () => {
      sdk = await sdkMessage(bytes);
    });

    // Where the SDK and the rules differ, the rule is asserted: MessageStream hands the
    // cut-off input over partially parsed, as if valid; a `tool-call` part says it is `invalid`,
    // keeps the raw text, and gives the best partial value (which also shows the unterminated
    // string that the SDK's partial parser drops).
    eachServing('$name: same text and stop reason; the call is invalid, with the SDK\'s raw input text', async ({ chunking }) => {
      const ours = await readFolded(bytes, anthropicProtocol, chunking);
      expect(ours.text).toBe(sdk.summary.text);
      expect(ours.finish).toMatchObject({ finishReason: 'length', rawFinishReason: 'max_tokens' });
      const [sdkBlock] = sdk.final.content.filter((block) => block.type === 'tool_use');
      expect(anthropicInputJSONBuffer(sdkBlock) ?? partialJSON).toBe(partialJSON);
      expect(ours.toolCallParts).toHaveLength(1);
      const [call] = ours.toolCallParts;
      expect(call).toMatchObject({ toolCallId: sdkBlock?.id, toolName: sdkBlock?.name, invalid: true, inputText: partialJSON });
      expect(call?.error).toBeInstanceOf(Error);
      // The members the SDK completed are ours too; the unfinished last line is shown as far as it came.
      const sdkInput = sdkBlock?.input as { filename: string; lines_of_text: string[] };
      expect(call?.input).toEqual({ ...sdkInput, lines_of_text: [...sdkInput.lines_of_text, 'Filing taxes'] });
    });
  });

  describe('an error event after partial output (anthropic-sdk-typescript tests/streaming.test.ts "error handling")', () => {
    const overloaded = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    const cases = [
      {
        // message_start, content_block_start, ping, "Hello": the error comes after the first text.
        name: 'in the text of basic_response.sse',
        bytes: withEventAfter(readRecording('anthropic/basic_response.sse'), 4, overloaded),
        text: 'Hello',
      },
      {
        // …, the text block, the tool_use start and two input pieces: the error cuts the tool call.
        name: 'in the tool input of tool_use_response.sse',
        bytes: withEventAfter(readRecording('anthropic/tool_use_response.sse'), 9, overloaded),
        text: "I'll check the current weather in Paris for you.",
      },
    ];

    describe.each(cases)('$name', ({ bytes, text }) => {
      eachServing('$name: the SDK rejects with an APIError; we throw its message and the partial text', async ({ chunking }) => {
        const sdk = await anthropicReference(bytes);
        expect(sdk.ok).toBe(false);
        if (sdk.ok) return;
        // MessageStream's APIError has the whole JSON as its message; the server's message is in `error.error`.
        expect(sdk.error).toBeInstanceOf(Anthropic.APIError);
        expect(sdk.error).toMatchObject({ error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
        const sdkPayload = (sdk.error as { error: { error: { message: string } } }).error.error;
        expect(sdk.text).toBe(text);

        const { error } = await readServerStreamError(bytes, anthropicProtocol, chunking, { message: sdkPayload.message, text: sdk.text });
        expect(error.payload).toEqual(sdkPayload);
      });
    });
  });
});
