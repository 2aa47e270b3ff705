import { HTTPError, openAIChatProtocol, ServerStreamError, streamParts, streamTokens } from '@tokenstream/sse-client';
import { describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream, type UpstreamScript } from './fake-upstream.js';
import { replyText } from './model.js';
import { OPENAI_CHAT_PATH } from './openai-chat.js';
import { anthropicProvider, openAIProvider, type Provider } from './providers.js';
import { recordLog, startChatServer } from './test-server.js';

// The relay to a real provider, through the official SDKs, against a fake provider on 127.0.0.1
// (`fake-upstream.ts`) that records each request and whether it was aborted.

const API_KEY = 'sk-test-relay-0123456789-secret';
const TOKENS = ['Hello', ' from', ' the', ' provider', ' 🚀', ' 日本語.'];

const PROVIDERS: [string, (upstream: FakeUpstream) => Provider][] = [
  ['OpenAI', (upstream) => openAIProvider({ apiKey: API_KEY, baseURL: `${upstream.origin}/v1`, model: 'fake-model' })],
  ['Anthropic', (upstream) => anthropicProvider({ apiKey: API_KEY, baseURL: upstream.origin, model: 'fake-model' })],
];

/** A fake provider scripted with `script`, and the chat server relaying to it. */
async function startRelay(makeProvider: (upstream: FakeUpstream) => Provider, script: UpstreamScript = { tokens: TOKENS }) {
  const upstream = await startFakeUpstream(script);
  const log = recordLog();
  const { port } = await startChatServer({ provider: makeProvider(upstream), log: log.log });
  return {
    upstream,
    log,
    tokenUrl: `http://127.0.0.1:${port}/chat/stream`,
    openAIUrl: `http://127.0.0.1:${port}${OPENAI_CHAT_PATH}`,
  };
}

function chatBody(prompt: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { messages: [{ role: 'user', content: prompt }], stream: true, ...extra };
}

function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe.each(PROVIDERS)('relay to %s', (_, makeProvider) => {
  describe('streaming', () => {
    it('relays the text as {"token"} events, in order, on /chat/stream', async () => {
      const { tokenUrl } = await startRelay(makeProvider);
      const tokens: string[] = [];
      const text = await streamTokens(tokenUrl, { body: { prompt: 'Hi' }, onToken: (token) => tokens.push(token) }).text;

      expect(tokens).toEqual(TOKENS);
      expect(text).toBe(TOKENS.join(''));
    });

    it('relays the text as chat.completion.chunk events, in order, on /v1/chat/completions', async () => {
      const { openAIUrl } = await startRelay(makeProvider);
      const deltas: string[] = [];
      const result = await streamParts(openAIUrl, {
        protocol: openAIChatProtocol,
        body: chatBody('Hi'),
        onPart: (part) => {
          if (part.type === 'text-delta') deltas.push(part.delta);
        },
      }).result;

      expect(deltas).toEqual(TOKENS);
      expect(result.text).toBe(TOKENS.join(''));
      expect(result.finish.finishReason).toBe('stop');
    });

    it('relays reasoning and a streamed tool call on /v1/chat/completions', async () => {
      const script = { reasoning: ['Think', 'ing.'], tokens: ['Checking.'], toolCall: { name: 'get_weather', argumentPieces: ['{"city":', '"Paris"}'] } };
      const { openAIUrl } = await startRelay(makeProvider, script);
      const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }];
      const result = await streamParts(openAIUrl, { protocol: openAIChatProtocol, body: chatBody('Weather?', { tools }) }).result;

      expect(result.reasoning).toBe('Thinking.');
      expect(result.text).toBe('Checking.');
      expect(result.toolCalls).toHaveLength(1);
      expect(result.toolCalls[0]).toMatchObject({ toolName: 'get_weather', input: { city: 'Paris' } });
      expect(result.finish.finishReason).toBe('tool-calls');
    });

    it('reports the usage on /v1/chat/completions when stream_options.include_usage is true', async () => {
      const { openAIUrl } = await startRelay(makeProvider);
      const body = chatBody('Hi', { stream_options: { include_usage: true } });
      const result = await streamParts(openAIUrl, { protocol: openAIChatProtocol, body }).result;

      expect(result.finish.usage).toMatchObject({ inputTokens: 5, outputTokens: 7, totalTokens: 12 });
    });

    it('sends reasoning as ": reasoning" comments on /chat/stream, whose format carries text only', async () => {
      const { tokenUrl } = await startRelay(makeProvider, { reasoning: ['Think', 'ing.'], tokens: ['Done.'] });
      const response = await post(tokenUrl, { prompt: 'Hi' });
      const events = (await response.text()).split('\n\n').filter((event) => event !== '');

      expect(events).toEqual([': ping', ': reasoning', ': reasoning', 'data: {"token":"Done."}', 'data: [DONE]']);
    });

    it('sends the conversation, the tools and the configured model upstream, the key only in its auth header', async () => {
      const { upstream, openAIUrl, log } = await startRelay(makeProvider);
      const messages = [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'answer' },
        { role: 'user', content: [{ type: 'text', text: 'second' }] },
      ];
      const tools = [{ type: 'function', function: { name: 'lookup', description: 'Looks up', parameters: { type: 'object' } } }];
      await streamParts(openAIUrl, { protocol: openAIChatProtocol, body: { model: 'expensive-model', messages, tools, stream: true } }).result;

      const [request] = upstream.requests;
      expect(request!.body).toMatchObject({ model: 'fake-model', stream: true });
      const sent = JSON.stringify(request!.body);
      expect(sent).toContain('Be brief.');
      expect(sent).toContain('second');
      expect(sent).toContain('lookup');
      expect(sent).not.toContain('expensive-model');
      const auth = request!.headers['authorization'] ?? request!.headers['x-api-key'];
      expect(auth).toContain(API_KEY);
      expect(log.lines.join('\n')).not.toContain(API_KEY);
    });
  });

  describe('when the client goes away', () => {
    it.each([
      ['/chat/stream', 'token'],
      ['/v1/chat/completions', 'openai'],
    ])('aborts the upstream request when the client aborts on %s', async (_path, endpoint) => {
      const { upstream, tokenUrl, openAIUrl, log } = await startRelay(makeProvider, { tokens: TOKENS.slice(0, 2), end: 'hold' });
      const controller = new AbortController();
      const firstToken = new Promise<void>((resolve) => {
        const options = { signal: controller.signal };
        const stream =
          endpoint === 'token'
            ? streamTokens(tokenUrl, { ...options, body: { prompt: 'Hi' }, onToken: () => resolve() }).text
            : streamParts(openAIUrl, { ...options, protocol: openAIChatProtocol, body: chatBody('Hi'), onPart: (part) => part.type === 'text-delta' && resolve() }).result;
        stream.catch(() => undefined);
      });
      await firstToken;
      controller.abort();

      await upstream.requests[0]!.aborted; // the fake provider saw its request closed
      await log.waitFor(/^client disconnected after \d+ tokens; aborted the request to (openai|anthropic)$/);
    });
  });

  describe('when the client goes away before the provider answers', () => {
    it('aborts the upstream request that is still waiting for its response', async () => {
      const { upstream, tokenUrl, log } = await startRelay(makeProvider, { silent: true });
      const controller = new AbortController();
      const requested = upstream.nextRequest();
      const stream = streamTokens(tokenUrl, { body: { prompt: 'Hi' }, signal: controller.signal }).text.catch((e: unknown) => e);
      const request = await requested;
      controller.abort();

      expect(await stream).toMatchObject({ name: 'AbortError' });
      await request.aborted;
      await log.waitFor(/^client disconnected after 0 tokens; aborted the request to (openai|anthropic)$/);
    });
  });

  describe('upstream failures before the first token: an HTTP error with a JSON body', () => {
    it('passes a 500 through, as {"error"} on /chat/stream and in OpenAI\'s shape on /v1/chat/completions', async () => {
      const { tokenUrl, openAIUrl } = await startRelay(makeProvider, { status: 500, errorMessage: 'The fake provider broke' });

      const tokenResponse = await post(tokenUrl, { prompt: 'Hi' });
      expect(tokenResponse.status).toBe(500);
      expect(tokenResponse.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(((await tokenResponse.json()) as { error: string }).error).toContain('The fake provider broke');

      const openAIResponse = await post(openAIUrl, chatBody('Hi'));
      expect(openAIResponse.status).toBe(500);
      const body = (await openAIResponse.json()) as { error: { message: string; type: string } };
      expect(body.error.message).toContain('The fake provider broke');
      expect(typeof body.error.type).toBe('string');
    });

    it('passes a 429 through with its Retry-After, which the client reads as an HTTPError', async () => {
      const { tokenUrl } = await startRelay(makeProvider, { status: 429, headers: { 'Retry-After': '7' }, errorMessage: 'Slow down' });
      const error = await streamTokens(tokenUrl, { body: { prompt: 'Hi' } }).text.catch((e: unknown) => e);

      expect(error).toBeInstanceOf(HTTPError);
      expect((error as HTTPError).status).toBe(429);
      expect((error as HTTPError).headers.get('retry-after')).toBe('7');
    });

    it('passes a 401 through without echoing the key, even when the provider quotes it', async () => {
      const { tokenUrl, log } = await startRelay(makeProvider, { status: 401, errorMessage: `Incorrect API key provided: ${API_KEY}` });
      const response = await post(tokenUrl, { prompt: 'Hi' });

      expect(response.status).toBe(401);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: "The model provider refused the server's credentials (HTTP 401)" });
      expect(text).not.toContain(API_KEY);
      expect(log.lines.join('\n')).not.toContain(API_KEY);
    });

    it('answers 502 when the provider cannot be reached', async () => {
      const upstream = await startFakeUpstream();
      const unreachable = { ...upstream, origin: 'http://127.0.0.1:1' };
      const { port } = await startChatServer({ provider: makeProvider(unreachable) });
      const response = await post(`http://127.0.0.1:${port}/chat/stream`, { prompt: 'Hi' });

      expect(response.status).toBe(502);
      expect(((await response.json()) as { error: string }).error).toMatch(/^The model provider failed: /);
    });
  });

  describe('upstream failures after the first token: the endpoint\'s error event', () => {
    it('ends /chat/stream with {"error"}: ServerStreamError, the partial text kept', async () => {
      const { tokenUrl } = await startRelay(makeProvider, { tokens: TOKENS.slice(0, 3), end: 'error', errorMessage: 'Overloaded' });
      const error = await streamTokens(tokenUrl, { body: { prompt: 'Hi' } }).text.catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ServerStreamError);
      expect((error as ServerStreamError).message).toContain('Overloaded');
      expect((error as ServerStreamError).text).toBe(TOKENS.slice(0, 3).join(''));
    });

    it('ends /v1/chat/completions with an OpenAI error event: ServerStreamError, the partial text kept', async () => {
      const { openAIUrl } = await startRelay(makeProvider, { tokens: TOKENS.slice(0, 3), end: 'error', errorMessage: 'Overloaded' });
      const error = await streamParts(openAIUrl, { protocol: openAIChatProtocol, body: chatBody('Hi') }).result.catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ServerStreamError);
      expect((error as ServerStreamError).message).toContain('Overloaded');
      expect((error as ServerStreamError).payload).toMatchObject({ message: expect.stringContaining('Overloaded') as unknown });
      expect((error as ServerStreamError).text).toBe(TOKENS.slice(0, 3).join(''));
    });

    it('ends with the error event, not [DONE], when the provider\'s response is cut before its finish', async () => {
      const { tokenUrl } = await startRelay(makeProvider, { tokens: TOKENS.slice(0, 2), end: 'cut' });
      const error = await streamTokens(tokenUrl, { body: { prompt: 'Hi' } }).text.catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ServerStreamError);
      expect((error as ServerStreamError).text).toBe(TOKENS.slice(0, 2).join(''));
    });
  });
});

describe('with a provider configured', () => {
  it('still answers a request for a demo failure with the built-in model, without calling the provider', async () => {
    const { upstream, tokenUrl } = await startRelay(PROVIDERS[0]![1]);
    const text = await streamTokens(tokenUrl, { body: { prompt: 'Hi', demo_failure: 'crlf' } }).text;

    expect(text).toBe(replyText('Hi'));
    expect(upstream.requests).toEqual([]);
  });
});
