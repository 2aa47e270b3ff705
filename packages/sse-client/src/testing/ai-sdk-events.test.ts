// aiSdkUIMessageEvents writes reasoning, tool calls and results as `streamText` does, and
// aiSdkUIMessageProtocol reads them back into the same items.
import { describe, expect, it } from 'vitest';
import { aiSdkUIMessageProtocol } from '../protocols/ai-sdk.js';
import { decodeParts } from '../test/decode-parts.js';
import { aiSdkUIMessageEvents } from './ai-sdk-events.js';
import type { StreamItem } from './stream-items.js';

const typesOf = (events: readonly string[]) =>
  events.map((event) => {
    const data = event.trim().slice('data: '.length);
    return data === '[DONE]' ? data : (JSON.parse(data) as { type: string }).type;
  });

const REPLY: StreamItem[] = [
  { type: 'reasoning', text: 'The user wants the weather.' },
  { type: 'tool-call', toolName: 'weather', input: { city: 'Paris' } },
  { type: 'tool-result', toolCallId: 'call_1', output: { temperature: 21 } },
  'It is 21 °C',
  ' in Paris.',
];

describe('aiSdkUIMessageEvents: reasoning, tool calls and results', () => {
  it('writes the chunks streamText writes, a new step after the tool result', () => {
    expect(typesOf(aiSdkUIMessageEvents(REPLY))).toEqual([
      'start',
      'start-step',
      'reasoning-start',
      'reasoning-delta',
      'reasoning-end',
      'tool-input-start',
      'tool-input-delta',
      'tool-input-delta',
      'tool-input-delta',
      'tool-input-available',
      'tool-output-available',
      'finish-step',
      'start-step',
      'text-start',
      'text-delta',
      'text-delta',
      'text-end',
      'finish-step',
      'finish',
      '[DONE]',
    ]);
  });

  it('reads back as the same reasoning, tool call, result and text', () => {
    const parts = decodeParts(aiSdkUIMessageProtocol, aiSdkUIMessageEvents(REPLY));
    expect(parts.filter((part) => part.type !== 'tool-input-delta')).toEqual([
      { type: 'reasoning-delta', delta: 'The user wants the weather.' },
      { type: 'tool-input-start', toolCallId: 'call_1', toolName: 'weather' },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' }, inputText: '{"city":"Paris"}' },
      { type: 'tool-result', toolCallId: 'call_1', toolName: 'weather', output: { temperature: 21 } },
      { type: 'text-delta', delta: 'It is 21 °C' },
      { type: 'text-delta', delta: ' in Paris.' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' },
    ]);
  });

  it('finishes with "tool-calls" by default when the last item is a tool call', () => {
    const parts = decodeParts(aiSdkUIMessageProtocol, aiSdkUIMessageEvents(['Checking.', { type: 'tool-call', toolName: 'f', inputDeltas: [] }]));
    expect(parts.slice(-2)).toEqual([
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'f', input: {}, inputText: '{}' },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool-calls' },
    ]);
  });

  it('writes tool-input-error for argument text that is not JSON, read back as a tool-error with the text', () => {
    const events = aiSdkUIMessageEvents([{ type: 'tool-call', toolCallId: 'c', toolName: 'weather', inputDeltas: ['{"city": ', 'Paris}'] }]);
    expect(typesOf(events)).toContain('tool-input-error');
    const error = decodeParts(aiSdkUIMessageProtocol, events).find((part) => part.type === 'tool-error');
    expect(error).toMatchObject({ toolCallId: 'c', toolName: 'weather', input: '{"city": Paris}' });
    expect(error?.type === 'tool-error' && error.errorText).toMatch(/^Invalid input for tool weather: /);
  });

  it("'cut' in the middle of a tool call writes no [DONE]: no finish", () => {
    const events = aiSdkUIMessageEvents([{ type: 'tool-call', toolName: 'f', inputDeltas: ['{"a":'] }], 'cut');
    expect(typesOf(events).at(-1)).toBe('tool-input-error');
    expect(decodeParts(aiSdkUIMessageProtocol, events).some((part) => part.type === 'finish')).toBe(false);
  });
});
