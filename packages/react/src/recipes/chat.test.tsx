import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createControlledResponse, createFakeFetch, sseResponse, tokenEvents } from '@tokenstream/sse-client/testing';
import { afterEach, expect, it, vi } from 'vitest';
import { Chat } from './chat.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const reply = () => screen.getByTestId('reply').textContent;
const status = () => screen.getByTestId('status').textContent;

function send(prompt: string) {
  fireEvent.change(screen.getByLabelText('Message'), { target: { value: prompt } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
}

it('renders the reply token by token', async () => {
  // A response the test writes step by step, served by a fake fetch that records each request.
  const server = createControlledResponse();
  const fetch = createFakeFetch(() => server.response);
  vi.stubGlobal('fetch', fetch);
  render(<Chat />);

  send('Hello');
  expect(await screen.findByText('submitted')).toBeTruthy(); // sent, nothing received yet

  // The component shows what the client read at the next animation frame: findBy waits for it.
  server.write({ data: '{"token":"Hel"}' });
  expect(await screen.findByText('Hel')).toBeTruthy();
  expect(status()).toBe('streaming');

  server.write({ data: '{"token":"lo"}' });
  expect(await screen.findByText('Hello')).toBeTruthy();
  expect(status()).toBe('streaming');

  server.write('data: [DONE]\n\n');
  expect(await screen.findByText('done')).toBeTruthy();
  expect(fetch.requests[0]?.body).toEqual({ prompt: 'Hello' });
});

it('Stop aborts the request and keeps the partial text', async () => {
  const server = createControlledResponse();
  const fetch = createFakeFetch(() => server.response);
  vi.stubGlobal('fetch', fetch);
  render(<Chat />);
  send('Tell me a story');

  server.write(tokenEvents(['Once upon'], 'cut'));
  expect(await screen.findByText('Once upon')).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Stop' }));

  // Shown at the next frame: this one already rendered 'Once upon'.
  await waitFor(() => expect(status()).toBe('aborted'));
  expect(reply()).toBe('Once upon');
  expect(fetch.requests[0]?.signal.aborted).toBe(true);
  // The body was cancelled: a real server would see the connection close.
  await server.whenCancelled;
  expect(server.cancelled).toBe(true);
});

it('shows an error after partial output, and keeps the text', async () => {
  const events = tokenEvents(['Par', 'tial'], { type: 'error', message: 'model crashed' });
  vi.stubGlobal('fetch', createFakeFetch(() => sseResponse(events)));
  render(<Chat />);
  send('Hello');

  expect((await screen.findByRole('alert')).textContent).toContain('model crashed');
  expect(status()).toBe('error');
  expect(reply()).toBe('Partial');
});

it('shows a network error when the connection drops mid-answer', async () => {
  const events = tokenEvents(['Par', 'tial', ' answer']);
  vi.stubGlobal('fetch', createFakeFetch(() => sseResponse(events, { fault: { type: 'drop', afterEvents: 2 } })));
  render(<Chat />);
  send('Hello');

  expect((await screen.findByRole('alert')).textContent).toContain('Network error (terminated)');
  expect(reply()).toBe('Partial');
});
