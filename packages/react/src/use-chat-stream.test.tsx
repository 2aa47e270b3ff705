import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import {
  createControlledResponse,
  createFakeFetch,
  sseResponse,
  tokenEvents,
} from '@tokenstream/sse-client/testing';
import { Profiler, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { messageText, useChatStream, type ChatStore, type UseChatStreamOptions } from './index.js';
import { scriptedServer } from './test/scripted-server.js';

afterEach(cleanup);

// The store every Chat rendered with: one per instance, never recreated.
const stores = new Set<ChatStore>();
afterEach(() => stores.clear());

function Chat(props: UseChatStreamOptions) {
  const { status, text, error, messages, send, stop, reset, regenerate, setMessages, store } = useChatStream(props);
  stores.add(store);
  return (
    <div>
      <p data-testid="status">{status}</p>
      <p data-testid="reply">{text}</p>
      <p data-testid="count">{messages.length}</p>
      {error && <p role="alert">{error.message}</p>}
      <button onClick={() => void send('Hello')}>Send</button>
      <button onClick={stop}>Stop</button>
      <button onClick={reset}>Reset</button>
      <button onClick={() => void regenerate()}>Regenerate</button>
      <button onClick={() => setMessages((messages) => messages.slice(0, -2))}>Forget last exchange</button>
    </div>
  );
}

describe('useChatStream', () => {
  it('renders the reply token by token, then done', async () => {
    const { fetch, responses } = scriptedServer();
    render(<Chat url="/chat/stream" fetch={fetch} />);
    expect(screen.getByTestId('status').textContent).toBe('idle');

    fireEvent.click(screen.getByText('Send'));
    await vi.waitFor(() => expect(screen.getByTestId('status').textContent).toBe('submitted'));
    await vi.waitFor(() => expect(responses).toHaveLength(1));
    expect(fetch.requests[0]?.body).toEqual({ prompt: 'Hello' });

    await act(async () => responses[0]!.write({ data: '{"token":"Hel"}' }));
    await vi.waitFor(() => expect(screen.getByTestId('reply').textContent).toBe('Hel'));

    await act(async () => responses[0]!.write({ data: '{"token":"lo"}' }));
    await vi.waitFor(() => expect(screen.getByTestId('reply').textContent).toBe('Hello'));
    expect(screen.getByTestId('status').textContent).toBe('streaming');

    await act(async () => responses[0]!.write({ data: '[DONE]' }));
    await vi.waitFor(() => expect(screen.getByTestId('status').textContent).toBe('done'));
    expect(screen.getByTestId('count').textContent).toBe('2');
  });

  it('Stop aborts the request and keeps the partial text', async () => {
    const { fetch, responses } = scriptedServer();
    render(<Chat url="/chat/stream" fetch={fetch} />);
    fireEvent.click(screen.getByText('Send'));
    await vi.waitFor(() => expect(responses).toHaveLength(1));
    await act(async () => responses[0]!.write({ data: '{"token":"Par"}' }));
    await vi.waitFor(() => expect(screen.getByTestId('reply').textContent).toBe('Par'));

    fireEvent.click(screen.getByText('Stop'));
    expect(screen.getByTestId('status').textContent).toBe('aborted');
    expect(screen.getByTestId('reply').textContent).toBe('Par');
    await expect(responses[0]!.whenCancelled).resolves.toBeDefined();
  });

  it('shows an error after partial output, with the partial text kept', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Par', 'tial'], { error: 'model crashed' })));
    render(<Chat url="/chat/stream" fetch={fetch} />);
    fireEvent.click(screen.getByText('Send'));
    expect((await screen.findByRole('alert')).textContent).toContain('model crashed');
    expect(screen.getByTestId('status').textContent).toBe('error');
    expect(screen.getByTestId('reply').textContent).toBe('Partial');
  });

  it('a new send aborts the one in flight', async () => {
    const { fetch, responses } = scriptedServer();
    render(<Chat url="/chat/stream" fetch={fetch} />);
    fireEvent.click(screen.getByText('Send'));
    await vi.waitFor(() => expect(responses).toHaveLength(1));
    fireEvent.click(screen.getByText('Send'));
    await vi.waitFor(() => expect(responses).toHaveLength(2));
    expect(fetch.requests[0]?.signal.aborted).toBe(true);
    expect(fetch.requests[1]?.signal.aborted).toBe(false);
  });

  it('Reset clears the conversation', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    render(<Chat url="/chat/stream" fetch={fetch} />);
    fireEvent.click(screen.getByText('Send'));
    await vi.waitFor(() => expect(screen.getByTestId('status').textContent).toBe('done'));
    fireEvent.click(screen.getByText('Reset'));
    expect(screen.getByTestId('status').textContent).toBe('idle');
    expect(screen.getByTestId('count').textContent).toBe('0');
  });

  it('uses the latest options and callbacks without recreating the store', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    const seen: string[] = [];
    function Parent() {
      const [session, setSession] = useState('a');
      return (
        <>
          <button onClick={() => setSession('b')}>Switch</button>
          <Chat
            url="/chat/stream"
            fetch={fetch}
            headers={{ 'x-session': session }}
            onFinish={(message) => seen.push(`${session}:${messageText(message)}`)}
          />
        </>
      );
    }
    render(<Parent />);
    fireEvent.click(screen.getByText('Send'));
    await vi.waitFor(() => expect(seen).toEqual(['a:ok']));
    fireEvent.click(screen.getByText('Switch'));
    fireEvent.click(screen.getByText('Send'));
    await vi.waitFor(() => expect(seen).toEqual(['a:ok', 'b:ok']));
    expect(fetch.requests.map((r) => r.headers.get('x-session'))).toEqual(['a', 'b']);
    expect(screen.getByTestId('count').textContent).toBe('4');
    expect(stores.size).toBe(1);
  });

  it('Regenerate re-sends the last prompt and its reply replaces the last one; setMessages edits the conversation', async () => {
    const fetch = createFakeFetch([sseResponse(tokenEvents(['first'])), sseResponse(tokenEvents(['second']))]);
    render(<Chat url="/chat/stream" fetch={fetch} />);
    fireEvent.click(screen.getByText('Send'));
    expect(await screen.findByText('first')).toBeTruthy();

    fireEvent.click(screen.getByText('Regenerate'));
    expect(await screen.findByText('second')).toBeTruthy();
    expect(fetch.requests.map((request) => request.body)).toEqual([{ prompt: 'Hello' }, { prompt: 'Hello' }]);
    expect(screen.getByTestId('count').textContent).toBe('2');

    fireEvent.click(screen.getByText('Forget last exchange'));
    // (at once, or at the next frame if this one already rendered)
    await vi.waitFor(() => expect(screen.getByTestId('count').textContent).toBe('0'));
    expect(screen.getByTestId('status').textContent).toBe('idle');
  });

  it('never re-sends a request because the tab became visible again', async () => {
    // @microsoft/fetch-event-source re-POSTs on visibilitychange by default, burning tokens.
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    render(<Chat url="/chat/stream" fetch={fetch} />);
    fireEvent.click(screen.getByText('Send'));
    await vi.waitFor(() => expect(screen.getByTestId('status').textContent).toBe('done'));
    for (const state of ['hidden', 'visible'] as const) {
      Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }
    await act(async () => undefined);
    expect(fetch.requests).toHaveLength(1);
  });
});

describe('rendering while a reply streams', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renders once per frame, with every chunk that arrived in it (the store batches its notifications)', async () => {
    const server = createControlledResponse();
    const fetch = createFakeFetch(() => server.response);
    let renders = 0;
    render(
      <Profiler id="chat" onRender={() => (renders += 1)}>
        <Chat url="/chat/stream" fetch={fetch} />
      </Profiler>,
    );
    fireEvent.click(screen.getByText('Send'));
    await act(() => vi.advanceTimersByTimeAsync(16));
    expect(screen.getByTestId('status').textContent).toBe('submitted');
    expect(fetch.requests).toHaveLength(1);

    const before = renders;
    await act(async () => {
      for (const token of ['Once', ' upon', ' a', ' time']) {
        server.write({ data: JSON.stringify({ token }) });
        await server.whenDrained();
      }
    });
    expect(renders).toBe(before); // four chunks read, no frame yet
    expect(screen.getByTestId('reply').textContent).toBe('');

    await act(() => vi.advanceTimersByTimeAsync(16));
    expect(renders).toBe(before + 1);
    expect(screen.getByTestId('reply').textContent).toBe('Once upon a time');
    expect(screen.getByTestId('status').textContent).toBe('streaming');

    // The end of a reply in a frame that already rendered is rendered at the next frame, with the
    // text that came with it: never two renders in one frame.
    await act(async () => {
      server.write(tokenEvents(['.'])); // one chunk: the last token and the end
      await server.whenDrained();
    });
    expect(renders).toBe(before + 1);
    expect(screen.getByTestId('status').textContent).toBe('streaming');
    await act(() => vi.advanceTimersByTimeAsync(16));
    expect(renders).toBe(before + 2);
    expect(screen.getByTestId('status').textContent).toBe('done');
    expect(screen.getByTestId('reply').textContent).toBe('Once upon a time.');
  });

  it('renders the end of a reply at once when nothing rendered in this frame', async () => {
    const server = createControlledResponse();
    render(<Chat url="/chat/stream" fetch={createFakeFetch(() => server.response)} />);
    fireEvent.click(screen.getByText('Send'));
    await act(() => vi.advanceTimersByTimeAsync(16)); // submitted
    await act(() => vi.advanceTimersByTimeAsync(16)); // a quiet frame
    await act(async () => {
      server.write(tokenEvents(['Hi']));
      await server.whenDrained();
    });
    expect(screen.getByTestId('status').textContent).toBe('done');
    expect(screen.getByTestId('reply').textContent).toBe('Hi');
  });
});

describe('an HTTP retry in progress', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function RetryingChat(props: UseChatStreamOptions) {
    const { status, text, retry, send } = useChatStream(props);
    return (
      <div>
        <p data-testid="status">{status}</p>
        <p data-testid="reply">{text}</p>
        {retry && <p role="status">{`Retrying (attempt ${retry.attempt}) in ${retry.delay} ms…`}</p>}
        <button onClick={() => void send('Hello')}>Send</button>
      </div>
    );
  }

  it('renders the snapshot’s retry during the wait, and no longer once the retried request streams', async () => {
    const server = createControlledResponse();
    const fetch = createFakeFetch(() => (fetch.requests.length === 1 ? new Response('busy', { status: 503 }) : server.response));
    render(<RetryingChat url="/chat/stream" fetch={fetch} retry={{ delay: 500, jitter: false }} />);
    fireEvent.click(screen.getByText('Send'));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByRole('status').textContent).toBe('Retrying (attempt 1) in 500 ms…');
    expect(screen.getByTestId('status').textContent).toBe('submitted');
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(fetch.requests).toHaveLength(2);
    expect(screen.queryByRole('status')).toBeNull();
    await act(async () => {
      server.write(tokenEvents(['Hi']));
      await server.whenDrained();
    });
    await act(() => vi.advanceTimersByTimeAsync(16));
    expect(screen.getByTestId('status').textContent).toBe('done');
    expect(screen.getByTestId('reply').textContent).toBe('Hi');
  });
});
