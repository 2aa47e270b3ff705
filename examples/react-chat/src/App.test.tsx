import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { HTTPError, ServerStreamError, type ChatStoreOptions } from '@tokenstream/react';
import {
  createControlledResponse,
  createFakeFetch,
  errorResponse,
  tokenEvents,
  type ResponseController,
} from '@tokenstream/sse-client/testing';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { App } from './App';

// The app driven as a user drives it (type, Send, Stop) against a fake fetch whose responses the
// test writes chunk by chunk: the demo server's default {"token"} stream.

let consoleError: MockInstance<typeof console.error>;
beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** Renders the app against a fake server: each request gets a response the test writes. */
function renderApp(chat: Partial<ChatStoreOptions> = {}) {
  const responses: ResponseController[] = [];
  const fetch = createFakeFetch(() => {
    const response = createControlledResponse();
    responses.push(response);
    return response.response;
  });
  render(<App chat={{ fetch, ...chat }} />);
  /** Writes events to the latest response and waits until the store has read them. */
  const write = async (...events: string[]) => {
    const response = responses.at(-1)!;
    await act(async () => {
      response.write(events);
      await response.whenDrained();
    });
  };
  return { fetch, responses, write };
}

function sendPrompt(prompt: string): void {
  fireEvent.change(screen.getByLabelText('Your message'), { target: { value: prompt } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
}

/** The conversation's rows, oldest first. */
const rows = () => screen.getAllByRole('listitem');

/** The text of a row's status mark. */
const markOf = (row: HTMLElement) => row.querySelector('.mark')?.textContent;

describe('each reply keeps its own status mark', () => {
  it('a stopped reply keeps its partial text and its "Stopped" mark after a later send', async () => {
    const { write, fetch } = renderApp();
    sendPrompt('Tell me a story');
    await fetch.waitForRequest(0);
    await write(...tokenEvents(['Once', ' upon'], 'cut'));
    await vi.waitFor(() => expect(rows()[1]!.textContent).toContain('Once upon'));

    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect(markOf(rows()[1]!)).toBe('Stopped');

    sendPrompt('Another one');
    await fetch.waitForRequest(1);
    await write(...tokenEvents(['The', ' end']));
    await vi.waitFor(() => expect(markOf(rows()[3]!)).toBe('Done'));

    expect(rows()).toHaveLength(4);
    expect(markOf(rows()[1]!)).toBe('Stopped');
    expect(within(rows()[1]!).getByText('Once upon')).toBeTruthy();
    expect(within(rows()[3]!).getByText('The end')).toBeTruthy();
  });

  it('a failed reply keeps its partial text and its error beside it after a later send', async () => {
    const { write, fetch } = renderApp();
    sendPrompt('Please fail with an error');
    await fetch.waitForRequest(0);
    await write(...tokenEvents(['Half', ' an'], { error: 'The demo model failed on purpose' }));
    await vi.waitFor(() => expect(markOf(rows()[1]!)).toBe('Failed'));

    sendPrompt('Try again');
    await fetch.waitForRequest(1);
    await write(...tokenEvents(['Fine']));
    await vi.waitFor(() => expect(markOf(rows()[3]!)).toBe('Done'));

    const failed = rows()[1]!;
    expect(markOf(failed)).toBe('Failed');
    expect(within(failed).getByText('Half an')).toBeTruthy();
    expect(within(failed).getByRole('alert').textContent).toBe('The model ran into a problem and could not finish this reply.');
    expect(within(rows()[3]!).queryByRole('alert')).toBeNull();
  });
});

describe('errors are written for users; the detail goes to the console', () => {
  it('a mid-stream error: the partial reply stays, with a plain sentence in its row; the request is logged', async () => {
    const { write, fetch } = renderApp();
    sendPrompt('error please');
    await fetch.waitForRequest(0);
    await write(...tokenEvents(['Par', 'tial'], { error: 'upstream model crashed' }));
    await vi.waitFor(() => expect(markOf(rows()[1]!)).toBe('Failed'));

    const reply = rows()[1]!;
    expect(within(reply).getByText('Partial')).toBeTruthy();
    const alert = within(reply).getByRole('alert');
    expect(alert.textContent).toBe('The model ran into a problem and could not finish this reply.');
    // No developer detail on screen: no method, no URL, no server payload.
    expect(document.body.textContent).not.toMatch(/POST|\/chat\/stream|upstream model crashed/);
    expect(consoleError).toHaveBeenCalledWith(
      expect.stringMatching(/^Chat reply failed: .*upstream model crashed.*: POST \/chat\/stream$/),
      expect.any(ServerStreamError),
    );
  });

  it('an HTTP failure before any token: the reply says so in plain words; the status, URL and body are logged', async () => {
    const fetch = createFakeFetch(() => errorResponse(503, { error: 'model overloaded' }));
    render(<App chat={{ fetch }} />);
    sendPrompt('Hello');
    await vi.waitFor(() => expect(markOf(rows()[1]!)).toBe('Failed'));

    const reply = rows()[1]!;
    expect(within(reply).getByText('(no reply)')).toBeTruthy();
    expect(within(reply).getByRole('alert').textContent).toBe(
      'The server ran into a problem and could not answer. Try again in a moment.',
    );
    expect(document.body.textContent).not.toMatch(/503|POST|model overloaded/);
    expect(consoleError).toHaveBeenCalledWith(
      'Chat reply failed: Request failed with status 503 (Service Unavailable): POST /chat/stream',
      expect.any(HTTPError),
      { responseBody: { error: 'model overloaded' } },
    );
  });
});

describe('metrics and finish', () => {
  it('each finished reply shows its time to first token, tokens per second and total time', async () => {
    let clock = 10_000;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const { write, fetch } = renderApp();
    sendPrompt('Count');
    await fetch.waitForRequest(0);
    clock += 120;
    await write(...tokenEvents(['one'], 'cut'));
    clock += 50;
    await write(...tokenEvents([' two'], 'cut'));
    clock += 50;
    await write(...tokenEvents([' three'], 'cut'));
    clock += 80;
    await write('data: [DONE]\n\n');
    await vi.waitFor(() => expect(markOf(rows()[1]!)).toBe('Done'));

    // 3 text deltas over the 100 ms from the first to the last: 30 per second.
    expect(rows()[1]!.querySelector('.reply__metrics')?.textContent).toBe('first token 120 ms · 30.0 tokens/s · 0.3 s in all');
  });

  it('shows no finish note for a normal end', async () => {
    const { write, fetch } = renderApp();
    sendPrompt('Hi');
    await fetch.waitForRequest(0);
    await write(...tokenEvents(['Hello']));
    await vi.waitFor(() => expect(markOf(rows()[1]!)).toBe('Done'));
    expect(rows()[1]!.querySelector('.reply__finish')).toBeNull();
  });
});

describe('text is text', () => {
  it('markup in a reply is shown as characters, never parsed as HTML', async () => {
    const { write, fetch } = renderApp();
    sendPrompt('<img src=x onerror=alert(1)>');
    await fetch.waitForRequest(0);
    await write(...tokenEvents(['<b>bold</b>', '<script>alert(1)</script>']));
    await vi.waitFor(() => expect(markOf(rows()[1]!)).toBe('Done'));

    expect(rows()[1]!.querySelector('.part__text')?.textContent).toBe('<b>bold</b><script>alert(1)</script>');
    expect(document.querySelector('.messages b, .messages script, .messages img')).toBeNull();
  });
});

describe('an HTTP retry shows while it waits', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the status says "Retrying in 1 s…" during a 429\'s Retry-After wait, then "Waiting…", then the reply streams', async () => {
    const server = createControlledResponse();
    const fetch = createFakeFetch(() =>
      fetch.requests.length === 1 ? errorResponse(429, { error: 'busy' }, { headers: { 'Retry-After': '1' } }) : server.response,
    );
    render(<App chat={{ fetch, retry: { limit: 1, jitter: false } }} />);
    sendPrompt('Busy?');
    await act(() => vi.advanceTimersByTimeAsync(0));

    const status = screen.getByRole('status');
    expect(status.textContent).toBe('Retrying in 1 s…');
    expect(status.dataset['status']).toBe('retrying');
    expect(markOf(rows()[1]!)).toBe('Waiting for the reply…');

    await act(() => vi.advanceTimersByTimeAsync(1_000));
    expect(fetch.requests).toHaveLength(2);
    expect(status.textContent).toBe('Waiting…');

    await act(async () => {
      server.write(tokenEvents(['Hi']));
      await server.whenDrained();
    });
    await act(() => vi.advanceTimersByTimeAsync(16));
    expect(status.textContent).toBe('Done');
    expect(rows()[1]!.querySelector('.part__text')?.textContent).toBe('Hi');
  });
});
