import { act, cleanup, render, screen } from '@testing-library/react';
import { createChatStore, type ChatSnapshot } from '@tokenstream/sse-client';
import { createControlledResponse, createFakeFetch } from '@tokenstream/sse-client/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { useChatStore } from './index.js';

afterEach(cleanup);

/** A store with every change notified at once (`batch: false`), and the response it streams. */
function chatWithServer() {
  const server = createControlledResponse();
  const store = createChatStore({ url: '/chat/stream', fetch: createFakeFetch(() => server.response), batch: false });
  return { store, server };
}

async function write(server: ReturnType<typeof createControlledResponse>, chunk: string) {
  await act(async () => {
    server.write(chunk);
    await server.whenDrained();
  });
}
const token = (text: string) => `data: ${JSON.stringify({ token: text })}\n\n`;

const shallowEqual = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((value, index) => Object.is(value, b[index]));

describe('useChatStore', () => {
  it('without a selector, returns the store snapshot and follows it', async () => {
    const { store, server } = chatWithServer();
    let seen: ChatSnapshot | undefined;
    function View() {
      seen = useChatStore(store);
      return <p data-testid="text">{seen.text}</p>;
    }
    render(<View />);
    expect(seen).toBe(store.getSnapshot());
    await act(async () => {
      void store.send('Hi');
      await Promise.resolve();
    });
    await write(server, token('Hel'));
    expect(screen.getByTestId('text').textContent).toBe('Hel');
    expect(seen).toBe(store.getSnapshot());
  });

  it('with a selector, re-renders a component only when its field changes', async () => {
    const { store, server } = chatWithServer();
    const renders = { status: 0, text: 0 };
    function Status() {
      renders.status += 1;
      return <p data-testid="status">{useChatStore(store, (snapshot) => snapshot.status)}</p>;
    }
    function Text() {
      renders.text += 1;
      return <p data-testid="text">{useChatStore(store, (snapshot) => snapshot.text)}</p>;
    }
    render(
      <>
        <Status />
        <Text />
      </>,
    );
    await act(async () => {
      void store.send('Hi');
      await Promise.resolve();
    });
    expect(renders).toEqual({ status: 2, text: 1 }); // idle → submitted; the text is still ''
    for (const piece of ['Once', ' upon', ' a', ' time']) await write(server, token(piece));
    await write(server, 'data: [DONE]\n\n');

    expect(screen.getByTestId('text').textContent).toBe('Once upon a time');
    expect(screen.getByTestId('status').textContent).toBe('done');
    expect(renders).toEqual({ status: 4, text: 5 }); // status: + streaming, done; text: + one per token
  });

  it('with isEqual, keeps the previous selection while it is equal: no re-render for an equal derived value', async () => {
    const { store, server } = chatWithServer();
    let renders = 0;
    const selections: (readonly string[])[] = [];
    function Ids() {
      renders += 1;
      const ids = useChatStore(store, (snapshot) => snapshot.messages.map((message) => message.id), shallowEqual);
      selections.push(ids);
      return <p data-testid="ids">{ids.join(',')}</p>;
    }
    render(<Ids />);
    await act(async () => {
      void store.send('Hi');
      await Promise.resolve();
    });
    for (const piece of ['a', 'b', 'c']) await write(server, token(piece));

    expect(screen.getByTestId('ids').textContent).toBe('m1,m2');
    expect(renders).toBe(2); // [] then ['m1', 'm2']: the tokens change the reply, not the ids
    expect(selections[1]).toEqual(['m1', 'm2']);
  });

  it('takes an inline selector (a new function every render): one render per change of its value', async () => {
    const { store } = chatWithServer();
    let renders = 0;
    function Count({ label }: { label: string }) {
      renders += 1;
      const count = useChatStore(store, (snapshot) => snapshot.messages.length);
      return <p data-testid="count">{`${label}${count}`}</p>;
    }
    const { rerender } = render(<Count label="Messages: " />);
    rerender(<Count label="Total: " />);
    expect(screen.getByTestId('count').textContent).toBe('Total: 0');
    expect(renders).toBe(2);
    act(() => store.setMessages([{ id: 'a', role: 'user', parts: [{ type: 'text', text: 'Hi' }] }]));
    expect(screen.getByTestId('count').textContent).toBe('Total: 1');
    expect(renders).toBe(3);
  });

  it('subscribes while mounted only, and never stops the store', async () => {
    const { store } = chatWithServer();
    function Status() {
      return <p>{useChatStore(store, (snapshot) => snapshot.status)}</p>;
    }
    const { unmount } = render(<Status />);
    expect(store.hasListeners()).toBe(true);
    await act(async () => {
      void store.send('Hi');
      await Promise.resolve();
    });
    unmount();
    expect(store.hasListeners()).toBe(false);
    expect(store.getSnapshot().status).toBe('submitted');
  });
});
