// anthropicEvents writes reasoning and tool calls as Anthropic Messages streams them, and
// anthropicProtocol reads them back into the same items.
import { describe, expect, it } from 'vitest';
import { anthropicProtocol } from '../protocols/anthropic.js';
import { decodeParts } from '../test/decode-parts.js';
import { anthropicEvents } from './anthropic-events.js';
import type { StreamItem } from './stream-items.js';

const typesOf = (events: readonly string[]) =>
  events.map((event) => {
    const data = JSON.parse(/^data: (.*)$/m.exec(event)![1]!) as { type: string; delta?: { type: string } };
    return data.type === 'content_block_delta' ? `${data.type}:${data.delta?.type}` : data.type;
  });

const REPLY: StreamItem[] = [
  { type: 'reasoning', text: 'Weather question:' },
  { type: 'reasoning', text: ' use the tool.' },
  'Let me ',
  'check.',
  { type: 'tool-call', toolName: 'get_weather', input: { city: 'Paris' } },
];

describe('anthropicEvents: reasoning and tool calls', () => {
  it('writes a thinking block (signed), a text block and a tool_use block with its argument text in input_json_deltas', () => {
    expect(typesOf(anthropicEvents(REPLY))).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta:thinking_delta',
      'content_block_delta:thinking_delta',
      'content_block_delta:signature_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta:text_delta',
      'content_block_delta:text_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta:input_json_delta',
      'content_block_delta:input_json_delta',
      'content_block_delta:input_json_delta',
      'content_block_delta:input_json_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('reads back as the same reasoning, text and tool call; stop_reason tool_use by default after a tool call', () => {
    const parts = decodeParts(anthropicProtocol, anthropicEvents(REPLY));
    expect(parts.filter((part) => part.type !== 'tool-input-delta')).toEqual([
      { type: 'reasoning-delta', delta: 'Weather question:' },
      { type: 'reasoning-delta', delta: ' use the tool.' },
      { type: 'text-delta', delta: 'Let me ' },
      { type: 'text-delta', delta: 'check.' },
      { type: 'tool-input-start', toolCallId: 'call_1', toolName: 'get_weather' },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' }, inputText: '{"city":"Paris"}' },
      {
        type: 'finish',
        finishReason: 'tool-calls',
        rawFinishReason: 'tool_use',
        usage: { inputTokens: 0, outputTokens: REPLY.length, totalTokens: REPLY.length },
        rawUsage: { input_tokens: 0, output_tokens: REPLY.length },
      },
    ]);
    expect(parts.filter((part) => part.type === 'tool-input-delta').map((part) => part.inputTextDelta)).toEqual([
      '{"city',
      '":"Par',
      'is"}',
    ]);
  });

  it('numbers the calls call_1, call_2… unless an id is given, each in a block of its own', () => {
    const parts = decodeParts(
      anthropicProtocol,
      anthropicEvents([
        { type: 'tool-call', toolName: 'a' },
        { type: 'tool-call', toolCallId: 'toolu_x', toolName: 'b', inputDeltas: [] },
        { type: 'tool-call', toolName: 'c', input: [1] },
      ]),
    );
    expect(parts.filter((part) => part.type === 'tool-call').map((part) => [part.toolCallId, part.input])).toEqual([
      ['call_1', {}],
      ['toolu_x', {}],
      ['call_3', [1]],
    ]);
  });

  it("'stop' leaves a cut tool_use block open, as the API does: an invalid call, then finish length", () => {
    const events = anthropicEvents([{ type: 'tool-call', toolName: 'make_file', inputDeltas: ['{"name": "tax', 'es.txt", "lines": ["A'] }], 'stop');
    expect(typesOf(events).slice(-4)).toEqual(['content_block_delta:input_json_delta', 'content_block_delta:input_json_delta', 'message_delta', 'message_stop']);
    expect(decodeParts(anthropicProtocol, events).slice(-2)).toMatchObject([
      { type: 'tool-call', toolCallId: 'call_1', invalid: true, inputText: '{"name": "taxes.txt", "lines": ["A', input: { name: 'taxes.txt', lines: ['A'] } },
      { type: 'finish', finishReason: 'length', rawFinishReason: 'max_tokens' },
    ]);
  });

  it('throws a TypeError for a tool-result item (the API carries only its own tools’ results)', () => {
    expect(() => anthropicEvents(['Hi', { type: 'tool-result', toolCallId: 'call_1', output: 1 }])).toThrow(
      new TypeError('The Anthropic Messages wire format has no tool-result events'),
    );
  });
});
