// Each wire-format builder round-trips through streamTokens and the chat store with its protocol.
import { describe, expect, it } from 'vitest';
import {
  aiSdkUIMessageProtocol,
  anthropicProtocol,
  createChatStore,
  IncompleteStreamError,
  openAIChatProtocol,
  openAIResponsesProtocol,
  ServerStreamError,
  streamTokens,
  tokenProtocol,
  type StreamProtocol,
} from '../index.js';
import { rejectionOf } from '../test/helpers.js';
import {
  aiSdkUIMessageEvents,
  anthropicEvents,
  createFakeFetch,
  openAIChatEvents,
  openAIResponsesEvents,
  sseResponse,
  tokenEvents,
  type ChunkingStrategy,
  type StreamEnding,
  type Usage,
} from './index.js';

const TOKENS = ['Bon', 'jour', ' 🌍', '\n\nÇa va ?', ' "quoted"'];
const TEXT = TOKENS.join('');
const USAGE = { input_tokens: 9, output_tokens: 42, total_tokens: 51 };

interface Format {
  readonly name: string;
  readonly build: (tokens: Iterable<string>, ending?: StreamEnding) => string[];
  readonly protocol: StreamProtocol;
  /** The format's own finish reason and usage (the finish part's rawFinishReason and rawUsage) for 'done', 'stop' and a given usage. */
  readonly done: { finishReason?: string | undefined; usage?: Usage | undefined };
  readonly stop: string | undefined;
  readonly reportsUsage: boolean;
  readonly errorMessage: string;
  readonly errorPayload: (message: string) => unknown;
}

const FORMATS: Format[] = [
  {
    name: 'tokenEvents',
    build: tokenEvents,
    protocol: tokenProtocol,
    done: { finishReason: undefined, usage: undefined },
    stop: undefined,
    reportsUsage: false,
    errorMessage: 'upstream model timed out',
    errorPayload: (message) => message,
  },
  {
    name: 'openAIChatEvents',
    build: openAIChatEvents,
    protocol: openAIChatProtocol,
    done: { finishReason: 'stop', usage: undefined },
    stop: 'length',
    reportsUsage: true,
    errorMessage: 'The server had an error while processing your request.',
    errorPayload: (message) => ({ message, type: 'server_error', param: null, code: null }),
  },
  {
    name: 'openAIResponsesEvents',
    build: openAIResponsesEvents,
    protocol: openAIResponsesProtocol,
    done: { finishReason: 'completed', usage: undefined },
    stop: 'max_output_tokens',
    reportsUsage: true,
    errorMessage: 'The model failed to generate a response.',
    errorPayload: (message) => ({ code: 'server_error', message }),
  },
  {
    name: 'anthropicEvents',
    build: anthropicEvents,
    protocol: anthropicProtocol,
    done: { finishReason: 'end_turn', usage: { input_tokens: 0, output_tokens: TOKENS.length } },
    stop: 'max_tokens',
    reportsUsage: true,
    errorMessage: 'Overloaded',
    errorPayload: (message) => ({ type: 'overloaded_error', message }),
  },
  {
    name: 'aiSdkUIMessageEvents',
    build: aiSdkUIMessageEvents,
    protocol: aiSdkUIMessageProtocol,
    done: { finishReason: 'stop', usage: undefined },
    stop: 'length',
    reportsUsage: false,
    errorMessage: 'An error occurred.',
    errorPayload: (message) => ({ type: 'error', errorText: message }),
  },
];

function fetchOf(events: readonly string[], chunking?: ChunkingStrategy) {
  return createFakeFetch(() => sseResponse(events, { chunking }));
}

async function finishPartOf(format: Format, ending: StreamEnding) {
  const store = createChatStore({ url: '/c', protocol: format.protocol, fetch: fetchOf(format.build(TOKENS, ending)) });
  await store.send('Hi');
  const snapshot = store.getSnapshot();
  expect(snapshot.status).toBe('done');
  expect(snapshot.text).toBe(TEXT);
  return snapshot.finish;
}

/** The format's own finish reason and usage, as the finish part keeps them. */
async function finishOf(format: Format, ending: StreamEnding) {
  const finish = await finishPartOf(format, ending);
  return { finishReason: finish?.rawFinishReason, usage: finish?.rawUsage };
}

describe.each(FORMATS)('$name', (format) => {
  it.each<ChunkingStrategy>(['event', 'byte', { seed: 3 }])('round-trips the tokens through streamTokens (chunking %j)', async (chunking) => {
    const stream = streamTokens('/c', { protocol: format.protocol, fetch: fetchOf(format.build(TOKENS), chunking) });
    const tokens: string[] = [];
    for await (const token of stream) tokens.push(token);
    expect(tokens).toEqual(TOKENS);
    await expect(stream.text).resolves.toBe(TEXT);
  });

  it("ends 'done' by default, with the format's usual finish", async () => {
    expect(format.build(TOKENS)).toEqual(format.build(TOKENS, 'done'));
    expect(await finishOf(format, 'done')).toEqual(format.done);
  });

  it('takes a finish reason and usage', async () => {
    const finish = await finishOf(format, { type: 'done', finishReason: format.stop === undefined ? undefined : 'custom', usage: USAGE });
    if (format.stop !== undefined) expect(finish.finishReason).toBe('custom');
    expect(finish.usage).toEqual(format.reportsUsage ? USAGE : undefined);
  });

  it("normalises the finish reason: 'done' is stop, 'stop' is length (the token format has no early stop)", async () => {
    expect((await finishPartOf(format, 'done'))?.finishReason).toBe('stop');
    expect((await finishPartOf(format, 'stop'))?.finishReason).toBe(format.stop === undefined ? 'stop' : 'length');
  });

  it("ends 'stop' as a successful early stop", async () => {
    expect((await finishOf(format, 'stop')).finishReason).toBe(format.stop);
    if (format.stop !== undefined) {
      expect((await finishOf(format, { type: 'stop', finishReason: 'content_filter' })).finishReason).toBe('content_filter');
    }
  });

  it("ends 'error' with a ServerStreamError that keeps the text", async () => {
    const error = await rejectionOf(streamTokens('/c', { protocol: format.protocol, fetch: fetchOf(format.build(TOKENS, 'error')) }).text);
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(error).toMatchObject({ text: TEXT, payload: format.errorPayload(format.errorMessage) });
    expect((error as Error).message).toContain(format.errorMessage);
    const custom = await rejectionOf(
      streamTokens('/c', { protocol: format.protocol, fetch: fetchOf(format.build(['a'], { type: 'error', message: 'Rate limited' })) }).text,
    );
    expect(custom).toMatchObject({ text: 'a', payload: format.errorPayload('Rate limited') });
  });

  it("ends 'cut' with an IncompleteStreamError that keeps the text", async () => {
    const events = format.build(TOKENS, 'cut');
    const error = await rejectionOf(streamTokens('/c', { protocol: format.protocol, fetch: fetchOf(events) }).text);
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error).toMatchObject({ text: TEXT });
    expect(format.build(TOKENS, { type: 'cut' })).toEqual(events);
  });

  it('gives one event per string, and works without tokens', async () => {
    for (const event of format.build(TOKENS)) expect(event).toMatch(/\n\n$/);
    const stream = streamTokens('/c', { protocol: format.protocol, fetch: fetchOf(format.build([])) });
    await expect(stream.text).resolves.toBe('');
  });

  it('rejects an unknown ending', () => {
    expect(() => format.build(TOKENS, 'later' as StreamEnding)).toThrow(TypeError);
  });
});

describe('tokenEvents: an error event with any payload', () => {
  it('{ error } sends exactly that payload', () => {
    expect(tokenEvents(['a'], { error: { message: 'Overloaded', code: 529 } })).toEqual([
      'data: {"token":"a"}\n\n',
      'data: {"error":{"message":"Overloaded","code":529}}\n\n',
    ]);
  });
});

describe('the wire formats written', () => {
  it('openAIChatEvents writes a role chunk, content deltas, the finish chunk, the usage chunk and [DONE]', () => {
    const events = openAIChatEvents(['Hi'], { type: 'done', usage: USAGE }).map((event) => event.trim());
    expect(events[events.length - 1]).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice('data: '.length)) as Record<string, unknown>);
    expect(chunks.map((chunk) => chunk.choices)).toEqual([
      [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: { content: 'Hi' }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }],
      [],
    ]);
    expect(chunks[3]?.usage).toEqual(USAGE);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
  });

  it('openAIResponsesEvents names every event and numbers it', () => {
    const events = openAIResponsesEvents(['Hi']);
    const types = events.map((event) => /^event: (.*)$/m.exec(event)?.[1]);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const data = events.map((event) => JSON.parse(/^data: (.*)$/m.exec(event)![1]!) as { type: string; sequence_number: number });
    expect(data.map((item) => item.sequence_number)).toEqual(types.map((_, index) => index));
    expect(data.map((item) => item.type)).toEqual(types);
  });

  it('anthropicEvents names every event, with a ping', () => {
    const types = anthropicEvents(['Hi']).map((event) => /^event: (.*)$/m.exec(event)?.[1]);
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(anthropicEvents(['Hi'], 'error').at(-1)).toMatch(/^event: error\n/);
  });

  it('aiSdkUIMessageEvents writes data-only parts and [DONE], also after an error', () => {
    const types = aiSdkUIMessageEvents(['Hi']).map((event) => event.trim().slice('data: '.length));
    expect(types.at(-1)).toBe('[DONE]');
    expect(types.slice(0, -1).map((data) => (JSON.parse(data) as { type: string }).type)).toEqual([
      'start',
      'start-step',
      'text-start',
      'text-delta',
      'text-end',
      'finish-step',
      'finish',
    ]);
    expect(aiSdkUIMessageEvents(['Hi'], 'error').at(-1)).toBe('data: [DONE]\n\n');
    expect(aiSdkUIMessageEvents(['Hi'], { type: 'done', usage: USAGE }).at(-2)).toContain('"messageMetadata":{"usage":');
  });
});
