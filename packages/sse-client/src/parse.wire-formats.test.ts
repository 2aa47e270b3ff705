// The sample streams of docs/wire-formats.md (all five formats, and the CRLF variant that
// sse-starlette servers send, with `: ping` keep-alives), parsed under every chunking.
import { describe, expect, it } from 'vitest';
import { event, parseUnderEveryChunking } from './test/parse-helpers.js';

/** A stream from lines: each line followed by `eol` (blank lines are `''`). */
function stream(lines: readonly string[], eol = '\n'): string {
  return lines.map((line) => line + eol).join('');
}

const tokenLines = [
  'data: {"token": "Hel"}',
  '',
  'data: {"token": "lo"}',
  '',
  'data: {"error": "upstream model timed out"}',
  '',
  'data: [DONE]',
  '',
];
const tokenEvents = [
  event('{"token": "Hel"}'),
  event('{"token": "lo"}'),
  event('{"error": "upstream model timed out"}'),
  event('[DONE]'),
];

const openAIChat = [
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}',
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}',
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}',
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}',
  '[DONE]',
];

const openAIResponses: [string, string][] = [
  [
    'response.created',
    '{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","status":"in_progress"}}',
  ],
  [
    'response.output_text.delta',
    '{"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hel"}',
  ],
  [
    'response.completed',
    '{"type":"response.completed","sequence_number":9,"response":{"id":"resp_1","status":"completed","usage":{"input_tokens":9,"output_tokens":2,"total_tokens":11}}}',
  ],
];

const anthropic: [string, string][] = [
  [
    'message_start',
    '{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"stop_reason":null,"usage":{"input_tokens":9,"output_tokens":1}}}',
  ],
  ['content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'],
  ['ping', '{"type":"ping"}'],
  ['content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}'],
  ['content_block_stop', '{"type":"content_block_stop","index":0}'],
  [
    'message_delta',
    '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}',
  ],
  ['message_stop', '{"type":"message_stop"}'],
];

const aiSdk = [
  '{"type":"start","messageId":"m1"}',
  '{"type":"text-start","id":"t1"}',
  '{"type":"text-delta","id":"t1","delta":"Hel"}',
  '{"type":"text-end","id":"t1"}',
  '{"type":"finish"}',
  '[DONE]',
];

describe('the sample streams of docs/wire-formats.md', () => {
  it('1. the default {"token"} events', () => {
    expect(parseUnderEveryChunking(stream(tokenLines))).toStrictEqual({
      events: tokenEvents,
      retries: [],
      comments: [],
      errors: [],
    });
  });

  it('1. the same from sse-starlette: CRLF line endings and `: ping` keep-alives', () => {
    const lines = [': ping', '', ...tokenLines.slice(0, 4), ': ping', '', ...tokenLines.slice(4)];
    const input = stream(lines, '\r\n');
    expect(input).toContain('\r\n\r\n');
    expect(parseUnderEveryChunking(input)).toStrictEqual({
      events: tokenEvents,
      retries: [],
      comments: ['ping', 'ping'],
      errors: [],
    });
  });

  it('1. sse-starlette with a retry field and an id on every event', () => {
    const input = stream(['retry: 15000', '', 'id: 1', 'data: {"token": "Hel"}', '', ': ping', 'id: 2', 'data: [DONE]', ''], '\r\n');
    expect(parseUnderEveryChunking(input)).toStrictEqual({
      events: [event('{"token": "Hel"}', { lastEventId: '1' }), event('[DONE]', { lastEventId: '2' })],
      retries: [15000],
      comments: ['ping'],
      errors: [],
    });
  });

  it('2. OpenAI Chat Completions', () => {
    const input = stream(openAIChat.flatMap((data) => [`data: ${data}`, '']));
    expect(parseUnderEveryChunking(input).events).toStrictEqual(openAIChat.map((data) => event(data)));
  });

  it('2. OpenAI Chat Completions error under `event: error`', () => {
    const data = '{"error":{"message":"Rate limit","type":"rate_limit_error","code":429}}';
    expect(parseUnderEveryChunking(stream(['event: error', `data: ${data}`, ''])).events).toStrictEqual([
      event(data, { type: 'error' }),
    ]);
  });

  it('3. OpenAI Responses', () => {
    const input = stream(openAIResponses.flatMap(([type, data]) => [`event: ${type}`, `data: ${data}`, '']));
    expect(parseUnderEveryChunking(input).events).toStrictEqual(
      openAIResponses.map(([type, data]) => event(data, { type })),
    );
  });

  it('4. Anthropic Messages', () => {
    const input = stream(anthropic.flatMap(([type, data]) => [`event: ${type}`, `data: ${data}`, '']));
    const result = parseUnderEveryChunking(input);
    expect(result.events).toStrictEqual(anthropic.map(([type, data]) => event(data, { type })));
    expect(result.events.map((e) => e.type)).toContain('ping'); // an event named ping, not a comment
  });

  it('5. AI SDK UI message stream', () => {
    const input = stream(aiSdk.flatMap((data) => [`data: ${data}`, '']));
    expect(parseUnderEveryChunking(input).events).toStrictEqual(aiSdk.map((data) => event(data)));
  });

  it('a stream cut off mid-event delivers only the complete events', () => {
    const input = stream(tokenLines).slice(0, stream(tokenLines).indexOf('[DONE]'));
    expect(parseUnderEveryChunking(input).events).toStrictEqual(tokenEvents.slice(0, 3));
  });
});
