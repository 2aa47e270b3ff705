// The request a send makes: its body built from the conversation (the default `{ prompt }`, a
// custom `body`, each format's builder), per-send body and headers, and what is never sent back.
import { describe, expect, it, vi } from 'vitest';
import {
  aiSdkUIMessageProtocol,
  anthropicProtocol,
  createChatStore,
  lastAssistantMessageIsCompleteWithToolCalls,
  messageText,
  openAIChatProtocol,
  openAIResponsesProtocol,
  toAnthropicMessages,
  toOpenAIChatMessages,
  toOpenAIResponsesInput,
  toUIMessages,
  type ChatMessage,
  type ChatRequest,
  type ChatStoreOptions,
  type StreamProtocol,
} from './index.js';
import { scriptedServer } from './test/chat-harness.js';
import {
  aiSdkUIMessageEvents,
  anthropicEvents,
  createFakeFetch,
  openAIChatEvents,
  openAIResponsesEvents,
  sseResponse,
  tokenEvents,
  type StreamItem,
} from './testing/index.js';

const ok = () => createFakeFetch(() => sseResponse(tokenEvents(['ok'])));

describe('the request body', () => {
  it('is { prompt } by default: the text of the last user message', async () => {
    const fetch = ok();
    const store = createChatStore({ url: '/c', fetch });
    await store.send('first');
    await store.send('second');
    expect(fetch.requests.map((r) => r.body)).toEqual([{ prompt: 'first' }, { prompt: 'second' }]);
  });

  it('is built by `body` from the prompt and the conversation ending with the new user message', async () => {
    const fetch = ok();
    const body = vi.fn(({ messages }: ChatRequest) => ({ messages: messages.map((m) => ({ role: m.role, content: messageText(m) })) }));
    const store = createChatStore({ url: '/c', fetch, body });
    await store.send('first');
    await store.send('second');
    expect(fetch.requests[1]?.body).toEqual({
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'second' },
      ],
    });
    expect(body.mock.calls[1]?.[0]).toMatchObject({ prompt: 'second', body: undefined });
  });

  it('merges a send’s body over the built one, which `body` also receives; a body that is not a plain object is left as built', async () => {
    const fetch = ok();
    const store = createChatStore({ url: '/c', fetch });
    await store.send('x', { body: { temperature: 0, prompt: 'overridden' } });
    expect(fetch.requests[0]?.body).toEqual({ prompt: 'overridden', temperature: 0 });

    const text = vi.fn((request: ChatRequest) => `prompt=${request.prompt}`);
    store.setOptions({ url: '/c', fetch, body: text });
    await store.send('y', { body: { temperature: 1 } });
    expect(fetch.requests[1]?.body).toBe('prompt=y');
    expect(text).toHaveBeenCalledWith(expect.objectContaining({ body: { temperature: 1 } }));
    await store.send('z');
    expect(fetch.requests[2]?.body).toBe('prompt=z');
  });

  it('merges a send’s headers over the store’s, for that request only', async () => {
    const fetch = ok();
    const store = createChatStore({ url: '/c', fetch, headers: { authorization: 'Bearer a', 'x-app': '1' } });
    await store.send('x', { headers: { authorization: 'Bearer b', 'x-trace': 't' } });
    await store.send('y');
    expect(Object.fromEntries(fetch.requests[0]!.headers)).toMatchObject({ authorization: 'Bearer b', 'x-app': '1', 'x-trace': 't' });
    expect(Object.fromEntries(fetch.requests[1]!.headers)).toMatchObject({ authorization: 'Bearer a', 'x-app': '1' });
    expect(fetch.requests[1]!.headers.has('x-trace')).toBe(false);
  });

  it('a send header that cannot be sent fails that reply without a request', async () => {
    const fetch = ok();
    const onError = vi.fn();
    const store = createChatStore({ url: '/c', fetch, onError });
    await store.send('x', { headers: { 'bad header': 'x' } });
    expect(store.getSnapshot().status).toBe('error');
    expect(store.getSnapshot().error).toBeInstanceOf(TypeError);
    expect(fetch.requests).toHaveLength(0);
    expect(onError).toHaveBeenCalledOnce();
  });
});

describe('what is never sent back', () => {
  it('a reply stopped before anything arrived is not an empty assistant message; one with partial text is sent back', async () => {
    const server = scriptedServer();
    const requests: ChatRequest[] = [];
    const store = createChatStore({ url: '/c', fetch: server.fetch, body: (request) => (requests.push(request), { prompt: request.prompt }) });
    void store.send('one');
    await server.response(0);
    store.stop(); // the request went out; nothing arrived
    void store.send('two');
    const second = await server.response(1);
    second.write(tokenEvents(['Partial'], 'cut'));
    await second.whenDrained();
    store.stop();
    void store.send('three');
    await server.response(2);
    store.stop();
    expect(store.getSnapshot().messages.map((m) => [m.role, m.status, messageText(m)])).toEqual([
      ['user', undefined, 'one'],
      ['assistant', 'aborted', ''],
      ['user', undefined, 'two'],
      ['assistant', 'aborted', 'Partial'],
      ['user', undefined, 'three'],
      ['assistant', 'aborted', ''],
    ]);
    expect(requests[2]?.messages.map((m) => [m.role, messageText(m)])).toEqual([
      ['user', 'one'],
      ['user', 'two'],
      ['assistant', 'Partial'],
      ['user', 'three'],
    ]);
  });
});

/**
 * Each built-in format end to end: a reply with a client-side tool call, its result added from
 * onToolCall, the automatic send that follows, and a final answer. The second request's body,
 * built by the format's builder, must carry the call and its result in the format's shape.
 */
describe.each<{
  name: string;
  protocol: StreamProtocol;
  events: (items: StreamItem[], ending?: Parameters<typeof openAIChatEvents>[1]) => string[];
  build: (messages: readonly ChatMessage[]) => unknown;
  callEnding: Parameters<typeof openAIChatEvents>[1];
  expected: unknown;
}>([
  {
    name: 'OpenAI Chat Completions',
    protocol: openAIChatProtocol,
    events: openAIChatEvents,
    build: toOpenAIChatMessages,
    callEnding: { type: 'done', finishReason: 'tool_calls' },
    expected: [
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: 'Checking. ',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temperature":21}' },
    ],
  },
  {
    name: 'OpenAI Responses',
    protocol: openAIResponsesProtocol,
    events: openAIResponsesEvents,
    build: toOpenAIResponsesInput,
    callEnding: 'done',
    expected: [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: 'Checking. ' },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"temperature":21}' },
    ],
  },
  {
    name: 'Anthropic Messages',
    protocol: anthropicProtocol,
    events: anthropicEvents,
    build: toAnthropicMessages,
    callEnding: { type: 'done', finishReason: 'tool_use' },
    expected: [
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking. ' },
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '{"temperature":21}' }] },
    ],
  },
  {
    name: 'AI SDK UI messages',
    protocol: aiSdkUIMessageProtocol,
    events: aiSdkUIMessageEvents,
    build: toUIMessages,
    callEnding: 'done',
    expected: [
      { id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
      {
        id: 'm2',
        role: 'assistant',
        parts: [
          { type: 'text', text: 'Checking. ' },
          { type: 'tool-get_weather', toolCallId: 'call_1', state: 'output-available', input: { city: 'Paris' }, output: { temperature: 21 } },
        ],
      },
    ],
  },
])('$name: the builder sends a tool call and its result back', ({ protocol, events, build, callEnding, expected }) => {
  it('in the format’s request shape, after the automatic send', async () => {
    const replies = [
      sseResponse(events(['Checking. ', { type: 'tool-call', toolName: 'get_weather', input: { city: 'Paris' } }], callEnding)),
      sseResponse(events(['It is 21 °C.'])),
    ];
    const fetch = createFakeFetch(replies);
    let answered!: () => void;
    const whenAnswered = new Promise<void>((resolve) => (answered = resolve));
    const options: ChatStoreOptions = {
      url: '/c',
      fetch,
      protocol,
      body: ({ messages }) => ({ messages: build(messages) }),
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
      onToolCall: ({ toolCallId }) => store.addToolResult({ toolCallId, output: { temperature: 21 } }),
      onFinish: (message) => {
        if (messageText(message) === 'It is 21 °C.') answered();
      },
    };
    const store = createChatStore(options);
    await store.send('Weather in Paris?');
    await whenAnswered;
    expect(fetch.requests[1]?.body).toEqual({ messages: expected });
    expect(store.getSnapshot().messages.map((m) => m.role)).toEqual(['user', 'assistant', 'assistant']);
  });
});
