// openAIChatProtocol: everything a Chat Completions stream carries, as parts (reasoning, text,
// refusals, tool calls, finish reason and usage), decoded from the body under every chunking.
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
import { openAIChatEvents } from '../testing/openai-chat-events.js';
import type { StreamItem } from '../testing/stream-items.js';
import { openAIChatProtocol } from './openai-chat.js';
import type { StreamPart, ToolCallPart } from './types.js';

/** One chunk of a stream, with choice 0's `delta` and `finish_reason`. */
function chunk(delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}): string {
  return formatEvent({
    data: JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1738000000,
      model: 'm',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...extra,
    }),
  });
}

/** A `delta.tool_calls` entry. */
function toolCall(index: number, fields: { id?: string; name?: string; args?: string }): Record<string, unknown> {
  const fn = {
    ...(fields.name === undefined ? {} : { name: fields.name }),
    ...(fields.args === undefined ? {} : { arguments: fields.args }),
  };
  return { index, ...(fields.id === undefined ? {} : { id: fields.id, type: 'function' }), function: fn };
}

const DONE = 'data: [DONE]\n\n';

/** The parts of `events`, the same under every chunking of their bytes (checked). */
const partsOf = (events: readonly string[]): StreamPart[] => decodePartsUnderEveryChunking(openAIChatProtocol, events);

function decodeOne(delta: Record<string, unknown>): unknown {
  return openAIChatProtocol.createDecoder()(sseEvent(JSON.stringify({ choices: [{ index: 0, delta }] })));
}

describe('openAIChatProtocol: reasoning, text and refusals', () => {
  it('maps delta.reasoning_content (DeepSeek, vLLM) and delta.reasoning (OpenRouter, Ollama) to reasoning-delta parts', () => {
    const parts = partsOf([
      chunk({ role: 'assistant', content: '', reasoning_content: 'Let me' }),
      chunk({ reasoning_content: ' think.' }),
      chunk({ reasoning: ' More.' }),
      chunk({ content: 'Hi', reasoning_content: null }),
      chunk({}, 'stop'),
      DONE,
    ]);
    expect(parts).toEqual([
      { type: 'reasoning-delta', delta: 'Let me' },
      { type: 'reasoning-delta', delta: ' think.' },
      { type: 'reasoning-delta', delta: ' More.' },
      { type: 'text-delta', delta: 'Hi' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' },
    ]);
  });

  it('reads one of reasoning_content and reasoning when a server sends both with the same text', () => {
    expect(decodeOne({ reasoning_content: 'Hmm', reasoning: 'Hmm' })).toEqual([{ type: 'reasoning-delta', delta: 'Hmm' }]);
    expect(decodeOne({ reasoning_content: '', reasoning: 'Hmm' })).toEqual([{ type: 'reasoning-delta', delta: 'Hmm' }]);
  });

  it('gives reasoning before text when one chunk carries both', () => {
    expect(decodeOne({ content: 'Answer', reasoning: 'Thought' })).toEqual([
      { type: 'reasoning-delta', delta: 'Thought' },
      { type: 'text-delta', delta: 'Answer' },
    ]);
  });

  it('maps delta.refusal to refusal-delta parts, not text', () => {
    const parts = partsOf([
      chunk({ role: 'assistant', content: null, refusal: '' }),
      chunk({ refusal: "I'm sorry," }),
      chunk({ refusal: " I can't help with that." }),
      chunk({}, 'stop'),
      DONE,
    ]);
    expect(parts).toEqual([
      { type: 'refusal-delta', delta: "I'm sorry," },
      { type: 'refusal-delta', delta: " I can't help with that." },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' },
    ]);
  });

  it('adds nothing for missing, null or empty fields', () => {
    expect(decodeOne({ role: 'assistant', content: '', refusal: null, reasoning_content: '' })).toEqual([]);
  });
});

describe('openAIChatProtocol: tool calls', () => {
  it('begins a call at the first entry of an index, streams its arguments, and ends it at finish_reason', () => {
    const parts = partsOf([
      chunk({ role: 'assistant', content: null, tool_calls: [toolCall(0, { id: 'call_abc', name: 'get_weather', args: '' })] }),
      chunk({ tool_calls: [toolCall(0, { args: '{"city":' })] }),
      chunk({ tool_calls: [toolCall(0, { args: '"Paris"}' })] }),
      chunk({}, 'tool_calls'),
      DONE,
    ]);
    expect(parts).toEqual([
      { type: 'tool-input-start', toolCallId: 'call_abc', toolName: 'get_weather' },
      { type: 'tool-input-delta', toolCallId: 'call_abc', inputTextDelta: '{"city":', input: {} },
      { type: 'tool-input-delta', toolCallId: 'call_abc', inputTextDelta: '"Paris"}', input: { city: 'Paris' } },
      { type: 'tool-call', toolCallId: 'call_abc', toolName: 'get_weather', input: { city: 'Paris' }, inputText: '{"city":"Paris"}' },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
    ]);
  });

  it('streams parallel calls by index, interleaved, and ends them in the order they began', () => {
    const parts = partsOf([
      chunk({ tool_calls: [toolCall(0, { id: 'call_a', name: 'get_weather', args: '{"ci' })] }),
      chunk({ tool_calls: [toolCall(1, { id: 'call_b', name: 'get_time', args: '{"zo' })] }),
      chunk({ tool_calls: [toolCall(0, { args: 'ty":"Paris"}' })] }),
      chunk({ tool_calls: [toolCall(1, { args: 'ne":"CET"}' })] }),
      chunk({}, 'tool_calls'),
      DONE,
    ]);
    expect(parts.map((part) => [part.type, 'toolCallId' in part ? part.toolCallId : undefined])).toEqual([
      ['tool-input-start', 'call_a'],
      ['tool-input-delta', 'call_a'],
      ['tool-input-start', 'call_b'],
      ['tool-input-delta', 'call_b'],
      ['tool-input-delta', 'call_a'],
      ['tool-input-delta', 'call_b'],
      ['tool-call', 'call_a'],
      ['tool-call', 'call_b'],
      ['finish', undefined],
    ]);
    const calls = parts.filter((part): part is ToolCallPart => part.type === 'tool-call');
    expect(calls.map(({ toolName, input }) => ({ toolName, input }))).toEqual([
      { toolName: 'get_weather', input: { city: 'Paris' } },
      { toolName: 'get_time', input: { zone: 'CET' } },
    ]);
  });

  it('reads several entries of one chunk, and a whole call in one entry (Ollama)', () => {
    const parts = partsOf([
      chunk(
        {
          role: 'assistant',
          content: '',
          tool_calls: [toolCall(0, { id: 'call_1', name: 'a', args: '{"x":1}' }), toolCall(1, { id: 'call_2', name: 'b', args: '{}' })],
        },
        'tool_calls',
      ),
      DONE,
    ]);
    expect(parts.filter((part) => part.type === 'tool-call')).toEqual([
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'a', input: { x: 1 }, inputText: '{"x":1}' },
      { type: 'tool-call', toolCallId: 'call_2', toolName: 'b', input: {}, inputText: '{}' },
    ]);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' });
  });

  it('gives the calls before the usage chunk and [DONE]: they end with the finish_reason chunk', () => {
    const decode = openAIChatProtocol.createDecoder();
    decode(sseEvent(JSON.stringify({ choices: [{ index: 0, delta: { tool_calls: [toolCall(0, { id: 'c', name: 'f', args: '{}' })] } }] })));
    expect(decode(sseEvent(JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] })))).toEqual([
      { type: 'tool-call', toolCallId: 'c', toolName: 'f', input: {}, inputText: '{}' },
    ]);
    expect(decode(sseEvent(JSON.stringify({ choices: [], usage: { total_tokens: 3 } })))).toBeUndefined();
    expect(decode(sseEvent('[DONE]'))).toMatchObject([{ type: 'finish', finishReason: 'tool-calls' }]);
  });

  it('ends the calls still open at [DONE] when no finish_reason came', () => {
    const parts = partsOf([chunk({ tool_calls: [toolCall(0, { id: 'c', name: 'f', args: '{"a":true}' })] }), DONE]);
    expect(parts.slice(-2)).toEqual([
      { type: 'tool-call', toolCallId: 'c', toolName: 'f', input: { a: true }, inputText: '{"a":true}' },
      { type: 'finish', finishReason: 'stop' },
    ]);
  });

  it('gives a call without arguments the input {}', () => {
    const parts = partsOf([chunk({ tool_calls: [toolCall(0, { id: 'c', name: 'now', args: '' })] }, 'tool_calls'), DONE]);
    expect(parts).toContainEqual({ type: 'tool-call', toolCallId: 'c', toolName: 'now', input: {}, inputText: '' });
  });

  it('names a call without an id call_<index>, and an entry without an index by its position', () => {
    const parts = partsOf([
      chunk({ tool_calls: [{ function: { name: 'a', arguments: '{}' } }, { function: { name: 'b', arguments: '[]' } }] }, 'tool_calls'),
      DONE,
    ]);
    expect(parts.filter((part) => part.type === 'tool-input-start')).toEqual([
      { type: 'tool-input-start', toolCallId: 'call_0', toolName: 'a' },
      { type: 'tool-input-start', toolCallId: 'call_1', toolName: 'b' },
    ]);
  });

  it('keeps the first id and name of an index, as openai-node does', () => {
    const parts = partsOf([
      chunk({ tool_calls: [toolCall(0, { id: 'call_first', name: 'get_weather', args: '{' })] }),
      chunk({ tool_calls: [toolCall(0, { id: 'call_again', name: 'get_weather', args: '}' })] }),
      chunk({}, 'tool_calls'),
      DONE,
    ]);
    expect(parts.filter((part) => part.type === 'tool-input-start')).toHaveLength(1);
    expect(parts).toContainEqual({ type: 'tool-call', toolCallId: 'call_first', toolName: 'get_weather', input: {}, inputText: '{}' });
  });

  it('takes arguments sent as an object (a few compatible servers) as their JSON text', () => {
    const entry = { index: 0, id: 'c', function: { name: 'f', arguments: { city: 'Paris' } } };
    const parts = partsOf([chunk({ tool_calls: [entry] }, 'tool_calls'), DONE]);
    expect(parts).toContainEqual({
      type: 'tool-call',
      toolCallId: 'c',
      toolName: 'f',
      input: { city: 'Paris' },
      inputText: '{"city":"Paris"}',
    });
  });

  it('ignores custom tool calls (free-form input, not JSON), at every chunk of their index', () => {
    const parts = partsOf([
      chunk({ tool_calls: [{ index: 0, id: 'call_c', type: 'custom', custom: { name: 'grammar', input: 'SELECT' } }] }),
      chunk({ tool_calls: [{ index: 0, custom: { input: ' 1' } }] }),
      chunk({}, 'tool_calls'),
      DONE,
    ]);
    expect(parts).toEqual([{ type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' }]);
  });
});

describe('openAIChatProtocol: invalid arguments', () => {
  it('reports arguments that end as invalid JSON as an invalid call, with the text and the parse error, and still finishes', () => {
    const parts = partsOf([
      chunk({ tool_calls: [toolCall(0, { id: 'c', name: 'f', args: '{"city": Paris}' })] }),
      chunk({}, 'tool_calls'),
      DONE,
    ]);
    const call = parts.find((part): part is ToolCallPart => part.type === 'tool-call');
    expect(call).toMatchObject({ toolCallId: 'c', toolName: 'f', inputText: '{"city": Paris}', invalid: true, input: {} });
    expect(call?.error).toBeInstanceOf(PartialJSONError);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' });
  });

  it('reports a call cut by the token limit mid-arguments as invalid, with its partial input, and finishes with length', () => {
    const parts = partsOf(
      openAIChatEvents([{ type: 'tool-call', toolName: 'write', inputDeltas: ['{"title":"Hi","body":"Once', ' upon'] }], 'stop'),
    );
    const call = parts.find((part): part is ToolCallPart => part.type === 'tool-call');
    expect(call).toMatchObject({
      toolCallId: 'call_1',
      inputText: '{"title":"Hi","body":"Once upon',
      invalid: true,
      input: { title: 'Hi', body: 'Once upon' },
    });
    expect(call?.error).toBeInstanceOf(Error);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'length', rawFinishReason: 'length' });
  });
});

describe('openAIChatProtocol: finish reason and usage', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['content_filter', 'content-filter'],
    ['tool_calls', 'tool-calls'],
    ['function_call', 'tool-calls'],
    ['eos', 'other'],
  ])('normalises finish_reason %j as %j, keeping the raw value', (raw, finishReason) => {
    expect(partsOf([chunk({ content: 'x' }), chunk({}, raw), DONE]).at(-1)).toEqual({ type: 'finish', finishReason, rawFinishReason: raw });
  });

  it('finishes with "stop" and no raw reason when no finish_reason came', () => {
    expect(partsOf([chunk({ content: 'x' }), DONE]).at(-1)).toEqual({ type: 'finish', finishReason: 'stop' });
  });

  it('normalises the usage chunk, reasoning and cached tokens included, and keeps the object as rawUsage', () => {
    const usage = {
      prompt_tokens: 1200,
      completion_tokens: 300,
      total_tokens: 1500,
      prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 192, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };
    const parts = partsOf(openAIChatEvents(['Hi'], { type: 'done', usage }));
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { inputTokens: 1200, outputTokens: 300, totalTokens: 1500, reasoningTokens: 192, cachedInputTokens: 1024 },
      rawUsage: usage,
    });
  });

  it('reads usage without details (Ollama, llama.cpp), computing no field it was not given', () => {
    const usage = { prompt_tokens: 5, completion_tokens: 2 };
    expect(partsOf([chunk({ content: 'x' }, 'stop', { usage }), DONE]).at(-1)).toMatchObject({
      usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 },
      rawUsage: usage,
    });
  });
});

describe('openAIChatProtocol: malformed deltas', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a reasoning_content that is not a string', { reasoning_content: 42 }],
    ['a refusal that is not a string', { refusal: { text: 'no' } }],
    ['tool_calls that is not an array', { tool_calls: { index: 0 } }],
    ['a tool_calls entry that is not an object', { tool_calls: ['call'] }],
    ['arguments that are neither a string nor an object', { tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: 7 } }] }],
  ])('throws a SyntaxError (a ProtocolError for the client) for %s', (_name, delta) => {
    expect(() => decodeOne(delta)).toThrow(SyntaxError);
  });

  it('ignores a delta.reasoning that is not a string (not the field it means)', () => {
    expect(decodeOne({ reasoning: { effort: 'low' }, content: 'x' })).toEqual([{ type: 'text-delta', delta: 'x' }]);
  });
});

describe('openAIChatEvents: reasoning and tool calls', () => {
  const ITEMS: StreamItem[] = [
    { type: 'reasoning', text: 'The user wants ' },
    { type: 'reasoning', text: 'the weather.' },
    'Let me ',
    'check.',
    { type: 'tool-call', toolName: 'get_weather', input: { city: 'Paris' } },
    { type: 'tool-call', toolCallId: 'call_time', toolName: 'get_time', inputDeltas: ['{"zone"', ':"CET"}'] },
  ];

  it('round-trips reasoning, text and tool calls through openAIChatProtocol, finishing with tool_calls', () => {
    const parts = partsOf(openAIChatEvents(ITEMS));
    expect(parts).toEqual([
      { type: 'reasoning-delta', delta: 'The user wants ' },
      { type: 'reasoning-delta', delta: 'the weather.' },
      { type: 'text-delta', delta: 'Let me ' },
      { type: 'text-delta', delta: 'check.' },
      { type: 'tool-input-start', toolCallId: 'call_1', toolName: 'get_weather' },
      { type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: '{"city', input: {} },
      { type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: '":"Par', input: { city: 'Par' } },
      { type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: 'is"}', input: { city: 'Paris' } },
      { type: 'tool-input-start', toolCallId: 'call_time', toolName: 'get_time' },
      { type: 'tool-input-delta', toolCallId: 'call_time', inputTextDelta: '{"zone"', input: {} },
      { type: 'tool-input-delta', toolCallId: 'call_time', inputTextDelta: ':"CET"}', input: { zone: 'CET' } },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' }, inputText: '{"city":"Paris"}' },
      { type: 'tool-call', toolCallId: 'call_time', toolName: 'get_time', input: { zone: 'CET' }, inputText: '{"zone":"CET"}' },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
    ]);
  });

  it('writes the chunks as the API does: reasoning_content, a first tool_calls entry with id and name, then argument pieces', () => {
    const events = openAIChatEvents([{ type: 'reasoning', text: 'Hmm' }, { type: 'tool-call', toolName: 'f', inputDeltas: ['{', '}'] }]);
    const deltas = events
      .slice(0, -1)
      .map((event) => (JSON.parse(event.slice('data: '.length)) as { choices: { delta: unknown; finish_reason: unknown }[] }).choices[0]);
    expect(deltas).toEqual([
      expect.objectContaining({ delta: { role: 'assistant', content: '' } }),
      expect.objectContaining({ delta: { reasoning_content: 'Hmm' } }),
      expect.objectContaining({
        delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }] },
      }),
      expect.objectContaining({ delta: { tool_calls: [{ index: 0, function: { arguments: '{' } }] } }),
      expect.objectContaining({ delta: { tool_calls: [{ index: 0, function: { arguments: '}' } }] } }),
      expect.objectContaining({ delta: {}, finish_reason: 'tool_calls' }),
    ]);
    expect(events.at(-1)).toBe(DONE);
  });

  it('keeps a finish reason given explicitly, and "length" for a stop', () => {
    const call: StreamItem = { type: 'tool-call', toolName: 'f', input: {} };
    expect(partsOf(openAIChatEvents([call], { type: 'done', finishReason: 'stop' })).at(-1)).toMatchObject({ rawFinishReason: 'stop' });
    expect(partsOf(openAIChatEvents([call], 'stop')).at(-1)).toMatchObject({ finishReason: 'length' });
  });

  it('throws a TypeError for a tool result, which the format does not carry', () => {
    expect(() => openAIChatEvents([{ type: 'tool-result', toolCallId: 'call_1', output: 1 }])).toThrow(TypeError);
  });
});

describe('openAIChatProtocol through streamParts', () => {
  it.each(SERVED_CHUNKINGS)('yields the parts the decoder gives, in order, and the result (chunking %j)', async (chunking) => {
    const events = openAIChatEvents(TWO_TOOL_REPLY);
    const { parts, result } = await partsThrough(openAIChatProtocol, events, chunking);
    expect(parts).toEqual(decodeParts(openAIChatProtocol, events));
    expectTwoToolResult(result);
    expect(result.finish).toEqual({ type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' });
  });

  it('finishes a reply cut by the token limit mid-arguments with an invalid call and length', async () => {
    const { result } = await partsThrough(openAIChatProtocol, openAIChatEvents(CUT_TOOL_CALL_REPLY, 'stop'), 'byte');
    expectCutToolCallResult(result);
  });
});
