// Client-side tools: onToolCall, addToolResult, and the opt-in automatic send once every call of
// the last reply has its result.
import { describe, expect, it, vi } from 'vitest';
import {
  createChatStore,
  lastAssistantMessageIsCompleteWithToolCalls,
  messageText,
  type ChatRequest,
  type ChatStoreOptions,
  type StreamPart,
  type ToolCallPart,
} from './index.js';
import { lastMessage } from './test/chat-harness.js';
import { jsonPartsProtocol, partEvents } from './test/json-parts-protocol.js';
import { createFakeFetch, sseResponse } from './testing/index.js';

const call = (toolCallId: string, toolName = 'get_weather', input: unknown = { city: 'Paris' }): ToolCallPart => ({
  type: 'tool-call',
  toolCallId,
  toolName,
  input,
  inputText: JSON.stringify(input),
});
const finish = (finishReason: 'stop' | 'tool-calls' = 'stop'): StreamPart => ({ type: 'finish', finishReason });

/** A store whose server answers request k with `replies[k]` (each a list of parts), recording each request. */
function toolStore(replies: StreamPart[][], options: Partial<ChatStoreOptions> = {}) {
  const requests: ChatRequest[] = [];
  const fetch = createFakeFetch(replies.map((parts) => sseResponse(partEvents(parts))));
  const store = createChatStore({
    url: '/c',
    fetch,
    protocol: jsonPartsProtocol,
    body: (request) => (requests.push(request), { prompt: request.prompt }),
    ...options,
  });
  return { store, fetch, requests };
}

describe('onToolCall', () => {
  it('is called with each complete, valid call the client runs, once the message shows it input-available', async () => {
    const seen: unknown[] = [];
    const { store } = toolStore(
      [
        [
          call('c1'),
          { type: 'tool-call', toolCallId: 'c2', toolName: 'get_weather', input: undefined, inputText: '{', invalid: true },
          { ...call('s1', 'web_search'), providerExecuted: true },
          finish('tool-calls'),
        ],
      ],
      { onToolCall: (toolCall) => seen.push([toolCall.toolCallId, lastMessage(store)?.parts[0]]) },
    );
    await store.send('x');
    expect(seen).toEqual([['c1', expect.objectContaining({ toolCallId: 'c1', state: 'input-available' })]]);
  });
});

describe('addToolResult', () => {
  it('records the output (output-available) or the error (output-error) on the call, at once', async () => {
    const { store } = toolStore([[call('c1'), call('c2'), finish('tool-calls')]]);
    await store.send('x');
    const listener = vi.fn();
    store.subscribe(listener);
    store.addToolResult({ toolCallId: 'c1', output: { temperature: 21 } });
    expect(listener).toHaveBeenCalledOnce(); // not waiting for a frame
    store.addToolResult({ toolCallId: 'c2', errorText: 'Service down' });
    expect(lastMessage(store)?.parts).toEqual([
      { type: 'tool', toolCallId: 'c1', toolName: 'get_weather', state: 'output-available', input: { city: 'Paris' }, output: { temperature: 21 } },
      { type: 'tool', toolCallId: 'c2', toolName: 'get_weather', state: 'output-error', input: { city: 'Paris' }, errorText: 'Service down' },
    ]);
    expect(lastMessage(store)?.status).toBe('done');
  });

  it('an unknown toolCallId changes nothing', async () => {
    const { store } = toolStore([[call('c1'), finish('tool-calls')]]);
    await store.send('x');
    const before = store.getSnapshot();
    store.addToolResult({ toolCallId: 'nope', output: 1 });
    expect(store.getSnapshot()).toBe(before);
  });
});

describe('sendAutomaticallyWhen', () => {
  it('with lastAssistantMessageIsCompleteWithToolCalls: results added from onToolCall while streaming are sent when the reply ends', async () => {
    const finished: string[] = [];
    let answered!: () => void;
    const whenAnswered = new Promise<void>((resolve) => (answered = resolve));
    const { store, fetch, requests } = toolStore([[call('c1'), finish('tool-calls')], [{ type: 'text-delta', delta: 'It is 21 °C.' }, finish()]], {
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
      onToolCall: ({ toolCallId }) => store.addToolResult({ toolCallId, output: { temperature: 21 } }),
      onFinish: (message) => {
        finished.push(message.id);
        if (finished.length === 2) answered();
      },
    });
    await store.send('Weather?');
    // The first reply is done and the automatic send has begun: a new reply, no new user message.
    expect(lastMessage(store)).toMatchObject({ role: 'assistant', status: 'submitted' });
    await whenAnswered;
    expect(lastMessage(store)?.status).toBe('done');
    expect(store.getSnapshot().messages.map((m) => [m.role, messageText(m)])).toEqual([
      ['user', 'Weather?'],
      ['assistant', ''],
      ['assistant', 'It is 21 °C.'],
    ]);
    // The automatic send carries the conversation with the result, and no new user message.
    expect(requests[1]?.prompt).toBe('Weather?');
    expect(requests[1]?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(requests[1]?.messages[1]?.parts[0]).toMatchObject({ state: 'output-available', output: { temperature: 21 } });
    expect(fetch.requests).toHaveLength(2); // the answer has no calls: nothing more is sent
  });

  it('a result added later (an async tool) sends once every call has its result', async () => {
    let answered!: () => void;
    const whenAnswered = new Promise<void>((resolve) => (answered = resolve));
    const { store, fetch } = toolStore([[call('c1'), call('c2'), finish('tool-calls')], [{ type: 'text-delta', delta: 'Both.' }, finish()]], {
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
      onFinish: (message) => {
        if (messageText(message) === 'Both.') answered();
      },
    });
    await store.send('x');
    store.addToolResult({ toolCallId: 'c1', output: 1 });
    expect(fetch.requests).toHaveLength(1);
    store.addToolResult({ toolCallId: 'c2', errorText: 'failed' });
    expect(store.getSnapshot().status).toBe('submitted');
    await whenAnswered;
    expect(fetch.requests).toHaveLength(2);
  });

  it('nothing is sent automatically without the option, or after a failed reply', async () => {
    const plain = toolStore([[call('c1'), finish('tool-calls')]]);
    await plain.store.send('x');
    plain.store.addToolResult({ toolCallId: 'c1', output: 1 });
    expect(plain.fetch.requests).toHaveLength(1);

    const requests: ChatRequest[] = [];
    const failed = createChatStore({
      url: '/c',
      fetch: createFakeFetch(() => sseResponse(partEvents([call('c1')]))), // cut: no finish
      protocol: jsonPartsProtocol,
      body: (request) => (requests.push(request), {}),
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
    });
    await failed.send('x');
    expect(failed.getSnapshot().status).toBe('error');
    failed.addToolResult({ toolCallId: 'c1', output: 1 });
    expect(requests).toHaveLength(1);
  });
});
