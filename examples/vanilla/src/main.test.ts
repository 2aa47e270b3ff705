import { HTTPError, ServerStreamError } from '@tokenstream/sse-client';
import {
  createControlledResponse,
  createFakeFetch,
  errorResponse,
  sseResponse,
  tokenEvents,
  wrongContentTypeResponse,
} from '@tokenstream/sse-client/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeError, mountChat, type ChatOptions } from './main';

function setup(options: ChatOptions) {
  const root = document.createElement('div');
  document.body.append(root);
  const chat = mountChat(root, options);
  return {
    chat,
    root,
    prompt: root.querySelector('textarea')!,
    send: root.querySelector<HTMLButtonElement>('button[type="submit"]')!,
    stop: root.querySelector<HTMLButtonElement>('button[type="button"]')!,
    output: root.querySelector('.reply')!,
    status: root.querySelector('[role="status"]')!,
  };
}

let consoleError: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  consoleError.mockRestore();
  document.body.replaceChildren();
});

describe('a reply', () => {
  it('streams its tokens into the output as they arrive, then says Done', async () => {
    const server = createControlledResponse();
    const fetch = createFakeFetch(() => server.response);
    const page = setup({ url: '/chat/stream', fetch });

    const reply = page.chat.send('Hi');
    server.write(tokenEvents(['Hel'], 'cut'));
    await server.whenDrained();
    expect(page.output.textContent).toBe('Hel');
    expect(page.status.textContent).toBe('Streaming…');
    expect(page.send.disabled).toBe(true);
    expect(page.stop.disabled).toBe(false);

    server.write(tokenEvents(['lo']));
    server.close();
    await reply;
    expect(page.output.textContent).toBe('Hello');
    expect(page.status.textContent).toBe('Done');
    expect(page.send.disabled).toBe(false);
    expect(page.stop.disabled).toBe(true);
    expect(fetch.requests[0]).toMatchObject({ method: 'POST', url: '/chat/stream', body: { prompt: 'Hi' } });
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('is sent by the Send button with the typed prompt', async () => {
    const server = createControlledResponse();
    const fetch = createFakeFetch(() => server.response);
    const page = setup({ fetch });

    page.prompt.value = 'Tell me a story';
    page.send.click();
    const request = await fetch.waitForRequest();
    expect(request.url).toBe('/chat/stream');
    expect(request.body).toEqual({ prompt: 'Tell me a story' });
    expect(page.send.disabled).toBe(true);

    page.stop.click();
    await server.whenCancelled;
  });

  it('shows markup in a token as text, never as HTML', async () => {
    const tokens = ['<img src=x onerror="alert(1)">', ' <b>bold</b>'];
    const page = setup({ fetch: createFakeFetch(() => sseResponse(tokenEvents(tokens))) });

    await page.chat.send('Hi');
    expect(page.output.textContent).toBe(tokens.join(''));
    expect(page.output.querySelector('*')).toBeNull();
  });
});

describe('Stop', () => {
  it('aborts the request, keeps the partial text and says Stopped', async () => {
    const server = createControlledResponse();
    const fetch = createFakeFetch(() => server.response);
    const page = setup({ fetch });

    const reply = page.chat.send('Hi');
    server.write(tokenEvents(['Par', 'tial'], 'cut'));
    await server.whenDrained();
    page.stop.click();
    await reply;

    expect(fetch.requests[0]?.signal.aborted).toBe(true);
    expect(page.output.textContent).toBe('Partial');
    expect(page.status.textContent).toBe('Stopped');
    expect(page.status.classList.contains('failed')).toBe(false);
    expect(page.send.disabled).toBe(false);
    expect(page.stop.disabled).toBe(true);
    expect(consoleError).not.toHaveBeenCalled();
  });
});

describe('a failed reply', () => {
  it('keeps the partial text of a mid-stream error, says so in plain words, and logs the error', async () => {
    const events = tokenEvents(['Par', 'tial'], { type: 'error', message: 'model crashed' });
    const page = setup({ fetch: createFakeFetch(() => sseResponse(events)) });

    await page.chat.send('Hi');
    expect(page.output.textContent).toBe('Partial');
    expect(page.status.textContent).toBe('The model failed partway through, so this reply is incomplete.');
    expect(page.status.classList.contains('failed')).toBe(true);
    expect(page.send.disabled).toBe(false);
    expect(consoleError).toHaveBeenCalledWith('Chat reply failed:', expect.any(ServerStreamError));
  });

  it('shows an HTTP error with its status and logs the error with its body', async () => {
    const page = setup({ fetch: createFakeFetch(() => errorResponse(503, { error: 'overloaded' })) });

    await page.chat.send('Hi');
    expect(page.output.textContent).toBe('');
    expect(page.status.textContent).toBe('The server could not answer (HTTP 503). Try again in a moment.');
    const logged = consoleError.mock.calls[0]?.[1];
    expect(logged).toBeInstanceOf(HTTPError);
    expect((logged as HTTPError).body).toEqual({ error: 'overloaded' });
  });

  it('says the server cannot be reached when fetch fails', async () => {
    const page = setup({
      fetch: createFakeFetch(() => {
        throw new TypeError('Failed to fetch');
      }),
    });

    await page.chat.send('Hi');
    expect(page.status.textContent).toBe('Could not reach the server. Check your connection, then try again.');
  });
});

describe('describeError', () => {
  it.each([
    ['a 429', () => errorResponse(429), 'The server is busy. Wait a moment, then try again.'],
    ['a dropped connection', () => sseResponse(tokenEvents(['Hel', 'lo']), { fault: { type: 'drop', afterEvents: 1 } }), 'The connection was lost, so this reply is incomplete.'],
    ['a stream cut before [DONE]', () => sseResponse(tokenEvents(['Hel'], 'cut')), 'The reply ended early, so it may be cut off.'],
    ['a response that is not an event stream', () => wrongContentTypeResponse(), 'The server answered with something that is not a chat reply.'],
  ])('describes %s in plain words', async (_name, respond, sentence) => {
    const page = setup({ fetch: createFakeFetch(respond) });

    await page.chat.send('Hi');
    expect(page.status.textContent).toBe(sentence);
  });

  it('has a fallback for an error it does not know', () => {
    expect(describeError(new Error('boom'))).toBe('Something went wrong. Try again.');
  });
});
