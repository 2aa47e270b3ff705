import { describe, expect, it } from 'vitest';
import {
  createChatStore,
  IncompleteStreamError,
  ProtocolError,
  ServerStreamError,
  streamTokens,
  type ChatSnapshot,
} from '../index.js';
import { chunkings } from '../testing/chunking.js';
import { createFakeFetch, sseResponse, formatEvent } from '../testing/index.js';
import { anthropicProtocol } from './anthropic.js';
import { rejectionOf, sseEvent } from '../test/helpers.js';

const URL_ = 'https://api.anthropic.com/v1/messages';

/** One event as the API writes it: `event:` repeats the data's `type`. */
function sse(data: Record<string, unknown>): string {
  return formatEvent({ event: String(data.type), data: JSON.stringify(data) });
}

const START_USAGE = {
  input_tokens: 472,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
  output_tokens: 3,
  service_tier: 'standard',
};

const MESSAGE_START = sse({
  type: 'message_start',
  message: {
    model: 'claude-sonnet-4-5-20250929',
    id: 'msg_01TgF8mRyxyQq5E4s2E9hxRS',
    type: 'message',
    role: 'assistant',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: START_USAGE,
  },
});
// The API writes its keep-alive with a space after the colon.
const PING = 'event: ping\ndata: {"type": "ping"}\n\n';

function blockStart(index: number, block: Record<string, unknown>): string {
  return sse({ type: 'content_block_start', index, content_block: block });
}
function blockDelta(index: number, delta: Record<string, unknown>): string {
  return sse({ type: 'content_block_delta', index, delta });
}
function blockStop(index: number): string {
  return sse({ type: 'content_block_stop', index });
}
function messageDelta(stopReason: string, usage: Record<string, unknown>): string {
  return sse({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage });
}
const MESSAGE_STOP = sse({ type: 'message_stop' });

const THINKING = [
  blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
  PING,
  blockDelta(0, { type: 'thinking_delta', thinking: 'The user greets me in French.' }),
  blockDelta(0, { type: 'thinking_delta', thinking: ' I should answer in French.' }),
  blockDelta(0, { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' }),
  blockStop(0),
];

const TOKENS = ['Bonjour', ' ! Ça', ' va', ' 🌍 ?', '\n\nÀ bientôt.'];
const TEXT = TOKENS.join('');

function textBlock(index: number, tokens: readonly string[]): string[] {
  return [
    blockStart(index, { type: 'text', text: '' }),
    ...tokens.map((text) => blockDelta(index, { type: 'text_delta', text })),
    blockStop(index),
  ];
}

const STREAM = [
  MESSAGE_START,
  ...THINKING,
  ...textBlock(1, TOKENS),
  messageDelta('end_turn', { output_tokens: 89 }),
  MESSAGE_STOP,
];

function fetchOf(chunks: Iterable<string | Uint8Array>) {
  return createFakeFetch(() => sseResponse(chunks));
}

function streamOf(chunks: Iterable<string | Uint8Array>) {
  return streamTokens(URL_, {
    protocol: anthropicProtocol,
    fetch: fetchOf(chunks),
    headers: { 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01' },
    body: { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Salut' }], stream: true },
  });
}

async function snapshotOf(chunks: readonly string[]): Promise<ChatSnapshot> {
  const store = createChatStore({ url: URL_, protocol: anthropicProtocol, fetch: fetchOf(chunks) });
  await store.send('Salut');
  return store.getSnapshot();
}

describe('anthropicProtocol: a complete stream', () => {
  for (const { name, chunks } of chunkings(new TextEncoder().encode(STREAM.join('')), { twoWaySplits: false, seeds: [1, 2, 3] })) {
    it(`yields the text_delta texts, not the thinking block (${name})`, async () => {
      const stream = streamOf(chunks);
      const tokens: string[] = [];
      for await (const token of stream) tokens.push(token);
      expect(tokens).toEqual(TOKENS);
      expect(await stream.text).toBe(TEXT);
    });
  }

  it('finishes at message_stop with the stop_reason and the usage of message_start and message_delta merged', async () => {
    const snapshot = await snapshotOf(STREAM);
    expect(snapshot.status).toBe('done');
    expect(snapshot.text).toBe(TEXT);
    expect(snapshot.finish).toEqual({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 472, outputTokens: 89, totalTokens: 561, cachedInputTokens: 0 },
      rawUsage: { ...START_USAGE, output_tokens: 89 },
    });
  });

  it('keeps tool input (input_json_delta) out of the text and finishes with stop_reason "tool_use"', async () => {
    const snapshot = await snapshotOf([
      MESSAGE_START,
      ...textBlock(0, ['Let me check', ' the weather.']),
      blockStart(1, { type: 'tool_use', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', input: {} }),
      blockDelta(1, { type: 'input_json_delta', partial_json: '' }),
      blockDelta(1, { type: 'input_json_delta', partial_json: '{"location": "Par' }),
      blockDelta(1, { type: 'input_json_delta', partial_json: 'is"}' }),
      blockStop(1),
      messageDelta('tool_use', { output_tokens: 54 }),
      MESSAGE_STOP,
    ]);
    expect(snapshot.text).toBe('Let me check the weather.');
    expect(snapshot.finish).toMatchObject({ finishReason: 'tool-calls', rawFinishReason: 'tool_use' });
  });

  it('keeps known usage counts when message_delta reports them as null', async () => {
    const usage = { input_tokens: null, cache_creation_input_tokens: null, cache_read_input_tokens: 0, output_tokens: 12 };
    const snapshot = await snapshotOf([MESSAGE_START, ...textBlock(0, ['Hi']), messageDelta('end_turn', usage), MESSAGE_STOP]);
    expect(snapshot.finish?.rawUsage).toEqual({ ...START_USAGE, output_tokens: 12 });
    expect(snapshot.finish?.usage).toEqual({ inputTokens: 472, outputTokens: 12, totalTokens: 484, cachedInputTokens: 0 });
  });
});

describe('anthropicProtocol: early stop', () => {
  it('stop_reason "max_tokens" is a successful end with the text so far, not an error', async () => {
    const snapshot = await snapshotOf([
      MESSAGE_START,
      ...textBlock(0, ['Once upon', ' a']),
      messageDelta('max_tokens', { output_tokens: 3 }),
      MESSAGE_STOP,
    ]);
    expect(snapshot.status).toBe('done');
    expect(snapshot.error).toBeUndefined();
    expect(snapshot.text).toBe('Once upon a');
    expect(snapshot.finish).toEqual({
      type: 'finish',
      finishReason: 'length',
      rawFinishReason: 'max_tokens',
      usage: { inputTokens: 472, outputTokens: 3, totalTokens: 475, cachedInputTokens: 0 },
      rawUsage: { ...START_USAGE, output_tokens: 3 },
    });
  });
});

describe('anthropicProtocol: errors', () => {
  it('turns event: error into a ServerStreamError with the error object and the partial text', async () => {
    const overloaded = 'event: error\ndata: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}\n\n';
    const stream = [MESSAGE_START, ...THINKING, ...textBlock(1, TOKENS).slice(0, 3), overloaded, MESSAGE_STOP];
    const error = (await rejectionOf(streamOf(stream).text)) as ServerStreamError;
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(error.message).toContain('Overloaded');
    expect(error.payload).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
    expect(error.text).toBe(TOKENS.slice(0, 2).join(''));
  });
});

describe('anthropicProtocol: cut-off streams', () => {
  it('is incomplete when the stream ends mid-answer, with the partial text', async () => {
    const error = (await rejectionOf(streamOf([MESSAGE_START, ...textBlock(0, TOKENS).slice(0, 2)]).text)) as IncompleteStreamError;
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error.text).toBe(TOKENS[0]);
  });

  it('is incomplete after message_delta without message_stop', async () => {
    const error = (await rejectionOf(streamOf(STREAM.slice(0, -1)).text)) as IncompleteStreamError;
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error.text).toBe(TEXT);
  });
});

describe('anthropicProtocol: malformed data', () => {
  it('turns data that is not JSON into a ProtocolError with the data and the text so far', async () => {
    const stream = [MESSAGE_START, ...textBlock(0, ['Hi']).slice(0, 2), 'event: content_block_delta\ndata: {"type": "content_\n\n'];
    const error = (await rejectionOf(streamOf(stream).text)) as ProtocolError;
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toContain('anthropic');
    expect(error.data).toBe('{"type": "content_');
    expect(error.text).toBe('Hi');
  });

  it('turns a text_delta whose text is not a string into a ProtocolError', async () => {
    const stream = [MESSAGE_START, ...textBlock(0, ['Hi']).slice(0, 2), blockDelta(0, { type: 'text_delta' })];
    const error = (await rejectionOf(streamOf(stream).text)) as ProtocolError;
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.text).toBe('Hi');
  });
});

describe('anthropicProtocol: the decoder', () => {
  it('ignores ping, citations, unknown events and data that is not an object', () => {
    const decode = anthropicProtocol.createDecoder();
    expect(decode(sseEvent('{"type": "ping"}', 'ping'))).toBeUndefined();
    expect(
      decode(sseEvent('{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{"cited_text":"x"}}}')),
    ).toBeUndefined();
    expect(decode(sseEvent('{"type":"some_future_event","delta":{"type":"text_delta","text":"x"}}'))).toBeUndefined();
    expect(decode(sseEvent('[1, 2]'))).toBeUndefined();
    expect(decode(sseEvent('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}'))).toEqual({
      type: 'text-delta',
      delta: 'x',
    });
  });

  it('keeps its stop_reason and usage per stream: a new decoder starts empty (no stop_reason: "other")', () => {
    const first = anthropicProtocol.createDecoder();
    first(sseEvent('{"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":5}}'));
    expect(first(sseEvent('{"type":"message_stop"}'))).toEqual([
      {
        type: 'finish',
        finishReason: 'length',
        rawFinishReason: 'max_tokens',
        usage: { inputTokens: undefined, outputTokens: 5, totalTokens: undefined },
        rawUsage: { output_tokens: 5 },
      },
    ]);
    const second = anthropicProtocol.createDecoder();
    expect(second(sseEvent('{"type":"message_stop"}'))).toEqual([{ type: 'finish', finishReason: 'other' }]);
  });

  it('uses the event name when the data has no type', () => {
    const decode = anthropicProtocol.createDecoder();
    expect(decode(sseEvent('{"error":{"type":"api_error","message":"Internal server error"}}', 'error'))).toEqual({
      type: 'error',
      message: 'Internal server error',
      payload: { type: 'api_error', message: 'Internal server error' },
    });
  });
});
