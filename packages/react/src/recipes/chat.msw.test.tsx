import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createControlledResponse, sseBody, tokenEvents } from '@tokenstream/sse-client/testing';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { Chat } from './chat.js';

// msw replaces the global fetch; the library looks fetch up when each request starts, so the
// component needs nothing. In jsdom, msw resolves the relative URL '/chat/stream' against
// `location` (http://localhost:3000/ in vitest's jsdom), and so does the handler's path.
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
});
afterAll(() => server.close());

const eventStream = { 'content-type': 'text/event-stream' };
const reply = () => screen.getByTestId('reply').textContent;
const status = () => screen.getByTestId('status').textContent;

function send(prompt: string) {
  fireEvent.change(screen.getByLabelText('Message'), { target: { value: prompt } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
}

it('renders the reply token by token', async () => {
  const answer = createControlledResponse();
  let body: unknown;
  server.use(
    http.post('/chat/stream', async ({ request }) => {
      body = await request.json();
      return new HttpResponse(answer.response.body, { headers: eventStream });
    }),
  );
  render(<Chat />);
  send('Hello');

  answer.write({ data: '{"token":"Hel"}' });
  expect(await screen.findByText('Hel')).toBeTruthy();
  expect(status()).toBe('streaming');

  answer.write({ data: '{"token":"lo"}' });
  expect(await screen.findByText('Hello')).toBeTruthy();

  answer.write('data: [DONE]\n\n');
  expect(await screen.findByText('done')).toBeTruthy();
  expect(body).toEqual({ prompt: 'Hello' });
});

it('Stop aborts the request and keeps the partial text', async () => {
  const answer = createControlledResponse();
  let request: Request | undefined;
  server.use(
    http.post('/chat/stream', (info) => {
      request = info.request;
      return new HttpResponse(answer.response.body, { headers: eventStream });
    }),
  );
  render(<Chat />);
  send('Tell me a story');

  answer.write(tokenEvents(['Once upon'], 'cut'));
  expect(await screen.findByText('Once upon')).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Stop' }));

  // Shown at the next frame: this one already rendered 'Once upon'.
  await waitFor(() => expect(status()).toBe('aborted'));
  expect(reply()).toBe('Once upon');
  expect(request?.signal.aborted).toBe(true);
  // msw reads mocked bodies through a clone (for its lifecycle events), so the cancel never
  // reaches `answer`: to assert that the server saw the connection close, use createFakeFetch.
});

it('shows an error after partial output, and keeps the text', async () => {
  const events = tokenEvents(['Par', 'tial'], { type: 'error', message: 'model crashed' });
  server.use(http.post('/chat/stream', () => new HttpResponse(sseBody(events), { headers: eventStream })));
  render(<Chat />);
  send('Hello');

  expect((await screen.findByRole('alert')).textContent).toContain('model crashed');
  expect(status()).toBe('error');
  expect(reply()).toBe('Partial');
});

it('shows the status of a failed request', async () => {
  server.use(http.post('/chat/stream', () => HttpResponse.json({ error: 'boom' }, { status: 500 })));
  render(<Chat />);
  send('Hello');

  expect((await screen.findByRole('alert')).textContent).toContain('Request failed with status 500');
  expect(reply()).toBe('');
});
