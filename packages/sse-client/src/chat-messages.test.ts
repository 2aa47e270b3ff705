// applyParts: the one pure function that folds a reply's stream parts into its message.
import { describe, expect, it } from 'vitest';
import {
  applyParts,
  lastAssistantMessageIsCompleteWithToolCalls,
  messageText,
  PartialJSONError,
  type ChatMessage,
  type StreamPart,
} from './index.js';

const reply: ChatMessage = { id: 'r', role: 'assistant', parts: [], status: 'submitted' };
const fold = (...batches: StreamPart[][]): ChatMessage => batches.reduce(applyParts, reply);
const text = (delta: string): StreamPart => ({ type: 'text-delta', delta });
const reasoning = (delta: string): StreamPart => ({ type: 'reasoning-delta', delta });

describe('applyParts: text, reasoning and refusals', () => {
  it('appends consecutive deltas to one part, across network chunks', () => {
    expect(fold([text('Hel'), text('lo')], [text(', world')]).parts).toEqual([{ type: 'text', text: 'Hello, world' }]);
  });

  it('starts a new part after a part of another kind', () => {
    const message = fold([reasoning('Think'), reasoning('ing.'), text('An')], [text('swer'), reasoning('More.'), { type: 'refusal-delta', delta: 'No.' }]);
    expect(message.parts).toEqual([
      { type: 'reasoning', text: 'Thinking.' },
      { type: 'text', text: 'Answer' },
      { type: 'reasoning', text: 'More.' },
      { type: 'refusal', text: 'No.' },
    ]);
  });

  it('makes new objects and never mutates: the message before is unchanged, unchanged parts keep their identity', () => {
    const first = fold([reasoning('Why'), text('A')]);
    const second = applyParts(first, [text('B')]);
    expect(first.parts).toEqual([{ type: 'reasoning', text: 'Why' }, { type: 'text', text: 'A' }]);
    expect(second).not.toBe(first);
    expect(second.parts[0]).toBe(first.parts[0]);
    expect(second.parts[1]).toEqual({ type: 'text', text: 'AB' });
  });

  it('applied twice to the same message, gives the same result both times (no state kept between calls leaks)', () => {
    const base = fold([text('Hello')]);
    expect(messageText(applyParts(base, [text(' you')]))).toBe('Hello you');
    expect(messageText(applyParts(base, [text(' me')]))).toBe('Hello me');
  });
});

describe('applyParts: status and finish', () => {
  it('a submitted message becomes streaming with its first part, of any kind', () => {
    expect(applyParts(reply, [{ type: 'source-url', sourceId: 's', url: 'https://example.com' }]).status).toBe('streaming');
    expect(applyParts(reply, [{ type: 'data-progress', data: 1, transient: true }]).status).toBe('streaming');
  });

  it('returns the same message when nothing changes: no parts, or only transient data', () => {
    const streaming = fold([text('a')]);
    expect(applyParts(streaming, [])).toBe(streaming);
    expect(applyParts(streaming, [{ type: 'data-progress', data: 1, transient: true }])).toBe(streaming);
  });

  it('the finish part sets finishReason, finish and usage; the status is left to the store', () => {
    const finish = {
      type: 'finish',
      finishReason: 'length',
      rawFinishReason: 'max_tokens',
      usage: { inputTokens: 3, outputTokens: 5, totalTokens: 8 },
    } as const;
    expect(fold([text('a')], [finish])).toMatchObject({ status: 'streaming', finishReason: 'length', finish, usage: finish.usage });
  });
});

describe('applyParts: tool calls', () => {
  const start: StreamPart = { type: 'tool-input-start', toolCallId: 'c1', toolName: 'weather' };

  it('input-streaming with the partial input, then input-available with the final input', () => {
    const streaming = fold([start, { type: 'tool-input-delta', toolCallId: 'c1', inputTextDelta: '{"city":"Pa', input: { city: 'Pa' } }]);
    expect(streaming.parts).toEqual([{ type: 'tool', toolCallId: 'c1', toolName: 'weather', state: 'input-streaming', input: { city: 'Pa' } }]);
    const available = applyParts(streaming, [
      { type: 'tool-input-delta', toolCallId: 'c1', inputTextDelta: 'ris"}', input: { city: 'Paris' } },
      { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' }, inputText: '{"city":"Paris"}' },
    ]);
    expect(available.parts).toEqual([{ type: 'tool', toolCallId: 'c1', toolName: 'weather', state: 'input-available', input: { city: 'Paris' } }]);
  });

  it('output-available with a tool-result, output-error with a tool-error', () => {
    const message = fold(
      [start, { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: {}, inputText: '{}' }],
      [{ type: 'tool-result', toolCallId: 'c1', output: { temperature: 21 } }],
      [{ type: 'tool-call', toolCallId: 'c2', toolName: 'search', input: { q: 'x' }, inputText: '{"q":"x"}' }],
      [{ type: 'tool-error', toolCallId: 'c2', errorText: 'Search is down' }],
    );
    expect(message.parts).toEqual([
      { type: 'tool', toolCallId: 'c1', toolName: 'weather', state: 'output-available', input: {}, output: { temperature: 21 } },
      { type: 'tool', toolCallId: 'c2', toolName: 'search', state: 'output-error', input: { q: 'x' }, errorText: 'Search is down' },
    ]);
  });

  it('a call whose arguments are not JSON is output-error, with the raw text, the parse error and the best partial input', () => {
    const error = new PartialJSONError('unexpected-end', 12, 'the value is not complete');
    const message = fold([start, { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Par' }, inputText: '{"city":"Par', invalid: true, error }]);
    expect(message.parts[0]).toEqual({
      type: 'tool',
      toolCallId: 'c1',
      toolName: 'weather',
      state: 'output-error',
      input: { city: 'Par' },
      inputText: '{"city":"Par',
      invalid: true,
      error,
      errorText: error.message,
    });
  });

  it('provider-executed calls are marked, and a result without an earlier call still makes a part', () => {
    const message = fold([
      { type: 'tool-input-start', toolCallId: 's1', toolName: 'web_search', providerExecuted: true },
      { type: 'tool-call', toolCallId: 's1', toolName: 'web_search', input: { query: 'q' }, inputText: '{"query":"q"}', providerExecuted: true },
      { type: 'tool-result', toolCallId: 's1', toolName: 'web_search', output: [], providerExecuted: true },
      { type: 'tool-result', toolCallId: 'x', toolName: 'lookup', output: 1 },
    ]);
    expect(message.parts).toEqual([
      { type: 'tool', toolCallId: 's1', toolName: 'web_search', state: 'output-available', input: { query: 'q' }, output: [], providerExecuted: true },
      { type: 'tool', toolCallId: 'x', toolName: 'lookup', state: 'output-available', input: undefined, output: 1 },
    ]);
  });

  it('text after a tool call starts a new text part', () => {
    const message = fold([text('Let me check. '), start, text('It is sunny.')]);
    expect(message.parts.map((part) => part.type)).toEqual(['text', 'tool', 'text']);
    expect(messageText(message)).toBe('Let me check. It is sunny.');
  });
});

describe('applyParts: sources, files and data', () => {
  it('keeps sources and files as they arrived, in order', () => {
    const parts: StreamPart[] = [
      { type: 'source-url', sourceId: 's1', url: 'https://example.com', title: 'Example' },
      { type: 'source-document', sourceId: 's2', mediaType: 'application/pdf', title: 'Report' },
      { type: 'file', url: 'data:image/png;base64,AA==', mediaType: 'image/png' },
    ];
    expect(fold(parts).parts).toEqual(parts);
  });

  it('a data part with the type and id of an earlier one replaces it in place; transient ones are not kept', () => {
    const message = fold(
      [{ type: 'data-weather', id: 'w', data: { status: 'loading' } }, text('Hi')],
      [{ type: 'data-weather', id: 'w', data: { status: 'done', temperature: 21 } }, { type: 'data-notice', data: 'saved', transient: true }],
      [{ type: 'data-weather', data: 'no id: appended' }],
    );
    expect(message.parts).toEqual([
      { type: 'data-weather', id: 'w', data: { status: 'done', temperature: 21 } },
      { type: 'text', text: 'Hi' },
      { type: 'data-weather', data: 'no id: appended' },
    ]);
  });
});

describe('messageText', () => {
  it('joins the text parts only, and is "" without any', () => {
    expect(messageText({ id: 'u', role: 'user', parts: [] })).toBe('');
    expect(messageText(fold([reasoning('hmm'), text('a'), { type: 'tool-input-start', toolCallId: 'c', toolName: 't' }, text('b')]))).toBe('ab');
  });
});

describe('lastAssistantMessageIsCompleteWithToolCalls', () => {
  const call = (id: string, output?: unknown): StreamPart[] => [
    { type: 'tool-call', toolCallId: id, toolName: 't', input: {}, inputText: '{}' },
    ...(output === undefined ? [] : [{ type: 'tool-result' as const, toolCallId: id, output }]),
  ];
  const done = (message: ChatMessage): ChatMessage => ({ ...message, status: 'done' });
  const check = (...messages: ChatMessage[]) => lastAssistantMessageIsCompleteWithToolCalls({ messages });

  it('is true when the last reply is done and every client-side call has its result', () => {
    expect(check(done(fold([...call('a', 1), ...call('b', 2)])))).toBe(true);
  });

  it('is false while a call waits for its result, before the reply is done, without calls, or after a user message', () => {
    expect(check(done(fold([...call('a', 1), ...call('b')])))).toBe(false);
    expect(check(fold([...call('a', 1)]))).toBe(false);
    expect(check(done(fold([text('no tools')])))).toBe(false);
    expect(check(done(fold([...call('a', 1)])), { id: 'u', role: 'user', parts: [] })).toBe(false);
  });

  it('does not count the calls the provider ran itself', () => {
    const server = fold([
      { type: 'tool-call', toolCallId: 's', toolName: 'web_search', input: {}, inputText: '{}', providerExecuted: true },
      { type: 'tool-result', toolCallId: 's', output: [], providerExecuted: true },
      text('Found it.'),
    ]);
    expect(check(done(server))).toBe(false);
  });
});
