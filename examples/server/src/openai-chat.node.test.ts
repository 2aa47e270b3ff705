import { openAIChatProtocol, ServerStreamError, streamParts } from '@tokenstream/sse-client';
import { describe, expect, it } from 'vitest';
import { DEMO_ERROR_MESSAGE, planReply, replyText } from './model.js';
import {
  DEMO_REASONING,
  DEMO_TOOL_CALL_ID,
  DEMO_TOOL_INPUT,
  DEMO_TOOL_NAME,
  DEMO_TOOL_TEXT,
  OPENAI_CHAT_PATH,
} from './openai-chat.js';
import { startChatServer } from './test-server.js';

// POST /v1/chat/completions: the OpenAI Chat Completions streaming format, read over real HTTP by
// the library's openAIChatProtocol. (The official `openai` package is a devDependency of
// packages/sse-client only and does not resolve from here, so its ChatCompletionStream is not run.)

/** Starts a server and returns the URL of its OpenAI-compatible endpoint. */
async function startOpenAI(): Promise<string> {
  const { port } = await startChatServer();
  return `http://127.0.0.1:${port}${OPENAI_CHAT_PATH}`;
}

function chatBody(prompt: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'demo', messages: [{ role: 'user', content: prompt }], stream: true, ...extra };
}

/** The `data:` payloads of an event stream's text, in order. */
function dataOf(streamText: string): string[] {
  return streamText
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
}

describe('POST /v1/chat/completions, text', () => {
  it('streams the built-in reply as delta.content, finish reason stop, with usage when asked', async () => {
    const url = await startOpenAI();
    const prompt = 'What is Server-Sent Events? 日本語 🚀';
    const body = chatBody(prompt, { stream_options: { include_usage: true } });
    const result = await streamParts(url, { protocol: openAIChatProtocol, body }).result;

    expect(result.text).toBe(replyText(prompt));
    expect(result.reasoning).toBe('');
    expect(result.toolCalls).toEqual([]);
    expect(result.finish.finishReason).toBe('stop');
    expect(result.finish.usage?.outputTokens).toBe(planReply(prompt).tokens.length);
  });

  it('sends chat.completion.chunk objects: a role chunk first, a finish chunk, the usage chunk with empty choices, then [DONE]', async () => {
    const url = await startOpenAI();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatBody('Hi', { stream_options: { include_usage: true } })),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const data = dataOf(await response.text());

    expect(data.at(-1)).toBe('[DONE]');
    type Chunk = { choices: { delta: unknown; finish_reason: string | null }[]; usage?: unknown };
    const chunks = data.slice(0, -1).map((payload) => JSON.parse(payload) as Chunk);
    for (const chunk of chunks) expect(chunk).toMatchObject({ id: 'chatcmpl-demo', object: 'chat.completion.chunk', model: 'demo' });
    expect(chunks[0]!.choices).toEqual([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
    expect(chunks.at(-2)!.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toMatchObject({ completion_tokens: planReply('Hi').tokens.length });
  });

  it('sends no usage chunk unless stream_options.include_usage is true', async () => {
    const url = await startOpenAI();
    const result = await streamParts(url, { protocol: openAIChatProtocol, body: chatBody('Hi') }).result;
    expect(result.text).toBe(replyText('Hi'));
    expect(result.finish.usage).toBeUndefined();
  });

  it('reads the last user message, as a string or as text parts', async () => {
    const url = await startOpenAI();
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: [{ type: 'text', text: 'second ' }, { type: 'text', text: 'question' }] },
    ];
    const result = await streamParts(url, { protocol: openAIChatProtocol, body: { messages, stream: true } }).result;
    expect(result.text).toBe(replyText('second question'));
  });

  it('ends a prompt with the word "error" with an OpenAI error event: ServerStreamError, partial text kept', async () => {
    const url = await startOpenAI();
    const error = await streamParts(url, { protocol: openAIChatProtocol, body: chatBody('Show me an error') }).result.catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ServerStreamError);
    expect((error as ServerStreamError).message).toContain(DEMO_ERROR_MESSAGE);
    expect((error as ServerStreamError).payload).toEqual({ message: DEMO_ERROR_MESSAGE, type: 'server_error', code: null });
    expect((error as ServerStreamError).text).toBe(planReply('Show me an error').tokens.join(''));
  });
});

describe('POST /v1/chat/completions, reasoning and a tool call (prompt with "weather" or "tool")', () => {
  it('streams reasoning first, then text, then a tool call whose arguments arrive in pieces; finish reason tool-calls', async () => {
    const url = await startOpenAI();
    const parts: string[] = [];
    let argumentPieces = 0;
    const result = await streamParts(url, {
      protocol: openAIChatProtocol,
      body: chatBody('What is the weather in Paris?'),
      onPart: (part) => {
        if (parts.at(-1) !== part.type) parts.push(part.type);
        if (part.type === 'tool-input-delta') argumentPieces += 1;
      },
    }).result;

    expect(parts).toEqual(['reasoning-delta', 'text-delta', 'tool-input-start', 'tool-input-delta', 'tool-call', 'finish']);
    expect(argumentPieces).toBeGreaterThan(2);
    expect(result.reasoning).toBe(DEMO_REASONING);
    expect(result.text).toBe(DEMO_TOOL_TEXT);
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]).toMatchObject({ toolCallId: DEMO_TOOL_CALL_ID, toolName: DEMO_TOOL_NAME, input: DEMO_TOOL_INPUT });
    expect(result.toolCalls[0]!.invalid).toBeUndefined();
    expect(result.finish.finishReason).toBe('tool-calls');
    expect(result.finish.rawFinishReason).toBe('tool_calls');
  });

  it("calls the request's first tool by its name", async () => {
    const url = await startOpenAI();
    const tools = [{ type: 'function', function: { name: 'lookup_forecast', parameters: { type: 'object' } } }];
    const result = await streamParts(url, { protocol: openAIChatProtocol, body: chatBody('Use a tool', { tools }) }).result;
    expect(result.toolCalls.map((call) => call.toolName)).toEqual(['lookup_forecast']);
  });
});

describe('POST /v1/chat/completions, refused requests', () => {
  const cases: [string, unknown, string][] = [
    ['without "stream": true', { messages: [{ role: 'user', content: 'Hi' }] }, 'This server only streams: send "stream": true'],
    ['without "messages"', { stream: true }, '"messages" must be a non-empty array'],
    ['with an empty "messages"', { messages: [], stream: true }, '"messages" must be a non-empty array'],
    ['with no user text', { messages: [{ role: 'system', content: 'x' }], stream: true }, 'The last "user" message must have text content'],
    ['that is not an object', [1], 'The request body must be a JSON object: {"model": "...", "messages": [...], "stream": true}'],
  ];
  it.each(cases)('answers a body %s with 400 and an OpenAI-shaped error', async (_, body, message) => {
    const url = await startOpenAI();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { message, type: 'invalid_request_error', code: null } });
  });

  it('answers a non-JSON Content-Type with 415 in the OpenAI shape, like /chat/stream', async () => {
    const url = await startOpenAI();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(chatBody('Hi')) });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({
      error: { message: 'Content-Type must be application/json', type: 'invalid_request_error', code: null },
    });
  });
});
