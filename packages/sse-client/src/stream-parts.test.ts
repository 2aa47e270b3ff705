import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createPartialJSONParser,
  HTTPError,
  IncompleteStreamError,
  ProtocolError,
  ServerStreamError,
  streamParts,
  streamTokens,
  TimeoutError,
  tokenProtocol,
  type StreamPart,
  type StreamProtocol,
} from './index.js';
import { chunkings, createControlledResponse, createFakeFetch, errorResponse, sseResponse, tokenEvents } from './testing/index.js';
import { jsonPartsProtocol, partEvents } from './test/json-parts-protocol.js';
import { readAll, rejectionOf } from './test/helpers.js';

const URL_ = '/chat/stream';

/** Every part type a protocol can emit, in the order a reply with a tool round trip streams them. */
const EVERY_PART: readonly StreamPart[] = [
  { type: 'reasoning-delta', delta: 'The user wants ' },
  { type: 'reasoning-delta', delta: 'the weather.' },
  { type: 'text-delta', delta: 'Let me check. ' },
  { type: 'tool-input-start', toolCallId: 'call_1', toolName: 'get_weather' },
  { type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: '{"city":"Pa', input: { city: 'Pa' } },
  { type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: 'ris"}', input: { city: 'Paris' } },
  { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' }, inputText: '{"city":"Paris"}' },
  { type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', output: { celsius: 18 } },
  { type: 'tool-error', toolCallId: 'call_2', toolName: 'get_time', errorText: 'no clock', input: {} },
  { type: 'source-url', sourceId: 's1', url: 'https://weather.example/paris', title: 'Paris' },
  { type: 'source-document', sourceId: 's2', mediaType: 'application/pdf', title: 'Report', filename: 'report.pdf' },
  { type: 'file', url: 'data:image/png;base64,iVBORw0KGgo=', mediaType: 'image/png' },
  { type: 'data-weather', id: 'w1', data: { city: 'Paris', celsius: 18 } },
  { type: 'refusal-delta', delta: 'I cannot share more.' },
  { type: 'text-delta', delta: 'It is 18 °C in Paris 🌤.' },
  {
    type: 'finish',
    finishReason: 'stop',
    rawFinishReason: 'end_turn',
    usage: { inputTokens: 10, outputTokens: 20, totalTokens: 30, reasoningTokens: 5 },
    rawUsage: { input_tokens: 10, output_tokens: 20 },
  },
];

async function collect(stream: AsyncIterable<StreamPart>): Promise<{ parts: StreamPart[]; error: unknown }> {
  const { items, error } = await readAll(stream);
  return { parts: items, error };
}

function partsFetch(parts: readonly (StreamPart | readonly StreamPart[])[] | string[]) {
  const events = typeof parts[0] === 'string' ? (parts as string[]) : partEvents(parts as StreamPart[]);
  return createFakeFetch(() => sseResponse(events));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('streamParts: every part, in stream order', () => {
  it('yields every part type a custom protocol emits, in order, ending with the finish part', async () => {
    const fetch = partsFetch(EVERY_PART);
    const { parts, error } = await collect(streamParts(URL_, { fetch, protocol: jsonPartsProtocol }));
    expect(error).toBeUndefined();
    expect(parts).toEqual(EVERY_PART);
  });

  it('gives the same parts however the network splits the bytes (whole, one byte per chunk, 16 random splits)', async () => {
    const wire = new TextEncoder().encode(partEvents(EVERY_PART).join(''));
    const seeds = Array.from({ length: 16 }, (_, index) => index + 1);
    for (const { name, chunks } of chunkings(wire, { twoWaySplits: false, seeds })) {
      const fetch = createFakeFetch(() => sseResponse(chunks));
      const { parts, error } = await collect(streamParts(URL_, { fetch, protocol: jsonPartsProtocol }));
      expect({ name, error, parts }).toEqual({ name, error: undefined, parts: EVERY_PART });
    }
  });

  it('yields the parts of one event in order, and those of several events in one chunk in order', async () => {
    const a: StreamPart = { type: 'text-delta', delta: 'a' };
    const b: StreamPart = { type: 'reasoning-delta', delta: 'b' };
    const c: StreamPart = { type: 'text-delta', delta: 'c' };
    const finish: StreamPart = { type: 'finish', finishReason: 'stop' };
    const fetch = createFakeFetch(() => sseResponse([partEvents([[a, b], c, finish]).join('')]));
    const { parts } = await collect(streamParts(URL_, { fetch, protocol: jsonPartsProtocol }));
    expect(parts).toEqual([a, b, c, finish]);
  });

  it('drops empty text, reasoning and refusal deltas, and keeps other parts as the protocol gave them', async () => {
    const fetch = partsFetch([
      { type: 'text-delta', delta: '' },
      { type: 'reasoning-delta', delta: '' },
      { type: 'refusal-delta', delta: '' },
      { type: 'tool-input-start', toolCallId: 'c', toolName: 't' },
      { type: 'text-delta', delta: 'ok' },
      { type: 'finish', finishReason: 'stop' },
    ]);
    const { parts } = await collect(streamParts(URL_, { fetch, protocol: jsonPartsProtocol }));
    expect(parts).toEqual([
      { type: 'tool-input-start', toolCallId: 'c', toolName: 't' },
      { type: 'text-delta', delta: 'ok' },
      { type: 'finish', finishReason: 'stop' },
    ]);
  });

  it('stops at the finish part: nothing after it is read, and the connection is closed', async () => {
    const server = createControlledResponse();
    const stream = streamParts(URL_, { fetch: createFakeFetch(() => server.response), protocol: jsonPartsProtocol });
    server.write(
      partEvents([
        { type: 'text-delta', delta: 'a' },
        { type: 'finish', finishReason: 'length' },
        { type: 'text-delta', delta: 'after' },
      ]),
    );
    // The server keeps the connection open after the finish: the client must not wait for it.
    const { parts } = await collect(stream);
    expect(parts).toEqual([
      { type: 'text-delta', delta: 'a' },
      { type: 'finish', finishReason: 'length' },
    ]);
    expect(server.cancelled).toBe(true);
  });

  it('gives a finish part without a finishReason (a protocol written before reasons were normalised) the reason stop', async () => {
    const legacy: StreamProtocol = { name: 'legacy', createDecoder: () => () => ({ type: 'finish' }) as StreamPart };
    const stream = streamParts(URL_, { fetch: partsFetch(['data: end\n\n']), protocol: legacy });
    const { parts } = await collect(stream);
    expect(parts).toEqual([{ type: 'finish', finishReason: 'stop' }]);
  });

  it('calls onPart with each part before the iterator yields it, the finish part included', async () => {
    const seen: string[] = [];
    const fetch = partsFetch([
      { type: 'reasoning-delta', delta: 'r' },
      { type: 'text-delta', delta: 't' },
      { type: 'finish', finishReason: 'stop' },
    ]);
    const stream = streamParts(URL_, { fetch, protocol: jsonPartsProtocol, onPart: (part) => seen.push(`onPart ${part.type}`) });
    for await (const part of stream) seen.push(`loop ${part.type}`);
    expect(seen).toEqual([
      'onPart reasoning-delta',
      'loop reasoning-delta',
      'onPart text-delta',
      'loop text-delta',
      'onPart finish',
      'loop finish',
    ]);
  });

  it('lets a custom protocol stream a tool call with partial input from the exported partial-JSON parser', async () => {
    // `event: tool` starts a call (data: its name), `event: args` streams its input, `event: end` ends the reply.
    const toolProtocol: StreamProtocol = {
      name: 'tool-demo',
      createDecoder: () => {
        const parser = createPartialJSONParser();
        let inputText = '';
        return (event) => {
          if (event.type === 'tool') return { type: 'tool-input-start', toolCallId: 'call_1', toolName: event.data };
          if (event.type === 'args') {
            parser.push(event.data);
            inputText += event.data;
            return { type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: event.data, input: parser.value };
          }
          if (event.type === 'end') {
            return [
              { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: parser.end(), inputText },
              { type: 'finish', finishReason: 'tool-calls', rawFinishReason: event.data },
            ];
          }
          return undefined;
        };
      },
    };
    const wire = [
      'event: tool\ndata: get_weather\n\n',
      'event: args\ndata: {"city": "Pa\n\n',
      'event: args\ndata: ris"}\n\n',
      'event: end\ndata: tool_use\n\n',
    ];
    const { parts } = await collect(streamParts(URL_, { fetch: partsFetch(wire), protocol: toolProtocol }));
    expect(parts.map((part) => (part.type === 'tool-input-delta' ? part.input : part.type))).toEqual([
      'tool-input-start',
      { city: 'Pa' },
      { city: 'Paris' },
      'tool-call',
      'finish',
    ]);
    expect(parts[3]).toMatchObject({ input: { city: 'Paris' }, inputText: '{"city": "Paris"}' });
    expect(parts[4]).toEqual({ type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use' });
  });
});

describe('streamParts and streamTokens: the text-only view', () => {
  it('with tokenProtocol (the default) yields a text-delta per token, then finish stop', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo'])));
    const { parts } = await collect(streamParts(URL_, { fetch }));
    expect(parts).toEqual([
      { type: 'text-delta', delta: 'Hel' },
      { type: 'text-delta', delta: 'lo' },
      { type: 'finish', finishReason: 'stop' },
    ]);
  });

  it('streamTokens yields exactly the text deltas of the same stream, and both give the same text', async () => {
    const fetch = createFakeFetch(() => sseResponse(partEvents(EVERY_PART)));
    const tokens: string[] = [];
    for await (const token of streamTokens(URL_, { fetch, protocol: jsonPartsProtocol })) tokens.push(token);
    const result = await streamParts(URL_, { fetch, protocol: jsonPartsProtocol }).result;
    expect(tokens).toEqual(['Let me check. ', 'It is 18 °C in Paris 🌤.']);
    expect(result.text).toBe(tokens.join(''));
  });

  it('streamTokens still fails on an error part that follows parts without text', async () => {
    const fetch = partsFetch([{ type: 'reasoning-delta', delta: 'hmm' }, { type: 'error', message: 'overloaded', payload: { code: 529 } }]);
    const error = await rejectionOf(streamTokens(URL_, { fetch, protocol: jsonPartsProtocol }).text);
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(error).toMatchObject({ text: '', payload: { code: 529 } });
  });
});

describe('streamParts: errors keep the answer text so far', () => {
  it('throws an error part as a ServerStreamError (never yields it), after the parts before it in the same chunk', async () => {
    const onPart = vi.fn();
    const wire = partEvents([
      { type: 'text-delta', delta: 'Par' },
      { type: 'reasoning-delta', delta: 'thinking' },
      { type: 'text-delta', delta: 'tial' },
      { type: 'error', message: 'model crashed', payload: { message: 'model crashed' } },
      { type: 'text-delta', delta: 'never' },
    ]).join('');
    const stream = streamParts(URL_, { fetch: partsFetch([wire]), protocol: jsonPartsProtocol, onPart });
    const { parts, error } = await collect(stream);
    expect(parts.map((part) => part.type)).toEqual(['text-delta', 'reasoning-delta', 'text-delta']);
    expect(onPart).toHaveBeenCalledTimes(3);
    expect(error).toBeInstanceOf(ServerStreamError);
    // `text` is the answer text: the text deltas, not the reasoning.
    expect(error).toMatchObject({ text: 'Partial', payload: { message: 'model crashed' } });
    await expect(stream.result).rejects.toBe(error);
  });

  it('throws an IncompleteStreamError when the stream ends without its finish part', async () => {
    const fetch = partsFetch([{ type: 'text-delta', delta: 'Hel' }, { type: 'tool-input-start', toolCallId: 'c', toolName: 't' }]);
    const { parts, error } = await collect(streamParts(URL_, { fetch, protocol: jsonPartsProtocol }));
    expect(parts).toHaveLength(2);
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error).toMatchObject({ text: 'Hel' });
  });

  it('delivers the parts before a malformed event in the same network chunk, then the ProtocolError: what was shown equals error.text', async () => {
    const wire = partEvents([
      { type: 'text-delta', delta: 'Hello ' },
      { type: 'reasoning-delta', delta: 'r' },
      { type: 'text-delta', delta: 'world' },
    ]).join('');
    const onPart = vi.fn();
    const stream = streamParts(URL_, { fetch: partsFetch([`${wire}data: not json\n\n`]), protocol: jsonPartsProtocol, onPart });
    const { parts, error } = await collect(stream);
    expect(parts.map((part) => part.type)).toEqual(['text-delta', 'reasoning-delta', 'text-delta']);
    expect(onPart).toHaveBeenCalledTimes(3);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ data: 'not json', text: 'Hello world' });
  });

  it.each([
    ['a string', '"hello"'],
    ['null', '[null]'],
    ['an object without a type', '{"delta":"x"}'],
    ['a text delta that is not a string', '{"type":"text-delta","delta":42}'],
    ['a reasoning delta that is missing', '{"type":"reasoning-delta"}'],
  ])('rejects a decoder that returns %s with a ProtocolError, after the parts before it', async (_name, data) => {
    const wire = `${partEvents([{ type: 'text-delta', delta: 'ok' }]).join('')}data: ${data}\n\n`;
    const { parts, error } = await collect(streamParts(URL_, { fetch: partsFetch([wire]), protocol: jsonPartsProtocol }));
    expect(parts).toEqual([{ type: 'text-delta', delta: 'ok' }]);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ data, text: 'ok' });
    expect((error as Error).message).toMatch(/^Malformed json-parts event \(the decoder returned .+\): POST \/chat\/stream$/);
  });

  it('rejects a failed request with an HTTPError, and retries it like streamTokens when asked', async () => {
    const finish: StreamPart = { type: 'finish', finishReason: 'stop' };
    const failed = await rejectionOf(streamParts(URL_, { fetch: createFakeFetch(errorResponse(500, { error: 'boom' })) }).result);
    expect(failed).toBeInstanceOf(HTTPError);
    expect(failed).toMatchObject({ status: 500, body: { error: 'boom' } });

    const fetch = createFakeFetch([errorResponse(503), () => sseResponse(partEvents([finish]))]);
    const retried = streamParts(URL_, { fetch, protocol: jsonPartsProtocol, retry: { limit: 1, delay: 0, jitter: false } });
    await expect(retried.result).resolves.toMatchObject({ finish });
    expect(fetch.requests).toHaveLength(2);
  });

  it('times out after idleTimeout without a byte, keeping the text so far', async () => {
    vi.useFakeTimers();
    const server = createControlledResponse();
    const stream = streamParts(URL_, { fetch: createFakeFetch(() => server.response), protocol: jsonPartsProtocol, idleTimeout: 1000 });
    const done = rejectionOf(stream.result);
    server.write(partEvents([{ type: 'text-delta', delta: 'Hel' }]));
    await server.whenDrained();
    await vi.advanceTimersByTimeAsync(1000);
    const error = await done;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'idle', timeout: 1000, text: 'Hel' });
    expect(server.cancelled).toBe(true);
  });
});

describe('streamParts: cancellation', () => {
  it('rejects with signal.reason, unwrapped, mid-stream, and cancels the body', async () => {
    const controller = new AbortController();
    const reason = new Error('user left');
    const server = createControlledResponse();
    const fetch = createFakeFetch(() => server.response);
    const stream = streamParts(URL_, { fetch, protocol: jsonPartsProtocol, signal: controller.signal });
    const parts: StreamPart[] = [];
    const done = rejectionOf(
      (async () => {
        for await (const part of stream) {
          parts.push(part);
          controller.abort(reason);
        }
      })(),
    );
    server.write(partEvents([{ type: 'reasoning-delta', delta: 'first' }, { type: 'text-delta', delta: 'second' }]));
    expect(await done).toBe(reason);
    expect(parts).toEqual([{ type: 'reasoning-delta', delta: 'first' }]);
    await server.whenCancelled;
    await expect(stream.result).rejects.toBe(reason);
  });

  it('an abort from onPart takes effect at once, even for parts already in the same chunk', async () => {
    const controller = new AbortController();
    const server = createControlledResponse();
    const seen: string[] = [];
    const stream = streamParts(URL_, {
      fetch: createFakeFetch(() => server.response),
      protocol: jsonPartsProtocol,
      signal: controller.signal,
      onPart: (part) => {
        seen.push(part.type);
        controller.abort();
      },
    });
    server.write(
      partEvents([
        { type: 'text-delta', delta: 'a' },
        { type: 'text-delta', delta: 'b' },
        { type: 'finish', finishReason: 'stop' },
      ]),
    );
    await expect(stream.result).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual(['text-delta']);
    expect(server.cancelled).toBe(true);
  });

  it('an abort from onComment takes effect at once: no part of its chunk (before or after the comment) reaches onPart', async () => {
    const controller = new AbortController();
    const reason = new Error('stopped by onComment');
    const server = createControlledResponse();
    const seen: string[] = [];
    const stream = streamParts(URL_, {
      fetch: createFakeFetch(() => server.response),
      protocol: jsonPartsProtocol,
      signal: controller.signal,
      onComment: () => controller.abort(reason),
      onPart: (part) => seen.push(part.type),
    });
    // One network chunk: a part, the comment, the finish part.
    server.write([...partEvents([{ type: 'text-delta', delta: 'a' }]), ': stop\n', ...partEvents([{ type: 'finish', finishReason: 'stop' }])]);
    await expect(stream.result).rejects.toBe(reason);
    expect(seen).toEqual([]);
    expect(server.cancelled).toBe(true);
  });

  it('cancels the request when a for await loop breaks early; result then rejects with an AbortError', async () => {
    const server = createControlledResponse();
    const stream = streamParts(URL_, { fetch: createFakeFetch(() => server.response), protocol: jsonPartsProtocol });
    server.write(partEvents([{ type: 'text-delta', delta: 'a' }, { type: 'text-delta', delta: 'b' }]));
    for await (const part of stream) {
      expect(part).toEqual({ type: 'text-delta', delta: 'a' });
      break;
    }
    expect(server.cancelled).toBe(true);
    await expect(stream.result).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('does not send a request when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['a'])));
    await expect(streamParts(URL_, { fetch, signal: controller.signal }).result).rejects.toMatchObject({ name: 'AbortError' });
    expect(fetch.requests).toHaveLength(0);
  });
});

describe('streamParts: result', () => {
  it('resolves with the text, reasoning, refusal, tool calls and finish part, without iterating', async () => {
    const fetch = partsFetch(EVERY_PART);
    const result = await streamParts(URL_, { fetch, protocol: jsonPartsProtocol }).result;
    expect(result).toEqual({
      text: 'Let me check. It is 18 °C in Paris 🌤.',
      reasoning: 'The user wants the weather.',
      refusal: 'I cannot share more.',
      toolCalls: [EVERY_PART[6]],
      finish: EVERY_PART[EVERY_PART.length - 1],
    });
  });

  it('settles when the loop that iterates the stream ends, with onPart seeing every part', async () => {
    const onPart = vi.fn();
    const stream = streamParts(URL_, { fetch: partsFetch(EVERY_PART), protocol: jsonPartsProtocol, onPart });
    const { parts } = await collect(stream);
    await expect(stream.result).resolves.toMatchObject({ text: 'Let me check. It is 18 °C in Paris 🌤.' });
    expect(onPart.mock.calls.map(([part]) => part as StreamPart)).toEqual(parts);
  });

  it('does not send anything until the stream is iterated or its result is read, and can be consumed once', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    const stream = streamParts(URL_, { fetch });
    await Promise.resolve();
    expect(fetch.requests).toHaveLength(0);
    await expect(stream.result).resolves.toMatchObject({ text: 'ok', finish: { finishReason: 'stop' } });
    expect(fetch.requests).toHaveLength(1);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(TypeError);
  });

  it('keeps an invalid tool call (input cut off) in toolCalls: it is reported, not thrown', async () => {
    const cut: StreamPart = {
      type: 'tool-call',
      toolCallId: 'call_1',
      toolName: 'get_weather',
      input: { city: 'Pa' },
      inputText: '{"city":"Pa',
      invalid: true,
    };
    const fetch = partsFetch([cut, { type: 'finish', finishReason: 'length', rawFinishReason: 'max_tokens' }]);
    const { toolCalls, finish } = await streamParts(URL_, { fetch, protocol: jsonPartsProtocol }).result;
    expect(toolCalls).toEqual([cut]);
    expect(finish).toEqual({ type: 'finish', finishReason: 'length', rawFinishReason: 'max_tokens' });
  });
});

describe('streamParts: which protocol', () => {
  it('uses tokenProtocol by default', async () => {
    const a = await streamParts(URL_, { fetch: createFakeFetch(() => sseResponse(tokenEvents(['x']))) }).result;
    const b = await streamParts(URL_, { fetch: createFakeFetch(() => sseResponse(tokenEvents(['x']))), protocol: tokenProtocol }).result;
    expect(a).toEqual(b);
  });
});
