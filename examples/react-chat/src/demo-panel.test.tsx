import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import {
  createControlledResponse,
  createFakeFetch,
  errorResponse,
  openAIChatEvents,
  sseResponse,
  tokenEvents,
} from '@tokenstream/sse-client/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';

// The demo panel as a user drives it: pick a format or a failure, send, and look at the requests
// the app made (a fake fetch records them) and at the reply.

beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function choose(label: 'Format' | 'Failure', value: string): void {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

function sendPrompt(prompt: string): void {
  fireEvent.change(screen.getByLabelText('Your message'), { target: { value: prompt } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
}

const rows = () => screen.getAllByRole('listitem');
const markOf = (row: HTMLElement) => row.querySelector('.mark')?.textContent;

describe('the format', () => {
  it('by default, posts { prompt } to /chat/stream with no failure header', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hi', ' there'])));
    render(<App chat={{ fetch }} />);
    expect((screen.getByLabelText('Format') as HTMLSelectElement).value).toBe('token');
    expect((screen.getByLabelText('Failure') as HTMLSelectElement).value).toBe('none');

    sendPrompt('Hello');
    await vi.waitFor(() => expect(markOf(rows()[1]!)).toBe('Done'));

    expect(fetch.requests).toHaveLength(1);
    expect(fetch.requests[0]).toMatchObject({ method: 'POST', url: '/chat/stream', body: { prompt: 'Hello' } });
    expect(fetch.requests[0]!.headers.has('x-demo-failure')).toBe(false);
    expect(rows()[1]!.textContent).toContain('Hi there');
  });

  it('OpenAI-compatible posts the conversation to /v1/chat/completions as Chat Completions messages', async () => {
    const fetch = createFakeFetch([
      sseResponse(openAIChatEvents(['Hi', ' there'])),
      sseResponse(openAIChatEvents(['Sunny'])),
    ]);
    render(<App chat={{ fetch }} />);
    choose('Format', 'openai');

    sendPrompt('Hello');
    await vi.waitFor(() => expect(markOf(rows()[1]!)).toBe('Done'));
    expect(rows()[1]!.textContent).toContain('Hi there');
    sendPrompt('And the weather?');
    await vi.waitFor(() => expect(markOf(rows()[3]!)).toBe('Done'));

    expect(fetch.requests).toHaveLength(2);
    expect(fetch.requests[1]).toMatchObject({
      method: 'POST',
      url: '/v1/chat/completions',
      body: {
        model: 'demo',
        stream: true,
        stream_options: { include_usage: true },
        messages: [
          { role: 'user', content: 'Hello' },
          { role: 'assistant', content: 'Hi there' },
          { role: 'user', content: 'And the weather?' },
        ],
      },
    });
    expect(rows()[3]!.textContent).toContain('Sunny');
  });
});

describe('the failure mode', () => {
  it('is sent as the X-Demo-Failure header', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    render(<App chat={{ fetch }} />);
    choose('Failure', 'split-utf8');
    expect(screen.getByText(/cut inside a multibyte character/)).toBeTruthy();

    sendPrompt('Hello');
    await vi.waitFor(() => expect(markOf(rows()[1]!)).toBe('Done'));

    expect(fetch.requests[0]!.headers.get('x-demo-failure')).toBe('split-utf8');
  });

  it('goes back to no header when None is chosen again, in the same conversation', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    render(<App chat={{ fetch }} />);
    choose('Failure', 'crlf');
    sendPrompt('One');
    await vi.waitFor(() => expect(markOf(rows()[1]!)).toBe('Done'));
    choose('Failure', 'none');
    sendPrompt('Two');
    await vi.waitFor(() => expect(markOf(rows()[3]!)).toBe('Done'));

    expect(fetch.requests.map((request) => request.headers.get('x-demo-failure'))).toEqual(['crlf', null]);
    expect(rows()).toHaveLength(4);
  });

  it('429 retries after Retry-After, and the reply completes', async () => {
    const fetch = createFakeFetch([
      errorResponse(429, { error: 'slow down' }, { headers: { 'retry-after': '0' } }),
      sseResponse(tokenEvents(['Made', ' it'])),
    ]);
    render(<App chat={{ fetch }} />);
    choose('Failure', '429');

    sendPrompt('Hello');
    await vi.waitFor(() => expect(markOf(rows()[1]!)).toBe('Done'));

    expect(fetch.requests).toHaveLength(2);
    expect(fetch.requests.map((request) => request.headers.get('x-demo-failure'))).toEqual(['429', '429']);
    expect(rows()[1]!.textContent).toContain('Made it');
  });

  it('without the 429 mode, a 429 is not retried: the reply fails', async () => {
    const fetch = createFakeFetch([errorResponse(429, { error: 'slow down' }, { headers: { 'retry-after': '0' } })]);
    render(<App chat={{ fetch }} />);
    choose('Failure', '500');

    sendPrompt('Hello');
    await vi.waitFor(() => expect(markOf(rows()[1]!)).toBe('Failed'));

    expect(fetch.requests).toHaveLength(1);
  });
});

describe('the stall mode', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives up after 3 s without a byte: the partial reply is kept, with a timeout error beside it', async () => {
    // The idle timeout runs on fake time: its timer and the clock it checks (performance.now()).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const server = createControlledResponse();
    const fetch = createFakeFetch(() => server.response);
    render(<App chat={{ fetch }} />);
    choose('Failure', 'stall');
    sendPrompt('Hello');
    await fetch.waitForRequest(0);
    await act(async () => {
      server.write(tokenEvents(['Half', ' a'], 'cut'));
      await server.whenDrained();
    });
    await vi.waitFor(() => expect(rows()[1]!.textContent).toContain('Half a'));

    // A keep-alive comment restarts the wait: 3 s without a byte from then on.
    await act(async () => {
      await vi.advanceTimersByTimeAsync(2000);
      server.write(': keep-alive\n\n');
      await server.whenDrained();
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(2999);
    });
    expect(markOf(rows()[1]!)).not.toBe('Failed');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1);
    });
    vi.useRealTimers();

    await vi.waitFor(() => expect(markOf(rows()[1]!)).toBe('Failed'));
    expect(rows()[1]!.textContent).toContain('Half a');
    expect(rows()[1]!.textContent).toContain('The server stopped responding, so this reply is incomplete.');
  });
});
