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
import { aiSdkUIMessageProtocol } from './ai-sdk.js';
import { rejectionOf, sseEvent } from '../test/helpers.js';

const URL_ = '/api/chat';

// The headers of `createUIMessageStreamResponse()`.
const HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-vercel-ai-ui-message-stream': 'v1',
  'x-accel-buffering': 'no',
};

/** One UI message chunk as `JsonToSseTransformStream` writes it: a data-only event. */
function part(data: Record<string, unknown>): string {
  return formatEvent({ data: JSON.stringify(data) });
}

const DONE = 'data: [DONE]\n\n';
const TOKENS = ['It is', ' 21 °C', ' in Paris', ' ☀️', ' today.'];
const TEXT = TOKENS.join('');

function textParts(id: string, tokens: readonly string[]): string[] {
  return [
    part({ type: 'text-start', id }),
    ...tokens.map((delta) => part({ type: 'text-delta', id, delta })),
    part({ type: 'text-end', id }),
  ];
}

// A two-step `streamText` answer: reasoning and a tool call, then the text, a source and a data part.
const BODY = [
  part({ type: 'start', messageId: 'msg-6gQq0Kb5xW3zKjTn' }),
  part({ type: 'start-step' }),
  part({ type: 'reasoning-start', id: 'rs_1' }),
  part({ type: 'reasoning-delta', id: 'rs_1', delta: 'The user wants the weather in Paris.' }),
  part({ type: 'reasoning-end', id: 'rs_1' }),
  part({ type: 'tool-input-start', toolCallId: 'call_1', toolName: 'weather' }),
  part({ type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: '{"city":' }),
  part({ type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: '"Paris"}' }),
  part({ type: 'tool-input-available', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } }),
  part({ type: 'tool-output-available', toolCallId: 'call_1', output: { temperature: 21 } }),
  part({ type: 'finish-step' }),
  part({ type: 'start-step' }),
  ...textParts('txt-0', TOKENS),
  part({ type: 'source-url', sourceId: 'src-1', url: 'https://example.com/paris', title: 'Paris weather' }),
  part({ type: 'data-weather', id: 'w1', data: { city: 'Paris', temperature: 21 } }),
  part({ type: 'finish-step' }),
  part({ type: 'message-metadata', messageMetadata: { totalTokens: 120 } }),
];
const STREAM = [...BODY, part({ type: 'finish', finishReason: 'stop', messageMetadata: { model: 'gpt-4o' } }), DONE];

function fetchOf(chunks: Iterable<string | Uint8Array>) {
  return createFakeFetch(() => sseResponse(chunks, { headers: HEADERS }));
}

function streamOf(chunks: Iterable<string | Uint8Array>) {
  return streamTokens(URL_, {
    protocol: aiSdkUIMessageProtocol,
    fetch: fetchOf(chunks),
    body: { messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] }] },
  });
}

async function snapshotOf(chunks: readonly string[]): Promise<ChatSnapshot> {
  const store = createChatStore({ url: URL_, protocol: aiSdkUIMessageProtocol, fetch: fetchOf(chunks) });
  await store.send('Weather in Paris?');
  return store.getSnapshot();
}

describe('aiSdkUIMessageProtocol: a complete stream', () => {
  for (const { name, chunks } of chunkings(new TextEncoder().encode(STREAM.join('')), { twoWaySplits: false, seeds: [1, 2, 3] })) {
    it(`yields the text-delta parts only, not reasoning, tool or data parts (${name})`, async () => {
      const stream = streamOf(chunks);
      const tokens: string[] = [];
      for await (const token of stream) tokens.push(token);
      expect(tokens).toEqual(TOKENS);
      expect(await stream.text).toBe(TEXT);
    });
  }

  it('finishes at [DONE] with the finishReason of the finish part', async () => {
    const snapshot = await snapshotOf(STREAM);
    expect(snapshot.status).toBe('done');
    expect(snapshot.text).toBe(TEXT);
    expect(snapshot.finish).toEqual({ type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' });
  });

  it('finishes with finishReason "stop" when the finish part has none (AI SDK 5)', async () => {
    const snapshot = await snapshotOf([...BODY, part({ type: 'finish' }), DONE]);
    expect(snapshot.status).toBe('done');
    expect(snapshot.finish).toEqual({ type: 'finish', finishReason: 'stop' });
  });

  it('joins the text of several text parts', async () => {
    const snapshot = await snapshotOf([...textParts('txt-0', ['One.']), ...textParts('txt-1', [' Two.']), part({ type: 'finish' }), DONE]);
    expect(snapshot.text).toBe('One. Two.');
  });
});

describe('aiSdkUIMessageProtocol: early stop', () => {
  it('finishReason "length" is a successful end with the text so far', async () => {
    const snapshot = await snapshotOf([...textParts('txt-0', ['Once upon', ' a']), part({ type: 'finish', finishReason: 'length' }), DONE]);
    expect(snapshot.status).toBe('done');
    expect(snapshot.text).toBe('Once upon a');
    expect(snapshot.finish?.finishReason).toBe('length');
  });

  it('an abort part (the server stopped generating) finishes with finishReason "other" (raw "abort") and the partial text', async () => {
    const snapshot = await snapshotOf([
      part({ type: 'start' }),
      part({ type: 'start-step' }),
      ...textParts('txt-0', ['Once upon', ' a']).slice(0, 3),
      part({ type: 'abort', reason: 'client disconnected' }),
      DONE,
    ]);
    expect(snapshot.status).toBe('done');
    expect(snapshot.text).toBe('Once upon a');
    expect(snapshot.finish).toEqual({ type: 'finish', finishReason: 'other', rawFinishReason: 'abort' });
  });
});

describe('aiSdkUIMessageProtocol: errors', () => {
  it('turns an error part into a ServerStreamError with the part as payload and the partial text', async () => {
    const failure = { type: 'error', errorText: 'An error occurred.' };
    const stream = [...BODY.slice(0, 15), part(failure), DONE];
    const error = (await rejectionOf(streamOf(stream).text)) as ServerStreamError;
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(error.message).toContain('An error occurred.');
    expect(error.payload).toEqual(failure);
    expect(error.text).toBe(TOKENS.slice(0, 2).join(''));
  });
});

describe('aiSdkUIMessageProtocol: cut-off streams', () => {
  it('is incomplete when the stream ends mid-answer, with the partial text', async () => {
    const error = (await rejectionOf(streamOf(BODY.slice(0, 15)).text)) as IncompleteStreamError;
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error.text).toBe(TOKENS.slice(0, 2).join(''));
  });

  it('is incomplete after a finish part without [DONE]: [DONE] is the only terminator', async () => {
    const error = (await rejectionOf(streamOf(STREAM.slice(0, -1)).text)) as IncompleteStreamError;
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error.text).toBe(TEXT);
  });
});

describe('aiSdkUIMessageProtocol: malformed data', () => {
  it('turns data that is not JSON (an AI SDK 4 data stream line, say) into a ProtocolError', async () => {
    const error = (await rejectionOf(streamOf([...textParts('txt-0', ['Hi']).slice(0, 2), 'data: 0:"Hello"\n\n', DONE]).text)) as ProtocolError;
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toContain('ai-sdk-ui-message');
    expect(error.data).toBe('0:"Hello"');
    expect(error.text).toBe('Hi');
  });

  it('turns a text-delta part whose delta is not a string into a ProtocolError', async () => {
    const error = (await rejectionOf(
      streamOf([...textParts('txt-0', ['Hi']).slice(0, 2), part({ type: 'text-delta', id: 'txt-0', text: 'x' }), DONE]).text,
    )) as ProtocolError;
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.text).toBe('Hi');
  });
});

describe('aiSdkUIMessageProtocol: the decoder', () => {
  it('ignores events with an event: type and data that is not an object', () => {
    const decode = aiSdkUIMessageProtocol.createDecoder();
    expect(decode(sseEvent('{"type":"text-delta","id":"t","delta":"x"}', 'custom'))).toBeUndefined();
    expect(decode(sseEvent('"text"'))).toBeUndefined();
    expect(decode(sseEvent('{"type":"text-delta","id":"t","delta":"x"}'))).toEqual({ type: 'text-delta', delta: 'x' });
  });

  it('keeps its finishReason per stream: a new decoder starts empty', () => {
    const first = aiSdkUIMessageProtocol.createDecoder();
    first(sseEvent('{"type":"finish","finishReason":"tool-calls"}'));
    expect(first(sseEvent('[DONE]'))).toEqual([{ type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool-calls' }]);
    const second = aiSdkUIMessageProtocol.createDecoder();
    expect(second(sseEvent('[DONE]'))).toEqual([{ type: 'finish', finishReason: 'stop' }]);
  });
});
