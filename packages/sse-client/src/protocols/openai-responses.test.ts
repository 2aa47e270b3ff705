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
import { openAIResponsesProtocol } from './openai-responses.js';
import { rejectionOf, sseEvent } from '../test/helpers.js';

const URL_ = 'https://api.openai.com/v1/responses';

const TOKENS = ['Hi', ' there', '! ', 'Ça', ' va', ' 🌍', '?\n\nBye'];
const TEXT = TOKENS.join('');
const USAGE = {
  input_tokens: 12,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 85,
  output_tokens_details: { reasoning_tokens: 64 },
  total_tokens: 97,
};
/** {@link USAGE} normalised. */
const NORMALISED_USAGE = { inputTokens: 12, outputTokens: 85, totalTokens: 97, reasoningTokens: 64, cachedInputTokens: 0 };

function responseObject(status: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'resp_67c9fdcecf488190bdd9a0409de3a1ec',
    object: 'response',
    created_at: 1741290958,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: 'o4-mini-2025-04-16',
    output: [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: 'medium', summary: 'auto' },
    store: true,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    truncation: 'disabled',
    usage: null,
    metadata: {},
    ...fields,
  };
}

/** The events of a stream, each with `event:` and a `sequence_number` as the API numbers them. */
class Events {
  readonly list: string[] = [];
  add(type: string, fields: Record<string, unknown>): void {
    this.list.push(formatEvent({ event: type, data: JSON.stringify({ type, sequence_number: this.list.length, ...fields }) }));
  }
}

/** Builds the events of one response, numbering them as the API does. */
function responseEvents(texts: readonly string[], end: (events: Events) => void): string[] {
  const events = new Events();
  events.add('response.created', { response: responseObject('in_progress') });
  events.add('response.in_progress', { response: responseObject('in_progress') });
  // A reasoning item with a summary: not answer text.
  const reasoning = { id: 'rs_1', type: 'reasoning', summary: [] };
  events.add('response.output_item.added', { output_index: 0, item: reasoning });
  const summary = { item_id: 'rs_1', output_index: 0, summary_index: 0 };
  events.add('response.reasoning_summary_part.added', { ...summary, part: { type: 'summary_text', text: '' } });
  events.add('response.reasoning_summary_text.delta', { ...summary, delta: '**Greeting the user**' });
  events.add('response.reasoning_summary_text.done', { ...summary, text: '**Greeting the user**' });
  events.add('response.reasoning_summary_part.done', { ...summary, part: { type: 'summary_text', text: '**Greeting the user**' } });
  events.add('response.output_item.done', { output_index: 0, item: reasoning });
  // The message item, whose output_text deltas are the answer.
  const message = { id: 'msg_1', type: 'message', status: 'in_progress', content: [], role: 'assistant' };
  events.add('response.output_item.added', { output_index: 1, item: message });
  const part = { item_id: 'msg_1', output_index: 1, content_index: 0 };
  events.add('response.content_part.added', { ...part, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } });
  for (const delta of texts) events.add('response.output_text.delta', { ...part, delta, logprobs: [], obfuscation: 'x8Fq' });
  const text = texts.join('');
  events.add('response.output_text.done', { ...part, text, logprobs: [] });
  events.add('response.content_part.done', { ...part, part: { type: 'output_text', annotations: [], logprobs: [], text } });
  events.add('response.output_item.done', { output_index: 1, item: { ...message, status: 'completed' } });
  end(events);
  return events.list;
}

const completed = (events: Events) =>
  events.add('response.completed', { response: responseObject('completed', { usage: USAGE }) });

const STREAM = responseEvents(TOKENS, completed);

function fetchOf(chunks: Iterable<string | Uint8Array>) {
  return createFakeFetch(() => sseResponse(chunks));
}

function streamOf(chunks: Iterable<string | Uint8Array>) {
  return streamTokens(URL_, {
    protocol: openAIResponsesProtocol,
    fetch: fetchOf(chunks),
    body: { model: 'o4-mini', input: 'Hi', stream: true },
  });
}

async function snapshotOf(chunks: readonly string[]): Promise<ChatSnapshot> {
  const store = createChatStore({ url: URL_, protocol: openAIResponsesProtocol, fetch: fetchOf(chunks) });
  await store.send('Hi');
  return store.getSnapshot();
}

describe('openAIResponsesProtocol: a complete stream', () => {
  for (const { name, chunks } of chunkings(new TextEncoder().encode(STREAM.join('')), { twoWaySplits: false, seeds: [1, 2, 3] })) {
    it(`yields the output_text deltas only, not the reasoning summary or the .done text (${name})`, async () => {
      const stream = streamOf(chunks);
      const tokens: string[] = [];
      for await (const token of stream) tokens.push(token);
      expect(tokens).toEqual(TOKENS);
      expect(await stream.text).toBe(TEXT);
    });
  }

  it('finishes at response.completed with its status and usage', async () => {
    const snapshot = await snapshotOf(STREAM);
    expect(snapshot.status).toBe('done');
    expect(snapshot.text).toBe(TEXT);
    expect(snapshot.finish).toEqual({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'completed',
      usage: NORMALISED_USAGE,
      rawUsage: USAGE,
    });
  });

  it('reads the kind of event from the data: a stream without event: lines works the same', async () => {
    const dataOnly = STREAM.map((text) => text.replace(/^event: .*\n/, ''));
    expect(dataOnly.join('')).not.toContain('event:');
    const snapshot = await snapshotOf(dataOnly);
    expect(snapshot.text).toBe(TEXT);
    expect(snapshot.finish).toMatchObject({ finishReason: 'stop', rawFinishReason: 'completed' });
  });

  it('never reads a [DONE] that a compatible server adds after response.completed', async () => {
    const snapshot = await snapshotOf([...STREAM, 'data: [DONE]\n\n']);
    expect(snapshot.status).toBe('done');
    expect(snapshot.text).toBe(TEXT);
  });
});

describe('openAIResponsesProtocol: early stop', () => {
  it('response.incomplete is a stop, not an error: finish with incomplete_details.reason (normalised) and usage', async () => {
    const usage = { input_tokens: 12, output_tokens: 16, total_tokens: 28 };
    const snapshot = await snapshotOf(
      responseEvents(['Once', ' upon'], (events) =>
        events.add('response.incomplete', {
          response: responseObject('incomplete', { incomplete_details: { reason: 'max_output_tokens' }, usage }),
        }),
      ),
    );
    expect(snapshot.status).toBe('done');
    expect(snapshot.error).toBeUndefined();
    expect(snapshot.text).toBe('Once upon');
    expect(snapshot.finish).toEqual({
      type: 'finish',
      finishReason: 'length',
      rawFinishReason: 'max_output_tokens',
      usage: { inputTokens: 12, outputTokens: 16, totalTokens: 28 },
      rawUsage: usage,
    });
  });

  it('response.incomplete without incomplete_details finishes with "other", raw "incomplete"', async () => {
    const snapshot = await snapshotOf(
      responseEvents(['Once'], (events) => events.add('response.incomplete', { response: responseObject('incomplete') })),
    );
    expect(snapshot.finish).toEqual({ type: 'finish', finishReason: 'other', rawFinishReason: 'incomplete' });
  });
});

describe('openAIResponsesProtocol: errors', () => {
  it('turns response.failed into a ServerStreamError with response.error and the partial text', async () => {
    const failure = { code: 'server_error', message: 'The model failed to generate a response.' };
    const stream = responseEvents(['Hi', ' there'], (events) =>
      events.add('response.failed', { response: responseObject('failed', { error: failure }) }),
    );
    const error = (await rejectionOf(streamOf(stream).text)) as ServerStreamError;
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(error.message).toContain('The model failed to generate a response.');
    expect(error.payload).toEqual(failure);
    expect(error.text).toBe('Hi there');
  });

  it('turns a top-level event: error into a ServerStreamError with the whole data as payload', async () => {
    const payload = {
      type: 'error',
      sequence_number: 3,
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached for o4-mini.',
      param: null,
    };
    const head = STREAM.slice(0, 11); // up to the first output_text delta
    const error = (await rejectionOf(
      streamOf([...head, formatEvent({ event: 'error', data: JSON.stringify(payload) })]).text,
    )) as ServerStreamError;
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(error.message).toContain('Rate limit reached for o4-mini.');
    expect(error.payload).toEqual(payload);
    expect(error.text).toBe(TOKENS[0]);
  });

  it('reads the message of an error event that nests it under "error"', async () => {
    const payload = {
      type: 'error',
      sequence_number: 2,
      error: { type: 'invalid_request_error', code: 'context_length_exceeded', message: 'Input too long.', param: 'input' },
    };
    const error = (await rejectionOf(streamOf([formatEvent({ event: 'error', data: JSON.stringify(payload) })]).text)) as ServerStreamError;
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(error.message).toContain('Input too long.');
    expect(error.payload).toEqual(payload);
  });
});

describe('openAIResponsesProtocol: cut-off streams', () => {
  it('is incomplete when the stream ends mid-answer, with the partial text', async () => {
    const error = (await rejectionOf(streamOf(STREAM.slice(0, 12)).text)) as IncompleteStreamError;
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error.text).toBe(TOKENS.slice(0, 2).join(''));
  });

  it('is incomplete when everything but response.completed arrived', async () => {
    const error = (await rejectionOf(streamOf(STREAM.slice(0, -1)).text)) as IncompleteStreamError;
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error.text).toBe(TEXT);
  });
});

describe('openAIResponsesProtocol: malformed data', () => {
  it('turns data that is not JSON into a ProtocolError with the data and the text so far', async () => {
    const error = (await rejectionOf(
      streamOf([...STREAM.slice(0, 11), 'event: response.output_text.delta\ndata: {"type":\n\n']).text,
    )) as ProtocolError;
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toContain('openai-responses');
    expect(error.data).toBe('{"type":');
    expect(error.text).toBe(TOKENS[0]);
  });

  it('turns an output_text delta that is not a string into a ProtocolError', async () => {
    const bad = formatEvent({ data: JSON.stringify({ type: 'response.output_text.delta', delta: null }) });
    const error = (await rejectionOf(streamOf([...STREAM.slice(0, 11), bad]).text)) as ProtocolError;
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.text).toBe(TOKENS[0]);
  });
});

describe('openAIResponsesProtocol: the decoder', () => {
  it('ignores arguments of a call it never saw begin, unknown events and data that is not an object', () => {
    const decode = openAIResponsesProtocol.createDecoder();
    expect(decode(sseEvent('{"type":"response.function_call_arguments.delta","item_id":"fc_0","delta":"{\\"a\\""}'))).toBeUndefined();
    expect(decode(sseEvent('{"type":"response.some_future_event","delta":"x"}'))).toBeUndefined();
    expect(decode(sseEvent('42'))).toBeUndefined();
    expect(decode(sseEvent('{"type":"response.output_text.delta","delta":"x"}'))).toEqual({ type: 'text-delta', delta: 'x' });
  });

  it('uses the event name when the data has no type', () => {
    const decode = openAIResponsesProtocol.createDecoder();
    expect(decode(sseEvent('{"delta":"x"}', 'response.output_text.delta'))).toEqual({ type: 'text-delta', delta: 'x' });
  });
});
