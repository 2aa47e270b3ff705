// How a stream from a real HTTP server fails when a server reports an error in a shape the
// protocol does not define (a framework's plain-text `event: error`), or sends a malformed event:
// always a typed error whose `text` equals what was delivered before it.
import { describe, expect, it } from 'vitest';
import {
  aiSdkUIMessageProtocol,
  anthropicProtocol,
  createChatStore,
  openAIChatProtocol,
  openAIResponsesProtocol,
  ProtocolError,
  ServerStreamError,
  streamTokens,
  tokenProtocol,
  type StreamProtocol,
} from './index.js';
import { drain, failOnUnhandledRejections } from './test/helpers.js';
import { startEventStream, useHttpTestServers, type TestHandler } from './test/http-test-server.js';
import {
  aiSdkUIMessageEvents,
  anthropicEvents,
  openAIChatEvents,
  openAIResponsesEvents,
  tokenEvents,
} from './testing/index.js';

failOnUnhandledRejections();

const startServer = useHttpTestServers();

async function serve(handler: TestHandler): Promise<string> {
  const server = await startServer(handler);
  return `${server.url}/chat/stream`;
}

/** What Hono's `streamSSE` writes when the handler throws `new Error(message)` and an error handler is given. */
function honoErrorEvent(message: string): string {
  return `event: error\n${message.split('\n').map((line) => `data: ${line}`).join('\n')}\n\n`;
}

const PROTOCOLS: readonly (readonly [StreamProtocol, (tokens: string[]) => string[]])[] = [
  [tokenProtocol, (tokens) => tokenEvents(tokens, 'cut')],
  [openAIChatProtocol, (tokens) => openAIChatEvents(tokens, 'cut')],
  [openAIResponsesProtocol, (tokens) => openAIResponsesEvents(tokens, 'cut')],
  [anthropicProtocol, (tokens) => anthropicEvents(tokens, 'cut')],
  [aiSdkUIMessageProtocol, (tokens) => aiSdkUIMessageEvents(tokens, 'cut')],
];

describe('a plain-text event: error (Hono streamSSE error handler) after some tokens', () => {
  for (const [protocol, events] of PROTOCOLS) {
    it(`${protocol.name}: ServerStreamError with the text as message and payload, the partial text kept`, async () => {
      const url = await serve((_request, res) => {
        startEventStream(res);
        res.write(events(['Hel', 'lo']).join(''));
        res.end(honoErrorEvent('upstream model timed out'));
      });
      const { tokens, error } = await drain(streamTokens(url, { protocol, body: { prompt: 'x' } }));
      expect(tokens).toEqual(['Hel', 'lo']);
      expect(error).toBeInstanceOf(ServerStreamError);
      expect((error as ServerStreamError).message).toContain('upstream model timed out');
      expect(error).toMatchObject({ payload: 'upstream model timed out', text: 'Hello' });
    });
  }

  it('keeps a multi-line message whole, and the chat store shows the partial text next to the error', async () => {
    const url = await serve((_request, res) => {
      startEventStream(res);
      res.end(tokenEvents(['Par', 'tial'], 'cut').join('') + honoErrorEvent('model crashed\nretry later'));
    });
    const store = createChatStore({ url });
    await store.send('x');
    const { status, text, error } = store.getSnapshot();
    expect(status).toBe('error');
    expect(error).toBeInstanceOf(ServerStreamError);
    expect(error?.message).toContain('model crashed\nretry later');
    expect(error).toMatchObject({ payload: 'model crashed\nretry later', text: 'Partial' });
    expect(text).toBe('Partial');
  });
});

describe('a malformed event in the same network chunk as tokens', () => {
  const CHUNK = 'data: {"token":"Hello "}\n\ndata: {"token":"world"}\n\ndata: not json\n\n';

  it('streamTokens delivers the tokens before it, then the ProtocolError with the same text', async () => {
    const url = await serve((_request, res) => {
      startEventStream(res);
      res.end(CHUNK); // one write: one network chunk
    });
    const { tokens, error } = await drain(streamTokens(url, { body: { prompt: 'x' } }));
    expect(tokens).toEqual(['Hello ', 'world']);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ data: 'not json', text: 'Hello world' });
  });

  it("the chat store's text equals the error's text", async () => {
    const url = await serve((_request, res) => {
      startEventStream(res);
      res.end(CHUNK);
    });
    const store = createChatStore({ url });
    await store.send('x');
    const { status, text, error } = store.getSnapshot();
    expect(status).toBe('error');
    expect(error).toBeInstanceOf(ProtocolError);
    expect(text).toBe((error as ProtocolError).text);
    expect(text).toBe('Hello world');
  });
});
