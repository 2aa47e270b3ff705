import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createChatStore, messageText, type ChatStore } from '@tokenstream/sse-client';
import type { ResponseController } from '@tokenstream/sse-client/testing';
import * as React from 'react';
import { StrictMode, useEffect, type ComponentType, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useChatStore, useChatStream, type UseChatStreamOptions } from './index.js';
import { scriptedServer } from './test/scripted-server.js';

// Lifecycle rules of useChatStream: when a reply survives its component's effects being cleaned
// up (Strict Mode, <Activity>) and when it is stopped (a real unmount, after the grace period).
// Fake timers: the grace period and the store's frame batching (requestAnimationFrame) are timers.

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const GRACE = 5000;
const FRAME = 16;

/** Lets the request go out (the store starts it in a microtask) and renders what is pending. */
const settle = () => act(() => vi.advanceTimersByTimeAsync(FRAME));

/** Writes one token and waits until the store read it, then until the next frame rendered it. */
async function writeToken(response: ResponseController, token: string) {
  await act(async () => {
    response.write({ data: JSON.stringify({ token }) });
    await response.whenDrained();
    await vi.advanceTimersByTimeAsync(FRAME);
  });
}

const status = () => screen.getByTestId('status').textContent;
const transcript = () => screen.getAllByRole('listitem').map((item) => item.textContent);

/** The conversation and a Send button. */
function Chat(props: UseChatStreamOptions & { onStore?: (store: ChatStore) => void; sendOnMount?: boolean }) {
  const { onStore, sendOnMount = false, ...options } = props;
  const { messages, status, send, store } = useChatStream(options);
  useEffect(() => {
    if (sendOnMount) void send('Hello');
  }, [send, sendOnMount]);
  useEffect(() => {
    onStore?.(store);
  }, [onStore, store]);
  return (
    <>
      <p data-testid="status">{status}</p>
      <ul>
        {messages.map((message) => (
          <li key={message.id}>{`${message.role}: ${messageText(message)}`}</li>
        ))}
      </ul>
      <button onClick={() => void send('Hello')}>Send</button>
    </>
  );
}

/** A chat opened with a question: it sends its first prompt on mount. */
const SendOnMount = (props: Parameters<typeof Chat>[0]) => <Chat {...props} sendOnMount />;

describe('Strict Mode', () => {
  it('a component that sends on mount sends one request, shows one user message and streams the reply', async () => {
    const { fetch, responses } = scriptedServer();
    render(
      <StrictMode>
        <SendOnMount url="/chat/stream" fetch={fetch} />
      </StrictMode>,
    );
    await settle();
    expect(fetch.requests).toHaveLength(1);
    expect(fetch.requests[0]?.body).toEqual({ prompt: 'Hello' });
    expect(transcript()).toEqual(['user: Hello', 'assistant: ']);

    await writeToken(responses[0]!, 'Hel');
    await writeToken(responses[0]!, 'lo');
    expect(transcript()).toEqual(['user: Hello', 'assistant: Hello']);
    expect(status()).toBe('streaming');

    // The simulated unmount scheduled a stop; the remount cancelled it.
    await act(() => vi.advanceTimersByTimeAsync(GRACE * 2));
    expect(fetch.requests[0]?.signal.aborted).toBe(false);
    await act(async () => {
      responses[0]!.write('data: [DONE]\n\n');
      await responses[0]!.whenDrained();
    });
    expect(status()).toBe('done');
    expect(transcript()).toEqual(['user: Hello', 'assistant: Hello']);
  });
});

describe('unmount', () => {
  it('stops the reply of a store it created once the grace period (5 s) has passed: the request is aborted', async () => {
    const { fetch, responses } = scriptedServer();
    let store: ChatStore | undefined;
    const { unmount } = render(<SendOnMount url="/chat/stream" fetch={fetch} onStore={(created) => (store = created)} />);
    await settle();
    await writeToken(responses[0]!, 'Par');

    unmount();
    await act(() => vi.advanceTimersByTimeAsync(GRACE - 1));
    expect(fetch.requests[0]?.signal.aborted).toBe(false);
    expect(store?.getSnapshot().status).toBe('streaming');

    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(fetch.requests[0]?.signal.aborted).toBe(true);
    expect(responses[0]!.cancelled).toBe(true);
    expect(store?.getSnapshot()).toMatchObject({ status: 'aborted', text: 'Par' });
  });

  it('waits unmountGracePeriod milliseconds instead when given', async () => {
    const { fetch } = scriptedServer();
    const { unmount } = render(<SendOnMount url="/chat/stream" fetch={fetch} unmountGracePeriod={100} />);
    await settle();
    unmount();
    await act(() => vi.advanceTimersByTimeAsync(99));
    expect(fetch.requests[0]?.signal.aborted).toBe(false);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(fetch.requests[0]?.signal.aborted).toBe(true);
  });

  it('never stops the reply with unmountGracePeriod: Infinity', async () => {
    const { fetch } = scriptedServer();
    const { unmount } = render(<SendOnMount url="/chat/stream" fetch={fetch} unmountGracePeriod={Infinity} />);
    await settle();
    unmount();
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(fetch.requests[0]?.signal.aborted).toBe(false);
  });

  it('waits at most 2^31 − 1 ms (the longest delay setTimeout honours) for a longer unmountGracePeriod', async () => {
    const { fetch } = scriptedServer();
    const { unmount } = render(<SendOnMount url="/chat/stream" fetch={fetch} unmountGracePeriod={3e9} />);
    await settle();
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    unmount();
    expect(setTimeoutSpy).toHaveBeenCalledWith(expect.any(Function), 2_147_483_647);
    expect(setTimeoutSpy).not.toHaveBeenCalledWith(expect.any(Function), 3e9);
  });

  it('says what is wrong with an unmountGracePeriod it rejects', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const quiet = (event: ErrorEvent) => event.preventDefault();
    window.addEventListener('error', quiet);
    try {
      expect(() => render(<SendOnMount url="/chat/stream" unmountGracePeriod={-1} />)).toThrow('unmountGracePeriod must be >= 0 ms, got -1');
    } finally {
      window.removeEventListener('error', quiet);
    }
  });

  it.each([-1, Number.NaN])('throws a RangeError for unmountGracePeriod %s', (unmountGracePeriod) => {
    // React reports the render error before rethrowing it (React 18 also as a window error event,
    // which jsdom prints unless it is cancelled): keep the test output clean.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const quiet = (event: ErrorEvent) => event.preventDefault();
    window.addEventListener('error', quiet);
    try {
      expect(() => render(<SendOnMount url="/chat/stream" unmountGracePeriod={unmountGracePeriod} />)).toThrow(RangeError);
    } finally {
      window.removeEventListener('error', quiet);
    }
  });

  it('keeps a store it created streaming while another component still shows it (useChatStore)', async () => {
    const { fetch, responses } = scriptedServer();
    let store: ChatStore | undefined;
    function Viewer() {
      const text = useChatStore(store!, (snapshot) => snapshot.text);
      return <p data-testid="viewer">{text}</p>;
    }
    const owner = render(<SendOnMount url="/chat/stream" fetch={fetch} onStore={(created) => (store = created)} />);
    await settle();
    const viewer = render(<Viewer />);

    owner.unmount();
    await act(() => vi.advanceTimersByTimeAsync(GRACE * 2));
    expect(fetch.requests[0]?.signal.aborted).toBe(false);
    await writeToken(responses[0]!, 'Still here');
    expect(viewer.getByTestId('viewer').textContent).toBe('Still here');
  });
});

describe('a store passed in', () => {
  it('is shared by two components and never stopped by their unmount', async () => {
    const { fetch, responses } = scriptedServer();
    const store = createChatStore({ url: '/chat/stream', fetch });
    function Transcript({ name }: { name: string }) {
      const { text, status } = useChatStream({ store });
      return <p data-testid={name}>{`${status}: ${text}`}</p>;
    }
    function Composer() {
      const { send } = useChatStream({ store });
      return <button onClick={() => void send('Hello')}>Send</button>;
    }
    const first = render(<Transcript name="first" />);
    const second = render(
      <>
        <Transcript name="second" />
        <Composer />
      </>,
    );
    fireEvent.click(screen.getByText('Send'));
    await settle();
    await writeToken(responses[0]!, 'Hi');
    expect(screen.getByTestId('first').textContent).toBe('streaming: Hi');
    expect(screen.getByTestId('second').textContent).toBe('streaming: Hi');

    first.unmount();
    second.unmount();
    await act(() => vi.advanceTimersByTimeAsync(GRACE * 12));
    expect(fetch.requests).toHaveLength(1);
    expect(fetch.requests[0]?.signal.aborted).toBe(false);
    expect(store.getSnapshot().status).toBe('streaming');
    expect(store.hasListeners()).toBe(false);
  });
});

describe('switching between a store passed in and its own', () => {
  it('creates its own store when the store is no longer passed, and stops it after the grace period once a store is passed again', async () => {
    const { fetch } = scriptedServer();
    const shared = createChatStore({ url: '/shared', fetch });
    const seen: ChatStore[] = [];
    const view = (store: ChatStore | undefined) =>
      store ? (
        <Chat store={store} onStore={(used) => seen.push(used)} />
      ) : (
        <Chat url="/own" fetch={fetch} onStore={(used) => seen.push(used)} />
      );
    const { rerender } = render(view(shared));
    rerender(view(undefined));
    fireEvent.click(screen.getByText('Send'));
    await settle();
    expect(fetch.requests.map((request) => request.url)).toEqual(['/own']);
    const own = seen.at(-1)!;
    expect(own).not.toBe(shared);

    rerender(view(shared));
    expect(seen.at(-1)).toBe(shared);
    await act(() => vi.advanceTimersByTimeAsync(GRACE));
    expect(fetch.requests[0]?.signal.aborted).toBe(true);
    expect(own.getSnapshot().status).toBe('aborted');
    expect(shared.getSnapshot().status).toBe('idle');
  });
});

// React 19.2+ has <Activity>; React 18 has not (the react-18 project runs these tests too).
const Activity = (React as { Activity?: ComponentType<{ mode: 'visible' | 'hidden'; children: ReactNode }> }).Activity;

describe('<Activity>', () => {
  if (Activity === undefined) {
    it('React 18 has no <Activity>: a chat hidden with the hidden attribute stays mounted and keeps its reply', async () => {
      expect(React.version).toMatch(/^18\./);
      const { fetch, responses } = scriptedServer();
      const view = (hidden: boolean) => (
        <div hidden={hidden}>
          <Chat url="/chat/stream" fetch={fetch} />
        </div>
      );
      const { rerender } = render(view(false));
      fireEvent.click(screen.getByText('Send'));
      await settle();
      rerender(view(true));
      await act(() => vi.advanceTimersByTimeAsync(GRACE * 2));
      await writeToken(responses[0]!, 'Hel');
      rerender(view(false));
      expect(fetch.requests[0]?.signal.aborted).toBe(false);
      expect(transcript()).toEqual(['user: Hello', 'assistant: Hel']);
    });
    return;
  }
  const Hideable = ({ mode, children }: { mode: 'visible' | 'hidden'; children: ReactNode }) => (
    <Activity mode={mode}>{children}</Activity>
  );
  /** The chat inside an `<Activity>`, rendered in the given mode. */
  const hiddenChat = (fetch: typeof globalThis.fetch) => (mode: 'visible' | 'hidden') => (
    <Hideable mode={mode}>
      <Chat url="/chat/stream" fetch={fetch} />
    </Hideable>
  );

  it('hidden then visible again within the grace period keeps the reply streaming, with what arrived meanwhile', async () => {
    const { fetch, responses } = scriptedServer();
    const view = hiddenChat(fetch);
    const { rerender } = render(view('visible'));
    fireEvent.click(screen.getByText('Send'));
    await settle();
    await writeToken(responses[0]!, 'Hel');

    rerender(view('hidden'));
    await writeToken(responses[0]!, 'lo');
    await act(() => vi.advanceTimersByTimeAsync(GRACE - FRAME - 1));
    expect(fetch.requests[0]?.signal.aborted).toBe(false);
    rerender(view('visible'));
    await act(() => vi.advanceTimersByTimeAsync(GRACE * 2));

    expect(fetch.requests).toHaveLength(1);
    expect(fetch.requests[0]?.signal.aborted).toBe(false);
    expect(status()).toBe('streaming');
    expect(transcript()).toEqual(['user: Hello', 'assistant: Hello']);
  });

  it('hidden past the grace period stops the reply: shown again, it is aborted with its partial text', async () => {
    const { fetch, responses } = scriptedServer();
    const view = hiddenChat(fetch);
    const { rerender } = render(view('visible'));
    fireEvent.click(screen.getByText('Send'));
    await settle();
    await writeToken(responses[0]!, 'Par');

    rerender(view('hidden'));
    await act(() => vi.advanceTimersByTimeAsync(GRACE));
    expect(fetch.requests[0]?.signal.aborted).toBe(true);

    rerender(view('visible'));
    expect(status()).toBe('aborted');
    expect(transcript()).toEqual(['user: Hello', 'assistant: Par']);
    expect(fetch.requests).toHaveLength(1);
  });

  it('runs an effect that sends on mount again when shown: sending only into an empty conversation sends once', async () => {
    const { fetch, responses } = scriptedServer();
    function OpenedWithAQuestion() {
      const { messages, status, send, store } = useChatStream({ url: '/chat/stream', fetch });
      useEffect(() => {
        if (store.getSnapshot().messages.length === 0) void send('Hello');
      }, [send, store]);
      return <p data-testid="status">{`${status} ${messages.length}`}</p>;
    }
    const view = (mode: 'visible' | 'hidden') => (
      <StrictMode>
        <Hideable mode={mode}>
          <OpenedWithAQuestion />
        </Hideable>
      </StrictMode>
    );
    const { rerender } = render(view('visible'));
    await settle();
    rerender(view('hidden'));
    rerender(view('visible'));
    await writeToken(responses[0]!, 'Hi');

    expect(fetch.requests).toHaveLength(1);
    expect(status()).toBe('streaming 2');
  });
});
