// anthropicProtocol maps everything Anthropic Messages streams: text, thinking, tool calls (client
// and server tools), server tool results, the stop reason and usage. Each stream is read through
// the event-stream parser under many chunkings, and must give the same parts every time.
import { describe, expect, it } from 'vitest';
import { streamTokens } from '../index.js';
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
import { anthropicEvents } from '../testing/anthropic-events.js';
import { createFakeFetch, formatEvent, sseResponse } from '../testing/index.js';
import { anthropicProtocol } from './anthropic.js';
import type { StreamPart } from './types.js';

function sse(data: Record<string, unknown>): string {
  return formatEvent({ event: String(data.type), data: JSON.stringify(data) });
}
const blockStart = (index: number, block: Record<string, unknown>) => sse({ type: 'content_block_start', index, content_block: block });
const blockDelta = (index: number, delta: Record<string, unknown>) => sse({ type: 'content_block_delta', index, delta });
const blockStop = (index: number) => sse({ type: 'content_block_stop', index });
const json = (index: number, partial_json: string) => blockDelta(index, { type: 'input_json_delta', partial_json });
const messageStart = (usage: Record<string, unknown>) =>
  sse({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], stop_reason: null, usage } });
const messageDelta = (stopReason: string, usage: Record<string, unknown>) =>
  sse({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage });
const MESSAGE_STOP = sse({ type: 'message_stop' });

const START_USAGE = { input_tokens: 472, cache_creation_input_tokens: 0, cache_read_input_tokens: 320, output_tokens: 3 };

/** Every chunking of the stream gives exactly `expected`. */
function expectParts(events: readonly string[], expected: readonly StreamPart[]): void {
  expect(decodePartsUnderEveryChunking(anthropicProtocol, events)).toEqual(expected);
}

describe('anthropicProtocol parts: thinking, text and a tool call', () => {
  const events = [
    messageStart(START_USAGE),
    blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
    blockDelta(0, { type: 'thinking_delta', thinking: 'Weather question:' }),
    blockDelta(0, { type: 'thinking_delta', thinking: ' use the tool.' }),
    blockDelta(0, { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA' }),
    blockStop(0),
    blockStart(1, { type: 'text', text: '' }),
    blockDelta(1, { type: 'text_delta', text: 'Let me check.' }),
    blockDelta(1, { type: 'citations_delta', citation: { type: 'char_location', cited_text: 'x' } }),
    blockStop(1),
    blockStart(2, { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: {} }),
    json(2, ''),
    json(2, '{"city": "Par'),
    json(2, 'is"}'),
    blockStop(2),
    messageDelta('tool_use', { output_tokens: 89 }),
    MESSAGE_STOP,
  ];

  it('gives reasoning-delta, text-delta, tool-input-start/delta, tool-call, then finish (every chunking)', () => {
    expectParts(events, [
      { type: 'reasoning-delta', delta: 'Weather question:' },
      { type: 'reasoning-delta', delta: ' use the tool.' },
      { type: 'text-delta', delta: 'Let me check.' },
      { type: 'tool-input-start', toolCallId: 'toolu_01', toolName: 'get_weather' },
      { type: 'tool-input-delta', toolCallId: 'toolu_01', inputTextDelta: '{"city": "Par', input: { city: 'Par' } },
      { type: 'tool-input-delta', toolCallId: 'toolu_01', inputTextDelta: 'is"}', input: { city: 'Paris' } },
      { type: 'tool-call', toolCallId: 'toolu_01', toolName: 'get_weather', input: { city: 'Paris' }, inputText: '{"city": "Paris"}' },
      {
        type: 'finish',
        finishReason: 'tool-calls',
        rawFinishReason: 'tool_use',
        usage: { inputTokens: 472, outputTokens: 89, totalTokens: 561, cachedInputTokens: 320 },
        rawUsage: { ...START_USAGE, output_tokens: 89 },
      },
    ]);
  });

  it('gives the tool call frozen', () => {
    const call = decodeParts(anthropicProtocol, [events.join('')]).find((part) => part.type === 'tool-call');
    expect(Object.isFrozen(call?.type === 'tool-call' ? call.input : undefined)).toBe(true);
  });
});

describe('anthropicProtocol parts: tool input edge cases', () => {
  const decodeAll = (events: readonly string[]) => decodeParts(anthropicProtocol, [[messageStart({}), ...events].join('')]);
  const callOf = (events: readonly string[]) => decodeAll(events).find((part) => part.type === 'tool-call');

  it('a tool without arguments (only an empty input_json_delta) has input {} and empty input text', () => {
    const events = [blockStart(0, { type: 'tool_use', id: 't1', name: 'now', input: {} }), json(0, ''), blockStop(0)];
    expect(callOf(events)).toEqual({ type: 'tool-call', toolCallId: 't1', toolName: 'now', input: {}, inputText: '' });
  });

  it('uses a non-empty input of the start block when no input_json_delta comes', () => {
    const events = [blockStart(0, { type: 'tool_use', id: 't1', name: 'f', input: { a: [1, 2] } }), blockStop(0)];
    expect(callOf(events)).toEqual({ type: 'tool-call', toolCallId: 't1', toolName: 'f', input: { a: [1, 2] }, inputText: '{"a":[1,2]}' });
  });

  it('ignores the start block input once an input_json_delta came, as the official SDK does', () => {
    const events = [blockStart(0, { type: 'tool_use', id: 't1', name: 'f', input: { stale: true } }), json(0, '{"b":2}'), blockStop(0)];
    expect(callOf(events)).toMatchObject({ input: { b: 2 }, inputText: '{"b":2}' });
  });

  it('keeps the calls of several open blocks apart by index', () => {
    const parts = decodeAll([
      blockStart(1, { type: 'tool_use', id: 'a', name: 'f', input: {} }),
      blockStart(2, { type: 'tool_use', id: 'b', name: 'g', input: {} }),
      json(2, '{"y":'),
      json(1, '{"x":1}'),
      json(2, '2}'),
      blockStop(2),
      blockStop(1),
    ]);
    expect(parts.filter((part) => part.type === 'tool-call')).toEqual([
      { type: 'tool-call', toolCallId: 'b', toolName: 'g', input: { y: 2 }, inputText: '{"y":2}' },
      { type: 'tool-call', toolCallId: 'a', toolName: 'f', input: { x: 1 }, inputText: '{"x":1}' },
    ]);
  });

  it('ignores an input_json_delta for a block that is not an open tool call', () => {
    expect(decodeAll([json(7, '{"x":1}')])).toEqual([]);
  });

  it('a model mistake (input that is not JSON) gives a tool-call marked invalid, and the stream goes on', () => {
    const parts = decodeAll([
      blockStart(0, { type: 'tool_use', id: 't1', name: 'f', input: {} }),
      json(0, '{"city": Paris}'),
      blockStop(0),
      blockStart(1, { type: 'text', text: '' }),
      blockDelta(1, { type: 'text_delta', text: 'Done.' }),
      messageDelta('tool_use', { output_tokens: 9 }),
      MESSAGE_STOP,
    ]);
    const call = parts.find((part) => part.type === 'tool-call');
    expect(call).toMatchObject({ toolCallId: 't1', invalid: true, inputText: '{"city": Paris}', input: {} });
    expect(call?.type === 'tool-call' && call.error).toBeInstanceOf(PartialJSONError);
    expect(parts.slice(-2)).toMatchObject([{ type: 'text-delta', delta: 'Done.' }, { type: 'finish', finishReason: 'tool-calls' }]);
  });
});

describe('anthropicProtocol parts: a reply cut by max_tokens in the middle of a tool call', () => {
  // As recorded by the official SDK's tests: the tool_use block never gets content_block_stop.
  const events = [
    messageStart({ input_tokens: 450, cache_read_input_tokens: 0, output_tokens: 1 }),
    blockStart(0, { type: 'text', text: '' }),
    blockDelta(0, { type: 'text_delta', text: 'Writing the file.' }),
    blockStop(0),
    blockStart(1, { type: 'tool_use', id: 'toolu_cut', name: 'make_file', input: {} }),
    json(1, ''),
    json(1, '{"filename": "taxes.txt", "lines": [\n"# A",\n'),
    json(1, '"Filing taxes'),
    messageDelta('max_tokens', { output_tokens: 124 }),
    MESSAGE_STOP,
  ];

  it('ends the open call at message_stop, invalid with the raw text, the partial input and the parse error, then finishes with length', () => {
    const [call, finish] = decodePartsUnderEveryChunking(anthropicProtocol, events).slice(-2);
    expect(call).toMatchObject({
      type: 'tool-call',
      toolCallId: 'toolu_cut',
      toolName: 'make_file',
      invalid: true,
      inputText: '{"filename": "taxes.txt", "lines": [\n"# A",\n"Filing taxes',
      input: { filename: 'taxes.txt', lines: ['# A', 'Filing taxes'] },
    });
    expect(call?.type === 'tool-call' && call.error).toBeInstanceOf(PartialJSONError);
    expect(finish).toEqual({
      type: 'finish',
      finishReason: 'length',
      rawFinishReason: 'max_tokens',
      usage: { inputTokens: 450, outputTokens: 124, totalTokens: 574, cachedInputTokens: 0 },
      rawUsage: { input_tokens: 450, cache_read_input_tokens: 0, output_tokens: 124 },
    });
  });

  it('still resolves streamTokens with the text: a cut tool call never fails the stream', async () => {
    const stream = streamTokens('/v1/messages', { protocol: anthropicProtocol, fetch: createFakeFetch(() => sseResponse(events)) });
    await expect(stream.text).resolves.toBe('Writing the file.');
  });
});

describe('anthropicProtocol parts: server tools', () => {
  const result = [{ type: 'web_search_result', title: 'Eclipses', url: 'https://example.com/e', encrypted_content: 'Eq…' }];
  const events = [
    messageStart({ input_tokens: 612, output_tokens: 1 }),
    blockStart(0, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }),
    json(0, ''),
    json(0, '{"query": "eclipse"}'),
    blockStop(0),
    blockStart(1, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: result }),
    blockStop(1),
    blockStart(2, { type: 'text', text: '' }),
    blockDelta(2, { type: 'text_delta', text: 'Two eclipses.' }),
    blockStop(2),
    messageDelta('end_turn', { output_tokens: 50 }),
    MESSAGE_STOP,
  ];

  it('server_tool_use is a tool call run by the provider; its *_tool_result block is a tool-result (every chunking)', () => {
    expectParts(events, [
      { type: 'tool-input-start', toolCallId: 'srvtoolu_1', toolName: 'web_search', providerExecuted: true },
      { type: 'tool-input-delta', toolCallId: 'srvtoolu_1', inputTextDelta: '{"query": "eclipse"}', input: { query: 'eclipse' } },
      {
        type: 'tool-call',
        toolCallId: 'srvtoolu_1',
        toolName: 'web_search',
        input: { query: 'eclipse' },
        inputText: '{"query": "eclipse"}',
        providerExecuted: true,
      },
      { type: 'tool-result', toolCallId: 'srvtoolu_1', toolName: 'web_search', output: result, providerExecuted: true },
      { type: 'text-delta', delta: 'Two eclipses.' },
      {
        type: 'finish',
        finishReason: 'stop',
        rawFinishReason: 'end_turn',
        usage: { inputTokens: 612, outputTokens: 50, totalTokens: 662 },
        rawUsage: { input_tokens: 612, output_tokens: 50 },
      },
    ]);
  });

  it('a result for a call it did not see has no toolName', () => {
    const decode = anthropicProtocol.createDecoder();
    const error = { type: 'web_fetch_tool_result_error', error_code: 'url_not_accessible' };
    expect(
      decode(sseEvent(JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'web_fetch_tool_result', tool_use_id: 'x', content: error } }))),
    ).toEqual({ type: 'tool-result', toolCallId: 'x', output: error, providerExecuted: true });
  });
});

describe('anthropicProtocol parts: the decoder', () => {
  const start = (block: Record<string, unknown>) => sseEvent(JSON.stringify({ type: 'content_block_start', index: 0, content_block: block }));
  const delta = (value: Record<string, unknown>) => sseEvent(JSON.stringify({ type: 'content_block_delta', index: 0, delta: value }));

  it('gives the text a text or thinking block starts with; ignores empty deltas and redacted thinking', () => {
    const decode = anthropicProtocol.createDecoder();
    expect(decode(start({ type: 'text', text: 'Hi' }))).toEqual({ type: 'text-delta', delta: 'Hi' });
    expect(decode(start({ type: 'thinking', thinking: 'Hm', signature: '' }))).toEqual({ type: 'reasoning-delta', delta: 'Hm' });
    expect(decode(start({ type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' }))).toBeUndefined();
    expect(decode(delta({ type: 'thinking_delta', thinking: '' }))).toBeUndefined();
    expect(decode(delta({ type: 'text_delta', text: '' }))).toBeUndefined();
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool-calls'],
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
    ['a_future_reason', 'other'],
  ])('normalises stop_reason %s to %s, keeping the raw value', (raw, normalised) => {
    const decode = anthropicProtocol.createDecoder();
    decode(sseEvent(JSON.stringify({ type: 'message_delta', delta: { stop_reason: raw }, usage: { output_tokens: 1 } })));
    expect(decode(sseEvent('{"type":"message_stop"}'))).toMatchObject([{ finishReason: normalised, rawFinishReason: raw }]);
  });

  it('throws a SyntaxError for a thinking_delta or input_json_delta without a string, or a tool_use block without id or name', () => {
    expect(() => anthropicProtocol.createDecoder()(delta({ type: 'thinking_delta', thinking: 1 }))).toThrow(SyntaxError);
    const decode = anthropicProtocol.createDecoder();
    decode(start({ type: 'tool_use', id: 't', name: 'f', input: {} }));
    expect(() => decode(delta({ type: 'input_json_delta', partial_json: null }))).toThrow(SyntaxError);
    expect(() => anthropicProtocol.createDecoder()(start({ type: 'tool_use', name: 'f', input: {} }))).toThrow(SyntaxError);
    expect(() => anthropicProtocol.createDecoder()(start({ type: 'server_tool_use', id: 't', input: {} }))).toThrow(SyntaxError);
  });
});

describe('anthropicProtocol through streamParts', () => {
  it.each(SERVED_CHUNKINGS)('yields the parts the decoder gives, in order, and the result (chunking %j)', async (chunking) => {
    const events = anthropicEvents(TWO_TOOL_REPLY);
    const { parts, result } = await partsThrough(anthropicProtocol, events, chunking);
    expect(parts).toEqual(decodeParts(anthropicProtocol, events));
    expectTwoToolResult(result);
    expect(result.finish).toMatchObject({ finishReason: 'tool-calls', rawFinishReason: 'tool_use' });
  });

  it('finishes a reply cut by max_tokens mid-arguments with an invalid call and length', async () => {
    const { result } = await partsThrough(anthropicProtocol, anthropicEvents(CUT_TOOL_CALL_REPLY, 'stop'), 'byte');
    expectCutToolCallResult(result);
    expect(result.finish.rawFinishReason).toBe('max_tokens');
  });
});
