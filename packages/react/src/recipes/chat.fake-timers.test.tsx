import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createFakeFetch, sseResponse, tokenEvents } from '@tokenstream/sse-client/testing';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { Chat } from './chat.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const reply = () => screen.getByTestId('reply').textContent;
const status = () => screen.getByTestId('status').textContent;

function send(prompt: string) {
  fireEvent.change(screen.getByLabelText('Message'), { target: { value: prompt } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
}

// Under fake timers, advance time inside act() and assert synchronously: RTL's findBy and
// waitFor poll with timers, which are fake here. The component shows what the client read at the
// next animation frame, and fake timers run frames every 16 ms.
it('renders a token every 100 ms', async () => {
  // Each event is one chunk, 100 ms after the previous one (the first 100 ms after the request).
  vi.stubGlobal('fetch', createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo']), { delay: 100 })));
  render(<Chat />);
  send('Hello');

  await act(() => vi.advanceTimersByTimeAsync(99));
  expect(reply()).toBe('');
  await act(() => vi.advanceTimersByTimeAsync(17)); // the chunk at 100 ms, shown by the next frame
  expect(reply()).toBe('Hel');
  await act(() => vi.advanceTimersByTimeAsync(100));
  expect(reply()).toBe('Hello');
  expect(status()).toBe('streaming');
  await act(() => vi.advanceTimersByTimeAsync(100)); // data: [DONE]
  expect(status()).toBe('done');
});

it('gives up on a server that stalls, after the idle timeout (2 minutes by default)', async () => {
  const stalls = sseResponse(tokenEvents(['Hel', 'lo']), { fault: { type: 'stall', afterEvents: 1 } });
  vi.stubGlobal('fetch', createFakeFetch(() => stalls));
  render(<Chat />);
  send('Hello');

  await act(() => vi.advanceTimersByTimeAsync(16)); // the first chunk at once, shown by the next frame
  expect(reply()).toBe('Hel');
  await act(() => vi.advanceTimersByTimeAsync(119_999 - 16));
  expect(status()).toBe('streaming');
  await act(() => vi.advanceTimersByTimeAsync(1));
  expect(status()).toBe('error');
  expect(screen.getByRole('alert').textContent).toContain('No data for 120000 ms');
  expect(reply()).toBe('Hel');
});
