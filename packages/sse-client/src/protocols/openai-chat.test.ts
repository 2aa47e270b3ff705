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
import { openAIChatProtocol } from './openai-chat.js';
import { rejectionOf, sseEvent } from '../test/helpers.js';

const URL_ = 'https://api.openai.com/v1/chat/completions';

// One chunk of a gpt-4o-mini stream requested with `stream_options: { include_usage: true }`: every
// chunk then carries `"usage":null` until the usage chunk.
const HEAD =
  '{"id":"chatcmpl-AxF1qT","object":"chat.completion.chunk","created":1738000000,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_72ed7ab54c","choices":';

function chunk(choices: string, usage = 'null'): string {
  return `data: ${HEAD}${choices},"usage":${usage}}\n\n`;
}

function content(text: string): string {
  return chunk(`[{"index":0,"delta":{"content":${JSON.stringify(text)}},"logprobs":null,"finish_reason":null}]`);
}

function finishChunk(reason: string): string {
  return chunk(`[{"index":0,"delta":{},"logprobs":null,"finish_reason":"${reason}"}]`);
}

const ROLE = chunk('[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]');
const USAGE = {
  prompt_tokens: 19,
  completion_tokens: 10,
  total_tokens: 29,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
};
/** {@link USAGE} normalised. */
const NORMALISED_USAGE = { inputTokens: 19, outputTokens: 10, totalTokens: 29, reasoningTokens: 0, cachedInputTokens: 0 };
const USAGE_CHUNK = chunk('[]', JSON.stringify(USAGE));
const DONE = 'data: [DONE]\n\n';

const TOKENS = ['Bonjour', ' le', ' monde', ' 🌍', '!\n\nÇa', ' va', '?'];
const TEXT = TOKENS.join('');
const STREAM = [ROLE, ...TOKENS.map(content), finishChunk('stop'), USAGE_CHUNK, DONE];

function fetchOf(chunks: Iterable<string | Uint8Array>) {
  return createFakeFetch(() => sseResponse(chunks));
}

function streamOf(chunks: Iterable<string | Uint8Array>) {
  return streamTokens(URL_, {
    protocol: openAIChatProtocol,
    fetch: fetchOf(chunks),
    body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Salut' }], stream: true },
  });
}

/** Runs the stream through the chat store, whose snapshot exposes the finish part. */
async function snapshotOf(chunks: readonly string[]): Promise<ChatSnapshot> {
  const store = createChatStore({ url: URL_, protocol: openAIChatProtocol, fetch: fetchOf(chunks) });
  await store.send('Salut');
  return store.getSnapshot();
}

describe('openAIChatProtocol: a complete stream', () => {
  // Network chunks are bytes: one byte per chunk splits the emoji and the "Ç" mid-character.
  for (const { name, chunks } of chunkings(new TextEncoder().encode(STREAM.join('')), { twoWaySplits: false, seeds: [1, 2, 3] })) {
    it(`yields choices[0].delta.content token by token (${name})`, async () => {
      const stream = streamOf(chunks);
      const tokens: string[] = [];
      for await (const token of stream) tokens.push(token);
      expect(tokens).toEqual(TOKENS);
      expect(await stream.text).toBe(TEXT);
    });
  }

  it('finishes at [DONE] with the finish_reason of the late chunk and the usage chunk', async () => {
    const snapshot = await snapshotOf(STREAM);
    expect(snapshot.status).toBe('done');
    expect(snapshot.text).toBe(TEXT);
    expect(snapshot.finish).toEqual({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: NORMALISED_USAGE,
      rawUsage: USAGE,
    });
  });

  it('reads a llama-cpp-python (sse-starlette) stream: CRLF line endings and ": ping" comments', async () => {
    const crlf = STREAM.map((event) => event.replace(/\n/g, '\r\n'));
    crlf.splice(3, 0, ': ping - 2025-01-27 10:00:00.000000+00:00\r\n\r\n');
    const snapshot = await snapshotOf(crlf);
    expect(snapshot.text).toBe(TEXT);
    expect(snapshot.finish?.finishReason).toBe('stop');
  });

  it('reads an Ollama stream: role in every delta, no usage chunk (finish without usage)', async () => {
    const ollama = (text: string, finish: string | null) =>
      formatEvent({
        data: JSON.stringify({
          id: 'chatcmpl-468',
          object: 'chat.completion.chunk',
          created: 1738000000,
          model: 'llama3.2',
          system_fingerprint: 'fp_ollama',
          choices: [{ index: 0, delta: { role: 'assistant', content: text }, finish_reason: finish }],
        }),
      });
    const snapshot = await snapshotOf([ollama('Hel', null), ollama('lo', null), ollama('', 'stop'), DONE]);
    expect(snapshot.text).toBe('Hello');
    expect(snapshot.finish).toEqual({ type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' });
  });

  it('takes usage from the finish chunk when the server puts it there (llama.cpp server)', async () => {
    const usage = { completion_tokens: 2, prompt_tokens: 5, total_tokens: 7 };
    const last = chunk('[{"index":0,"delta":{},"finish_reason":"stop"}]', JSON.stringify(usage));
    const snapshot = await snapshotOf([content('Hi'), last, DONE]);
    expect(snapshot.finish).toEqual({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 },
      rawUsage: usage,
    });
  });

  it('takes choice index 0 only when n > 1', async () => {
    const choice = (index: number, text: string) =>
      chunk(`[{"index":${index},"delta":{"content":${JSON.stringify(text)}},"logprobs":null,"finish_reason":null}]`);
    const ends = chunk('[{"index":0,"delta":{},"finish_reason":"stop"},{"index":1,"delta":{},"finish_reason":"length"}]');
    const snapshot = await snapshotOf([choice(0, 'A'), choice(1, 'X'), choice(1, 'Y'), choice(0, 'B'), ends, DONE]);
    expect(snapshot.text).toBe('AB');
    expect(snapshot.finish?.finishReason).toBe('stop');
  });

  it('does not take tool call deltas, refusals or reasoning fields as answer text', async () => {
    const snapshot = await snapshotOf([
      chunk('[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":"Let me think"},"finish_reason":null}]'),
      chunk('[{"index":0,"delta":{"reasoning":"Thinking more"},"finish_reason":null}]'),
      chunk(
        '[{"index":0,"delta":{"content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]',
      ),
      chunk('[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":\\"Paris\\"}"}}]},"finish_reason":null}]'),
      chunk('[{"index":0,"delta":{"refusal":"I cannot"},"finish_reason":null}]'),
      finishChunk('tool_calls'),
      DONE,
    ]);
    expect(snapshot.status).toBe('done');
    expect(snapshot.text).toBe('');
    expect(snapshot.finish).toMatchObject({ finishReason: 'tool-calls', rawFinishReason: 'tool_calls' });
  });

  it("ignores Azure's prompt filter chunk (empty choices) and content filter results", async () => {
    const azure = formatEvent({
      data: JSON.stringify({
        choices: [],
        created: 0,
        id: '',
        model: '',
        object: '',
        prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: 'safe' } } }],
      }),
    });
    const filtered = chunk(
      '[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"delta":{"content":"Hi"},"finish_reason":null,"index":0}]',
    );
    const snapshot = await snapshotOf([azure, filtered, finishChunk('stop'), DONE]);
    expect(snapshot.text).toBe('Hi');
    expect(snapshot.finish).toEqual({ type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' });
  });
});

describe('openAIChatProtocol: early stop', () => {
  it('finish_reason "length" is a successful end with the text so far, not an error', async () => {
    const snapshot = await snapshotOf([ROLE, content('Once upon'), content(' a'), finishChunk('length'), USAGE_CHUNK, DONE]);
    expect(snapshot.status).toBe('done');
    expect(snapshot.error).toBeUndefined();
    expect(snapshot.text).toBe('Once upon a');
    expect(snapshot.finish).toEqual({
      type: 'finish',
      finishReason: 'length',
      rawFinishReason: 'length',
      usage: NORMALISED_USAGE,
      rawUsage: USAGE,
    });
  });
});

describe('openAIChatProtocol: errors', () => {
  const serverError = { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null };

  it('turns data: {"error": {...}} into a ServerStreamError with the error object and the partial text', async () => {
    const error = await rejectionOf(
      streamOf([ROLE, content('Bonjour'), content(' le'), formatEvent({ data: JSON.stringify({ error: serverError }) }), DONE]).text,
    );
    expect(error).toBeInstanceOf(ServerStreamError);
    const streamError = error as ServerStreamError;
    expect(streamError.message).toContain('The server had an error while processing your request.');
    expect(streamError.payload).toEqual(serverError);
    expect(streamError.text).toBe('Bonjour le');
  });

  it('does the same under event: error', async () => {
    const error = (await rejectionOf(
      streamOf([content('Bon'), formatEvent({ event: 'error', data: JSON.stringify({ error: serverError }) })]).text,
    )) as ServerStreamError;
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(error.payload).toEqual(serverError);
    expect(error.text).toBe('Bon');
  });

  it('takes the whole data as the payload of an event: error without an "error" member', async () => {
    const payload = { object: 'error', message: 'Model is overloaded', type: 'ServiceUnavailableError', code: 503 };
    const error = (await rejectionOf(
      streamOf([content('Bon'), formatEvent({ event: 'error', data: JSON.stringify(payload) })]).text,
    )) as ServerStreamError;
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(error.message).toContain('Model is overloaded');
    expect(error.payload).toEqual(payload);
  });

  it("reads OpenRouter's mid-stream error, sent beside choices with finish_reason \"error\"", async () => {
    const openRouter = formatEvent({
      data: JSON.stringify({
        id: 'gen-1',
        object: 'chat.completion.chunk',
        created: 1738000000,
        model: 'openai/gpt-4o',
        provider: 'OpenAI',
        error: { code: 'server_error', message: 'Provider disconnected unexpectedly' },
        choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
      }),
    });
    const error = (await rejectionOf(
      streamOf([': OPENROUTER PROCESSING\n\n', content('Hel'), openRouter, DONE]).text,
    )) as ServerStreamError;
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(error.message).toContain('Provider disconnected unexpectedly');
    expect(error.payload).toEqual({ code: 'server_error', message: 'Provider disconnected unexpectedly' });
    expect(error.text).toBe('Hel');
  });
});

describe('openAIChatProtocol: cut-off streams', () => {
  it('is incomplete when the stream ends mid-answer, with the partial text', async () => {
    const error = (await rejectionOf(streamOf([ROLE, content('Bonjour'), content(' le')]).text)) as IncompleteStreamError;
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error.text).toBe('Bonjour le');
  });

  it('is incomplete after a finish_reason chunk without [DONE]: [DONE] is the only terminator', async () => {
    const error = (await rejectionOf(streamOf([ROLE, ...TOKENS.map(content), finishChunk('stop')]).text)) as IncompleteStreamError;
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error.text).toBe(TEXT);
  });

  it('is incomplete after the usage chunk without [DONE]', async () => {
    const error = (await rejectionOf(streamOf(STREAM.slice(0, -1)).text)) as IncompleteStreamError;
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error.text).toBe(TEXT);
  });
});

describe('openAIChatProtocol: malformed data', () => {
  it('turns data that is not JSON into a ProtocolError with the data and the text so far', async () => {
    const error = (await rejectionOf(streamOf([content('Bon'), 'data: {"choices": [\n\n', DONE]).text)) as ProtocolError;
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toContain('openai-chat');
    expect(error.data).toBe('{"choices": [');
    expect(error.text).toBe('Bon');
  });

  it('turns a delta.content that is neither a string nor null into a ProtocolError', async () => {
    const bad = chunk('[{"index":0,"delta":{"content":42},"finish_reason":null}]');
    const error = (await rejectionOf(streamOf([content('Bon'), bad, DONE]).text)) as ProtocolError;
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.text).toBe('Bon');
  });
});

describe('openAIChatProtocol: the decoder', () => {
  it('keeps its finish_reason and usage per stream: a new decoder starts empty', () => {
    const first = openAIChatProtocol.createDecoder();
    first(sseEvent(`${HEAD}[{"index":0,"delta":{},"finish_reason":"length"}],"usage":{"total_tokens":3}}`));
    expect(first(sseEvent('[DONE]'))).toEqual([
      {
        type: 'finish',
        finishReason: 'length',
        rawFinishReason: 'length',
        usage: { inputTokens: undefined, outputTokens: undefined, totalTokens: 3 },
        rawUsage: { total_tokens: 3 },
      },
    ]);
    const second = openAIChatProtocol.createDecoder();
    expect(second(sseEvent('[DONE]'))).toEqual([{ type: 'finish', finishReason: 'stop' }]);
  });

  it('ignores other event types and JSON objects without choices or error', () => {
    const decode = openAIChatProtocol.createDecoder();
    expect(decode(sseEvent('{"choices":[{"index":0,"delta":{"content":"x"}}]}', 'ping'))).toBeUndefined();
    expect(decode(sseEvent('{"object":"keep-alive"}'))).toBeUndefined();
    expect(decode(sseEvent('{"choices":[{"index":0,"delta":{"content":"x"}}],"error":null}'))).toEqual([
      { type: 'text-delta', delta: 'x' },
    ]);
  });

  it('treats a choice without an index as choice 0', () => {
    const decode = openAIChatProtocol.createDecoder();
    expect(decode(sseEvent('{"choices":[{"delta":{"content":"x"}}]}'))).toEqual([{ type: 'text-delta', delta: 'x' }]);
  });
});
