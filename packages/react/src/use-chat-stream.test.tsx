import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import {
  createControlledResponse,
  createFakeFetch,
  sseResponse,
  tokenEvents,
  type ResponseController,
} from '@tokenstream/sse-client/testing';
import { StrictMode, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useChatStream, type UseChatStreamOptions } from './index.js';

afterEach(cleanup);

function scriptedServer() {
  const responses: ResponseController[] = [];
  const fetch = createFakeFetch(() => {
    const response = createControlledResponse();
    responses.push(response);
    return response.response;
  });
  return { fetch, responses };
}

function Chat(props: UseChatStreamOptions) {
  const { status, text, error, messages, send, stop, reset } = useChatStream(props);
  return (
    <div>
      <p data-testid="status">{status}</p>
      <p data-testid="reply">{text}</p>
      <p data-testid="count">{messages.length}</p>
      {error && <p role="alert">{error.message}</p>}
      <button onClick={() => void send('Hello')}>Send</button>
      <button onClick={stop}>Stop</button>
      <button onClick={reset}>Reset</button>
    </div>
  );
}

describe('useChatStream', () => {
  it('renders the reply token by token, then done', async () => {
    const { fetch, responses } = scriptedServer();
    render(<Chat url="/chat/stream" fetch={fetch} />);
    expect(screen.getByTestId('status').textContent).toBe('idle');

    fireEvent.click(screen.getByText('Send'));
    expect(screen.getByTestId('status').textContent).toBe('streaming');
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

  it('aborts the request in flight when the component unmounts', async () => {
    const { fetch, responses } = scriptedServer();
    const { unmount } = render(<Chat url="/chat/stream" fetch={fetch} />);
    fireEvent.click(screen.getByText('Send'));
    await vi.waitFor(() => expect(responses).toHaveLength(1));
    unmount();
    expect(fetch.requests[0]?.signal.aborted).toBe(true);
    await expect(responses[0]!.whenCancelled).resolves.toBeDefined();
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
            onFinish={({ text }) => seen.push(`${session}:${text}`)}
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
  });

  it('works under StrictMode (effects run twice without aborting a later send)', async () => {
    const fetch = createFakeFetch(() => sseResponse(tokenEvents(['ok'])));
    render(
      <StrictMode>
        <Chat url="/chat/stream" fetch={fetch} />
      </StrictMode>,
    );
    fireEvent.click(screen.getByText('Send'));
    await vi.waitFor(() => expect(screen.getByTestId('status').textContent).toBe('done'));
    expect(screen.getByTestId('reply').textContent).toBe('ok');
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
