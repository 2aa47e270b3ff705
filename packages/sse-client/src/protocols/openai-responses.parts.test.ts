// openAIResponsesProtocol: everything a Responses stream carries, as parts (reasoning, text,
// refusals, function calls, citations, finish reason and usage), decoded under every chunking.
import { describe, expect, it } from 'vitest';
import { PartialJSONError } from '../partial-json.js';
import { decodeParts, decodePartsUnderEveryChunking } from '../test/decode-parts.js';
import { sseEvent } from '../test/helpers.js';
import {
  CUT_TOOL_CALL_REPLY,
  expectCutToolCallResult,
  expectTwoToolResult,
  partsThrough,
  SERVED_CHUNKINGS,
  TWO_TOOL_REPLY,
} from '../test/through-stream-parts.js';
import { formatEvent } from '../testing/format.js';
import { openAIResponsesEvents } from '../testing/openai-responses-events.js';
import type { StreamItem } from '../testing/stream-items.js';
import { openAIResponsesProtocol } from './openai-responses.js';
import type { StreamPart, ToolCallPart } from './types.js';

/** Numbers events as the API does, each with `event:` repeating its `type`. */
class Events {
  readonly list: string[] = [];
  add(type: string, fields: Record<string, unknown> = {}): this {
    this.list.push(formatEvent({ event: type, data: JSON.stringify({ type, sequence_number: this.list.length, ...fields }) }));
    return this;
  }
  /** `response.output_item.added` of a function call. */
  call(outputIndex: number, id: string, callId: string, name: string): this {
    const item = { id, type: 'function_call', status: 'in_progress', arguments: '', call_id: callId, name };
    return this.add('response.output_item.added', { output_index: outputIndex, item });
  }
  args(outputIndex: number, itemId: string, delta: string): this {
    return this.add('response.function_call_arguments.delta', { item_id: itemId, output_index: outputIndex, delta });
  }
  argsDone(outputIndex: number, itemId: string, text: string): this {
    return this.add('response.function_call_arguments.done', { item_id: itemId, output_index: outputIndex, arguments: text });
  }
  completed(usage: unknown = null): string[] {
    return this.add('response.completed', { response: { id: 'resp_1', object: 'response', status: 'completed', usage } }).list;
  }
  incomplete(reason: string | undefined, usage: unknown = null): string[] {
    const incomplete_details = reason === undefined ? null : { reason };
    return this.add('response.incomplete', { response: { id: 'resp_1', status: 'incomplete', incomplete_details, usage } }).list;
  }
}

function begin(): Events {
  return new Events().add('response.created', { response: { id: 'resp_1', status: 'in_progress' } });
}

/** The parts of `events`, the same under every chunking of their bytes (checked). */
const partsOf = (events: readonly string[]): StreamPart[] => decodePartsUnderEveryChunking(openAIResponsesProtocol, events);

const callsOf = (parts: readonly StreamPart[]) => parts.filter((part): part is ToolCallPart => part.type === 'tool-call');

describe('openAIResponsesProtocol: reasoning, text and refusals', () => {
  it('maps reasoning summary deltas and reasoning text deltas to reasoning-delta parts, not text', () => {
    const summary = { item_id: 'rs_1', output_index: 0, summary_index: 0 };
    const reasoning = { item_id: 'rs_2', output_index: 1, content_index: 0 };
    const message = { item_id: 'msg_1', output_index: 2, content_index: 0 };
    const parts = partsOf(
      begin()
        .add('response.output_item.added', { output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [] } })
        .add('response.reasoning_summary_text.delta', { ...summary, delta: '**Greeting**' })
        .add('response.reasoning_summary_text.done', { ...summary, text: '**Greeting**' })
        .add('response.reasoning_text.delta', { ...reasoning, delta: 'Chain: Step 1. ' })
        .add('response.reasoning_text.delta', { ...reasoning, delta: 'Step 2.' })
        .add('response.reasoning_text.done', { ...reasoning, text: 'Chain: Step 1. Step 2.' })
        .add('response.output_text.delta', { ...message, delta: 'The answer is 42', logprobs: [] })
        .add('response.output_text.done', { ...message, text: 'The answer is 42' })
        .completed(),
    );
    expect(parts).toEqual([
      { type: 'reasoning-delta', delta: '**Greeting**' },
      { type: 'reasoning-delta', delta: 'Chain: Step 1. ' },
      { type: 'reasoning-delta', delta: 'Step 2.' },
      { type: 'text-delta', delta: 'The answer is 42' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'completed' },
    ]);
  });

  it('maps response.refusal.delta to refusal-delta parts', () => {
    const part = { item_id: 'msg_1', output_index: 0, content_index: 0 };
    const parts = partsOf(
      begin()
        .add('response.refusal.delta', { ...part, delta: "I'm sorry, " })
        .add('response.refusal.delta', { ...part, delta: "I can't help." })
        .add('response.refusal.done', { ...part, refusal: "I'm sorry, I can't help." })
        .completed(),
    );
    expect(parts).toEqual([
      { type: 'refusal-delta', delta: "I'm sorry, " },
      { type: 'refusal-delta', delta: "I can't help." },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'completed' },
    ]);
  });

  it('maps url_citation annotations to source-url parts', () => {
    const annotation = { type: 'url_citation', url: 'https://example.com/paris', title: 'Paris', start_index: 0, end_index: 5 };
    const fields = { item_id: 'msg_1', output_index: 1, content_index: 0, annotation_index: 0 };
    const parts = partsOf(
      begin()
        .add('response.output_text.annotation.added', { ...fields, annotation })
        .add('response.output_text.annotation.added', {
          ...fields,
          annotation_index: 1,
          annotation: { type: 'url_citation', url: 'https://x.org' },
        })
        .add('response.output_text.annotation.added', {
          ...fields,
          annotation_index: 2,
          annotation: { type: 'file_citation', file_id: 'f' },
        })
        .completed(),
    );
    expect(parts.slice(0, -1)).toEqual([
      { type: 'source-url', sourceId: 'msg_1:0:0', url: 'https://example.com/paris', title: 'Paris' },
      { type: 'source-url', sourceId: 'msg_1:0:1', url: 'https://x.org' },
    ]);
  });
});

describe('openAIResponsesProtocol: function calls', () => {
  it('begins a call at output_item.added (call_id as its id), streams its arguments by item_id, ends it at .done', () => {
    const parts = partsOf(
      begin()
        .call(0, 'fc_1', 'call_abc', 'get_weather')
        .args(0, 'fc_1', '{"city":')
        .args(0, 'fc_1', '"Paris"}')
        .argsDone(0, 'fc_1', '{"city":"Paris"}')
        .completed(),
    );
    expect(parts).toEqual([
      { type: 'tool-input-start', toolCallId: 'call_abc', toolName: 'get_weather' },
      { type: 'tool-input-delta', toolCallId: 'call_abc', inputTextDelta: '{"city":', input: {} },
      { type: 'tool-input-delta', toolCallId: 'call_abc', inputTextDelta: '"Paris"}', input: { city: 'Paris' } },
      { type: 'tool-call', toolCallId: 'call_abc', toolName: 'get_weather', input: { city: 'Paris' }, inputText: '{"city":"Paris"}' },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'completed' },
    ]);
  });

  it('takes the whole text of .done over the pieces', () => {
    const parts = partsOf(begin().call(0, 'fc_1', 'call_1', 'f').args(0, 'fc_1', '{"a":').argsDone(0, 'fc_1', '{"a":2}').completed());
    expect(callsOf(parts)).toEqual([{ type: 'tool-call', toolCallId: 'call_1', toolName: 'f', input: { a: 2 }, inputText: '{"a":2}' }]);
  });

  it('ends a call still open at output_item.done, with item.arguments', () => {
    const item = { id: 'fc_1', type: 'function_call', status: 'completed', arguments: '{"a":1}', call_id: 'call_1', name: 'f' };
    const parts = partsOf(
      begin()
        .call(0, 'fc_1', 'call_1', 'f')
        .args(0, 'fc_1', '{"a":1}')
        .add('response.output_item.done', { output_index: 0, item })
        .completed(),
    );
    expect(callsOf(parts)).toEqual([{ type: 'tool-call', toolCallId: 'call_1', toolName: 'f', input: { a: 1 }, inputText: '{"a":1}' }]);
    expect(parts.filter((part) => part.type === 'tool-call')).toHaveLength(1);
  });

  it('gives one tool-call part when both .done and output_item.done come', () => {
    const item = { id: 'fc_1', type: 'function_call', status: 'completed', arguments: '{}', call_id: 'call_1', name: 'f' };
    const parts = partsOf(
      begin()
        .call(0, 'fc_1', 'call_1', 'f')
        .argsDone(0, 'fc_1', '{}')
        .add('response.output_item.done', { output_index: 0, item })
        .completed(),
    );
    expect(callsOf(parts)).toHaveLength(1);
  });

  it('streams parallel calls by item_id, interleaved', () => {
    const parts = partsOf(
      begin()
        .call(0, 'fc_a', 'call_a', 'get_weather')
        .call(1, 'fc_b', 'call_b', 'get_time')
        .args(0, 'fc_a', '{"city":')
        .args(1, 'fc_b', '{"zone":')
        .args(1, 'fc_b', '"CET"}')
        .args(0, 'fc_a', '"Paris"}')
        .argsDone(1, 'fc_b', '{"zone":"CET"}')
        .argsDone(0, 'fc_a', '{"city":"Paris"}')
        .completed(),
    );
    expect(callsOf(parts).map(({ toolCallId, input }) => ({ toolCallId, input }))).toEqual([
      { toolCallId: 'call_b', input: { zone: 'CET' } },
      { toolCallId: 'call_a', input: { city: 'Paris' } },
    ]);
    const deltas = parts.filter((part) => part.type === 'tool-input-delta');
    expect(deltas.map((part) => part.toolCallId)).toEqual(['call_a', 'call_b', 'call_b', 'call_a']);
  });

  it('finds a call by output_index when an event has no item_id', () => {
    const parts = partsOf(
      begin()
        .call(3, 'fc_1', 'call_1', 'f')
        .add('response.function_call_arguments.delta', { output_index: 3, delta: '{"x":true}' })
        .add('response.function_call_arguments.done', { output_index: 3, arguments: '{"x":true}' })
        .completed(),
    );
    expect(callsOf(parts)).toEqual([
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'f', input: { x: true }, inputText: '{"x":true}' },
    ]);
  });

  it('ignores output items that are not function calls (messages, reasoning, built-in tools)', () => {
    const parts = partsOf(
      begin()
        .add('response.output_item.added', { output_index: 0, item: { id: 'ws_1', type: 'web_search_call', status: 'in_progress' } })
        .add('response.output_item.done', { output_index: 0, item: { id: 'ws_1', type: 'web_search_call', status: 'completed' } })
        .completed(),
    );
    expect(parts).toEqual([{ type: 'finish', finishReason: 'stop', rawFinishReason: 'completed' }]);
  });
});

describe('openAIResponsesProtocol: invalid arguments', () => {
  it('reports arguments that end as invalid JSON as an invalid call, with the text and the parse error, and still finishes', () => {
    const parts = partsOf(
      begin().call(0, 'fc_1', 'call_1', 'f').args(0, 'fc_1', '{"a": nope}').argsDone(0, 'fc_1', '{"a": nope}').completed(),
    );
    const [call] = callsOf(parts);
    expect(call).toMatchObject({ toolCallId: 'call_1', inputText: '{"a": nope}', invalid: true, input: {} });
    expect(call?.error).toBeInstanceOf(PartialJSONError);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'completed' });
  });

  it('reports a call cut by max_output_tokens mid-arguments as invalid, and finishes with length', () => {
    const parts = partsOf(begin().call(0, 'fc_1', 'call_1', 'write').args(0, 'fc_1', '{"title":"Once').incomplete('max_output_tokens'));
    expect(parts.slice(-2)).toEqual([
      {
        type: 'tool-call',
        toolCallId: 'call_1',
        toolName: 'write',
        input: { title: 'Once' },
        inputText: '{"title":"Once',
        invalid: true,
        error: expect.any(PartialJSONError),
      },
      { type: 'finish', finishReason: 'length', rawFinishReason: 'max_output_tokens' },
    ]);
  });
});

describe('openAIResponsesProtocol: finish reason and usage', () => {
  it.each([
    ['max_output_tokens', 'length'],
    ['content_filter', 'content-filter'],
    ['something_new', 'other'],
  ])('normalises incomplete_details.reason %j as %j', (reason, finishReason) => {
    expect(partsOf(begin().incomplete(reason)).at(-1)).toEqual({ type: 'finish', finishReason, rawFinishReason: reason });
  });

  it('gives "other" with raw "incomplete" for response.incomplete without a reason', () => {
    expect(partsOf(begin().incomplete(undefined)).at(-1)).toEqual({ type: 'finish', finishReason: 'other', rawFinishReason: 'incomplete' });
  });

  it('normalises response.usage, reasoning and cached tokens included, and keeps the object as rawUsage', () => {
    const usage = {
      input_tokens: 2048,
      input_tokens_details: { cached_tokens: 1536 },
      output_tokens: 400,
      output_tokens_details: { reasoning_tokens: 256 },
      total_tokens: 2448,
    };
    expect(partsOf(begin().completed(usage)).at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'completed',
      usage: { inputTokens: 2048, outputTokens: 400, totalTokens: 2448, reasoningTokens: 256, cachedInputTokens: 1536 },
      rawUsage: usage,
    });
  });

  it('reads the usage of response.completed only, not the zeros of response.created', () => {
    const created = { id: 'r', status: 'in_progress', usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 } };
    const parts = partsOf(new Events().add('response.created', { response: created }).completed());
    expect(parts).toEqual([{ type: 'finish', finishReason: 'stop', rawFinishReason: 'completed' }]);
  });
});

describe('openAIResponsesProtocol: malformed deltas', () => {
  it.each([
    'response.reasoning_summary_text.delta',
    'response.reasoning_text.delta',
    'response.refusal.delta',
  ])('throws a SyntaxError (a ProtocolError for the client) for a %s whose delta is not a string', (type) => {
    expect(() => openAIResponsesProtocol.createDecoder()(sseEvent(JSON.stringify({ type, delta: 7 })))).toThrow(SyntaxError);
  });

  it('throws a SyntaxError for arguments deltas that are not a string', () => {
    const decode = openAIResponsesProtocol.createDecoder();
    const item = { id: 'fc', type: 'function_call', call_id: 'c', name: 'f' };
    decode(sseEvent(JSON.stringify({ type: 'response.output_item.added', output_index: 0, item })));
    const bad = { type: 'response.function_call_arguments.delta', item_id: 'fc', delta: {} };
    expect(() => decode(sseEvent(JSON.stringify(bad)))).toThrow(SyntaxError);
  });
});

describe('openAIResponsesEvents: reasoning and function calls', () => {
  const ITEMS: StreamItem[] = [
    { type: 'reasoning', text: '**Weather** ' },
    { type: 'reasoning', text: 'needs a tool.' },
    'Let me ',
    'check.',
    { type: 'tool-call', toolName: 'get_weather', input: { city: 'Paris' } },
    { type: 'tool-call', toolCallId: 'call_time', toolName: 'get_time', inputDeltas: ['{"zone"', ':"CET"}'] },
  ];

  it('round-trips reasoning, text and function calls through openAIResponsesProtocol, finishing with tool-calls', () => {
    expect(partsOf(openAIResponsesEvents(ITEMS))).toEqual([
      { type: 'reasoning-delta', delta: '**Weather** ' },
      { type: 'reasoning-delta', delta: 'needs a tool.' },
      { type: 'text-delta', delta: 'Let me ' },
      { type: 'text-delta', delta: 'check.' },
      { type: 'tool-input-start', toolCallId: 'call_1', toolName: 'get_weather' },
      { type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: '{"city', input: {} },
      { type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: '":"Par', input: { city: 'Par' } },
      { type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: 'is"}', input: { city: 'Paris' } },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' }, inputText: '{"city":"Paris"}' },
      { type: 'tool-input-start', toolCallId: 'call_time', toolName: 'get_time' },
      { type: 'tool-input-delta', toolCallId: 'call_time', inputTextDelta: '{"zone"', input: {} },
      { type: 'tool-input-delta', toolCallId: 'call_time', inputTextDelta: ':"CET"}', input: { zone: 'CET' } },
      { type: 'tool-call', toolCallId: 'call_time', toolName: 'get_time', input: { zone: 'CET' }, inputText: '{"zone":"CET"}' },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'completed' },
    ]);
  });

  it('writes one output item per run of items, numbered, with the events the API sends', () => {
    const events = openAIResponsesEvents(ITEMS);
    const data = events.map((event) => JSON.parse(/^data: (.*)$/m.exec(event)![1]!) as Record<string, unknown>);
    expect(data.map((item) => item.sequence_number)).toEqual(data.map((_, index) => index));
    const added = data.filter((item) => item.type === 'response.output_item.added');
    expect(added.map((item) => [item.output_index, (item.item as { type: string }).type])).toEqual([
      [0, 'reasoning'],
      [1, 'message'],
      [2, 'function_call'],
      [3, 'function_call'],
    ]);
    expect(added[2]?.item).toMatchObject({ id: 'fc_1', call_id: 'call_1', name: 'get_weather', arguments: '' });
    expect(data.map((item) => item.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it("gives the final response its output items, as the API does (what openai-node's finalResponse() reads)", () => {
    for (const ending of ['done', 'stop'] as const) {
      const last = openAIResponsesEvents(['Hi', { type: 'tool-call', toolName: 'f', inputDeltas: ['{}'] }], ending).at(-1)!;
      const { response } = JSON.parse(/^data: (.*)$/m.exec(last)![1]!) as { response: { output: unknown } };
      expect(response.output).toEqual([
        {
          id: 'msg_test',
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', annotations: [], text: 'Hi' }],
        },
        { id: 'fc_1', type: 'function_call', status: 'completed', arguments: '{}', call_id: 'call_1', name: 'f' },
      ]);
    }
  });

  it("leaves a call cut by 'stop' invalid, finishing with length", () => {
    const parts = partsOf(openAIResponsesEvents([{ type: 'tool-call', toolName: 'f', inputDeltas: ['{"a":[1,'] }], 'stop'));
    expect(callsOf(parts)).toMatchObject([{ invalid: true, inputText: '{"a":[1,', input: { a: [1] } }]);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'length', rawFinishReason: 'max_output_tokens' });
  });

  it('throws a TypeError for a tool result, which the format does not carry', () => {
    expect(() => openAIResponsesEvents([{ type: 'tool-result', toolCallId: 'call_1', output: 1 }])).toThrow(TypeError);
  });
});

describe('openAIResponsesProtocol through streamParts', () => {
  it.each(SERVED_CHUNKINGS)('yields the parts the decoder gives, in order, and the result (chunking %j)', async (chunking) => {
    const events = openAIResponsesEvents(TWO_TOOL_REPLY);
    const { parts, result } = await partsThrough(openAIResponsesProtocol, events, chunking);
    expect(parts).toEqual(decodeParts(openAIResponsesProtocol, events));
    expectTwoToolResult(result);
    expect(result.finish).toEqual({ type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'completed' });
  });

  it('finishes a reply cut by the token limit mid-arguments with an invalid call and length', async () => {
    const { result } = await partsThrough(openAIResponsesProtocol, openAIResponsesEvents(CUT_TOOL_CALL_REPLY, 'stop'), 'byte');
    expectCutToolCallResult(result);
  });
});
