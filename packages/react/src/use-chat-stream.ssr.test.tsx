import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { messageText, type ChatMessage } from '@tokenstream/sse-client';
import { createFakeFetch, sseResponse, tokenEvents } from '@tokenstream/sse-client/testing';
import { useEffect } from 'react';
import { hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, expect, it, vi } from 'vitest';
import { useChatStream, type UseChatStreamOwnStoreOptions } from './index.js';

// Server rendering: the server shows the conversation it was given and never fetches; the client
// hydrates the same markup without a mismatch, then streams as usual.

let root: Root | undefined;
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  document.body.innerHTML = '';
  cleanup();
  vi.restoreAllMocks();
});

const initialMessages: ChatMessage[] = [
  { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'What is SSE?' }] },
  { id: 'a1', role: 'assistant', parts: [{ type: 'text', text: 'Server-Sent Events.' }], status: 'done' },
];

function Chat(props: UseChatStreamOwnStoreOptions & { sendOnMount?: string }) {
  const { sendOnMount, ...options } = props;
  const { messages, status, send } = useChatStream(options);
  useEffect(() => {
    if (sendOnMount !== undefined) void send(sendOnMount);
  }, [send, sendOnMount]);
  return (
    <main>
      <p data-testid="status">{status}</p>
      <ul>
        {messages.map((message) => (
          <li key={message.id}>{`${message.role}: ${messageText(message)}`}</li>
        ))}
      </ul>
      <button onClick={() => void send('And WebSockets?')}>Send</button>
    </main>
  );
}

it('renders initialMessages on the server without fetching, and hydrates them without a mismatch', async () => {
  const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Both stream.'])));
  const html = renderToString(<Chat url="/chat/stream" fetch={fetch} initialMessages={initialMessages} />);
  expect(html).toContain('user: What is SSE?');
  expect(html).toContain('assistant: Server-Sent Events.');
  expect(html).toContain('>done<');
  expect(fetch.requests).toHaveLength(0);

  const errors = vi.spyOn(console, 'error');
  const recoverable = vi.fn();
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  const serverList = container.querySelector('ul');
  await act(async () => {
    root = hydrateRoot(container, <Chat url="/chat/stream" fetch={fetch} initialMessages={initialMessages} />, {
      onRecoverableError: recoverable,
    });
  });
  expect(errors).not.toHaveBeenCalled();
  expect(recoverable).not.toHaveBeenCalled();
  expect(container.querySelector('ul')).toBe(serverList); // hydrated: the server's DOM was kept
  expect(fetch.requests).toHaveLength(0);

  // Hydrated and live: a send streams as usual, after the conversation it was given.
  fireEvent.click(screen.getByText('Send'));
  expect(await screen.findByText('assistant: Both stream.')).toBeTruthy();
  expect(screen.getByTestId('status').textContent).toBe('done');
  expect(fetch.requests).toHaveLength(1);
  expect(screen.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
    'user: What is SSE?',
    'assistant: Server-Sent Events.',
    'user: And WebSockets?',
    'assistant: Both stream.',
  ]);
});

it('never fetches on the server, even for a component that sends on mount: the client sends once hydrated', async () => {
  const fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hi!'])));
  const element = <Chat url="/chat/stream" fetch={fetch} sendOnMount="Hello" />;
  const html = renderToString(element);
  expect(html).toContain('>idle<');
  expect(fetch.requests).toHaveLength(0);

  const errors = vi.spyOn(console, 'error');
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  await act(async () => {
    root = hydrateRoot(container, element);
  });
  await vi.waitFor(() => expect(screen.getByTestId('status').textContent).toBe('done'));
  expect(errors).not.toHaveBeenCalled();
  expect(fetch.requests).toHaveLength(1);
  expect(fetch.requests[0]?.body).toEqual({ prompt: 'Hello' });
});
