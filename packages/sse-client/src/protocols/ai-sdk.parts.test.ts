// aiSdkUIMessageProtocol maps every UI message chunk that carries content to the stream part of the
// same name: text, reasoning, tool input, calls, results and errors, sources, files, data parts,
// and the finish. Each stream is read through the event-stream parser under many chunkings.
import { describe, expect, it } from 'vitest';
import { sseEvent } from '../test/helpers.js';
import { partsThrough, SERVED_CHUNKINGS } from '../test/through-stream-parts.js';
import { decodeParts, decodePartsUnderEveryChunking } from '../test/decode-parts.js';
import { aiSdkUIMessageEvents } from '../testing/ai-sdk-events.js';
import { formatEvent } from '../testing/index.js';
import type { StreamItem } from '../testing/stream-items.js';
import { aiSdkUIMessageProtocol } from './ai-sdk.js';
import type { StreamPart } from './types.js';

const part = (data: Record<string, unknown>): string => formatEvent({ data: JSON.stringify(data) });
const DONE = 'data: [DONE]\n\n';

function decodeAll(events: readonly string[]): StreamPart[] {
  return decodeParts(aiSdkUIMessageProtocol, [events.join('')]);
}

function decodeOne(data: Record<string, unknown>): ReturnType<ReturnType<typeof aiSdkUIMessageProtocol.createDecoder>> {
  return aiSdkUIMessageProtocol.createDecoder()(sseEvent(JSON.stringify(data)));
}

describe('aiSdkUIMessageProtocol parts: a two-step streamText answer', () => {
  const events = [
    part({ type: 'start', messageId: 'msg-1' }),
    part({ type: 'start-step' }),
    part({ type: 'reasoning-start', id: 'rs_1' }),
    part({ type: 'reasoning-delta', id: 'rs_1', delta: 'The user wants' }),
    part({ type: 'reasoning-delta', id: 'rs_1', delta: ' the weather.' }),
    part({ type: 'reasoning-end', id: 'rs_1' }),
    part({ type: 'tool-input-start', toolCallId: 'call_1', toolName: 'weather' }),
    part({ type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: '{"city":"Pa' }),
    part({ type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: 'ris"}' }),
    part({ type: 'tool-input-available', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } }),
    part({ type: 'tool-output-available', toolCallId: 'call_1', output: { temperature: 21 } }),
    part({ type: 'finish-step' }),
    part({ type: 'start-step' }),
    part({ type: 'text-start', id: 'txt-0' }),
    part({ type: 'text-delta', id: 'txt-0', delta: 'It is 21 °C' }),
    part({ type: 'text-delta', id: 'txt-0', delta: ' in Paris ☀️.' }),
    part({ type: 'text-end', id: 'txt-0' }),
    part({ type: 'source-url', sourceId: 'src-1', url: 'https://example.com/paris', title: 'Paris weather' }),
    part({ type: 'source-document', sourceId: 'src-2', mediaType: 'application/pdf', title: 'Climate report' }),
    part({ type: 'file', url: 'data:image/png;base64,iVBORw0KGgo=', mediaType: 'image/png' }),
    part({ type: 'data-weather', id: 'w1', data: { city: 'Paris', temperature: 21 } }),
    part({ type: 'data-notice', data: 'cached', transient: true }),
    part({ type: 'finish-step' }),
    part({ type: 'message-metadata', messageMetadata: { totalTokens: 120 } }),
    part({ type: 'finish', finishReason: 'stop' }),
    DONE,
  ];

  it('maps each chunk to the part of the same name, and ends with the finish (every chunking)', () => {
    const expected: StreamPart[] = [
      { type: 'reasoning-delta', delta: 'The user wants' },
      { type: 'reasoning-delta', delta: ' the weather.' },
      { type: 'tool-input-start', toolCallId: 'call_1', toolName: 'weather' },
      { type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: '{"city":"Pa', input: { city: 'Pa' } },
      { type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: 'ris"}', input: { city: 'Paris' } },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' }, inputText: '{"city":"Paris"}' },
      { type: 'tool-result', toolCallId: 'call_1', toolName: 'weather', output: { temperature: 21 } },
      { type: 'text-delta', delta: 'It is 21 °C' },
      { type: 'text-delta', delta: ' in Paris ☀️.' },
      { type: 'source-url', sourceId: 'src-1', url: 'https://example.com/paris', title: 'Paris weather' },
      { type: 'source-document', sourceId: 'src-2', mediaType: 'application/pdf', title: 'Climate report' },
      { type: 'file', url: 'data:image/png;base64,iVBORw0KGgo=', mediaType: 'image/png' },
      { type: 'data-weather', id: 'w1', data: { city: 'Paris', temperature: 21 } },
      { type: 'data-notice', data: 'cached', transient: true },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' },
    ];
    expect(decodePartsUnderEveryChunking(aiSdkUIMessageProtocol, events)).toEqual(expected);
  });
});

describe('aiSdkUIMessageProtocol parts: tool calls', () => {
  it('tool-input-available without a tool-input-start (a call the model did not stream) gives both parts', () => {
    expect(decodeAll([part({ type: 'tool-input-available', toolCallId: 'c', toolName: 'f', input: { a: 1 }, providerExecuted: true })])).toEqual([
      { type: 'tool-input-start', toolCallId: 'c', toolName: 'f', providerExecuted: true },
      { type: 'tool-call', toolCallId: 'c', toolName: 'f', input: { a: 1 }, inputText: '{"a":1}', providerExecuted: true },
    ]);
  });

  it('takes the input of tool-input-available as sent (frozen), even when the streamed text is not JSON', () => {
    const parts = decodeAll([
      part({ type: 'tool-input-start', toolCallId: 'c', toolName: 'shell', inputEncoding: 'text' }),
      part({ type: 'tool-input-delta', toolCallId: 'c', inputTextDelta: 'ls -la' }),
      part({ type: 'tool-input-available', toolCallId: 'c', toolName: 'shell', input: { command: ['ls', '-la'] } }),
    ]);
    const call = parts.at(-1);
    expect(call).toEqual({ type: 'tool-call', toolCallId: 'c', toolName: 'shell', input: { command: ['ls', '-la'] }, inputText: 'ls -la' });
    const input = call?.type === 'tool-call' ? (call.input as { command: string[] }) : undefined;
    expect(Object.isFrozen(input)).toBe(true);
    expect(Object.isFrozen(input?.command)).toBe(true);
  });

  it('providerExecuted of tool-input-start carries to the tool-call and tool-output-available to the tool-result', () => {
    const parts = decodeAll([
      part({ type: 'tool-input-start', toolCallId: 'ws', toolName: 'web_search', providerExecuted: true }),
      part({ type: 'tool-input-available', toolCallId: 'ws', toolName: 'web_search', input: { query: 'x' } }),
      part({ type: 'tool-output-available', toolCallId: 'ws', output: [], providerExecuted: true }),
    ]);
    expect(parts.map((item) => ('providerExecuted' in item ? item.providerExecuted : undefined))).toEqual([true, true, true]);
  });

  it('tool-input-error gives a tool-error with the input as sent, and no tool-call for the open call', () => {
    const parts = decodeAll([
      part({ type: 'tool-input-start', toolCallId: 'c', toolName: 'weather' }),
      part({ type: 'tool-input-delta', toolCallId: 'c', inputTextDelta: '{"city": Paris}' }),
      part({
        type: 'tool-input-error',
        toolCallId: 'c',
        toolName: 'weather',
        input: '{"city": Paris}',
        errorText: 'Invalid input for tool weather: JSON parsing failed',
      }),
      part({ type: 'finish', finishReason: 'tool-calls' }),
      DONE,
    ]);
    expect(parts.slice(2)).toEqual([
      {
        type: 'tool-error',
        toolCallId: 'c',
        toolName: 'weather',
        errorText: 'Invalid input for tool weather: JSON parsing failed',
        input: '{"city": Paris}',
      },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool-calls' },
    ]);
  });

  it('tool-output-error gives a tool-error with the name of the call', () => {
    const parts = decodeAll([
      part({ type: 'tool-input-available', toolCallId: 'c', toolName: 'weather', input: {} }),
      part({ type: 'tool-output-error', toolCallId: 'c', errorText: 'Service unavailable' }),
    ]);
    expect(parts.at(-1)).toEqual({ type: 'tool-error', toolCallId: 'c', toolName: 'weather', errorText: 'Service unavailable' });
  });

  it('a preliminary result and the final one are both tool-results, in order', () => {
    const parts = decodeAll([
      part({ type: 'tool-output-available', toolCallId: 'c', output: { progress: 0.5 }, preliminary: true }),
      part({ type: 'tool-output-available', toolCallId: 'c', output: { done: true } }),
    ]);
    expect(parts).toEqual([
      { type: 'tool-result', toolCallId: 'c', output: { progress: 0.5 } },
      { type: 'tool-result', toolCallId: 'c', output: { done: true } },
    ]);
  });

  it('at [DONE], ends a call whose input was cut (an aborted stream): invalid, then the finish', () => {
    const parts = decodeAll([
      part({ type: 'tool-input-start', toolCallId: 'c', toolName: 'f' }),
      part({ type: 'tool-input-delta', toolCallId: 'c', inputTextDelta: '{"text": "Once up' }),
      part({ type: 'abort', reason: 'client disconnected' }),
      DONE,
    ]);
    expect(parts.slice(-2)).toMatchObject([
      { type: 'tool-call', toolCallId: 'c', invalid: true, inputText: '{"text": "Once up', input: { text: 'Once up' } },
      { type: 'finish', finishReason: 'other', rawFinishReason: 'abort' },
    ]);
  });
});

describe('aiSdkUIMessageProtocol parts: the finish', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['content-filter', 'content-filter'],
    ['tool-calls', 'tool-calls'],
    ['error', 'error'],
    ['other', 'other'],
    ['interrupted', 'other'],
    ['unknown', 'other'],
  ])('finishReason %s is %s, the raw value kept', (raw, normalised) => {
    expect(decodeAll([part({ type: 'finish', finishReason: raw }), DONE])).toEqual([
      { type: 'finish', finishReason: normalised, rawFinishReason: raw },
    ]);
  });

  it('reads no usage: messageMetadata is the app’s own', () => {
    const parts = decodeAll([part({ type: 'finish', finishReason: 'stop', messageMetadata: { usage: { inputTokens: 3 } } }), DONE]);
    expect(parts).toEqual([{ type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' }]);
  });
});

describe('aiSdkUIMessageProtocol parts: the decoder', () => {
  it('ignores the chunks that carry no content of their own', () => {
    for (const type of [
      'start',
      'start-step',
      'finish-step',
      'reset-step',
      'text-start',
      'text-end',
      'reasoning-start',
      'reasoning-end',
      'message-metadata',
      'custom',
      'steering-message',
      'tool-approval-request',
      'tool-approval-response',
      'tool-output-denied',
      'reasoning-file',
      'some-future-part',
    ]) {
      expect(decodeOne({ type, id: 'x', toolCallId: 'c', url: 'u', mediaType: 'm' }), type).toBeUndefined();
    }
  });

  it('ignores empty text and reasoning deltas, and a data part keeps only the fields it has', () => {
    expect(decodeOne({ type: 'text-delta', id: 't', delta: '' })).toBeUndefined();
    expect(decodeOne({ type: 'reasoning-delta', id: 'r', delta: '' })).toBeUndefined();
    expect(decodeOne({ type: 'data-x', data: null })).toEqual({ type: 'data-x', data: null });
  });

  it.each([
    { type: 'reasoning-delta', id: 'r', delta: 1 },
    { type: 'tool-input-start', toolCallId: 'c' },
    { type: 'tool-input-delta', toolCallId: 'c' },
    { type: 'tool-input-available', toolName: 'f', input: {} },
    { type: 'tool-input-error', toolCallId: 'c', toolName: 'f' },
    { type: 'tool-output-available', output: 1 },
    { type: 'tool-output-error', toolCallId: 'c' },
    { type: 'source-url', sourceId: 's' },
    { type: 'source-document', sourceId: 's', mediaType: 'application/pdf' },
    { type: 'file', url: 'https://example.com/a.png' },
  ])('throws a SyntaxError for a $type part without the string fields it needs', (data) => {
    expect(() => decodeOne(data)).toThrow(SyntaxError);
  });
});

describe('aiSdkUIMessageProtocol through streamParts', () => {
  const REPLY: StreamItem[] = [
    { type: 'reasoning', text: 'The weather. ' },
    { type: 'tool-call', toolName: 'weather', input: { city: 'Zürich' } },
    { type: 'tool-result', toolCallId: 'call_1', output: { temperature: 21 } },
    'It is ',
    '21 °C 🌍.',
  ];

  it.each(SERVED_CHUNKINGS)('yields the parts the decoder gives, in order, and the result (chunking %j)', async (chunking) => {
    const events = aiSdkUIMessageEvents(REPLY);
    const { parts, result } = await partsThrough(aiSdkUIMessageProtocol, events, chunking);
    expect(parts).toEqual(decodeParts(aiSdkUIMessageProtocol, events));
    expect(result).toMatchObject({ text: 'It is 21 °C 🌍.', reasoning: 'The weather. ' });
    expect(result.toolCalls).toEqual([
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Zürich' }, inputText: '{"city":"Zürich"}' },
    ]);
    expect(parts).toContainEqual({ type: 'tool-result', toolCallId: 'call_1', toolName: 'weather', output: { temperature: 21 } });
    expect(result.finish).toEqual({ type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' });
  });
});
