import { messageText } from '@tokenstream/sse-client';
import { createFakeFetch, openAIChatEvents, sseResponse } from '@tokenstream/sse-client/testing';
import { afterEach, expect, it, vi } from 'vitest';
import { createWeatherChat } from './weather-chat.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

const toolCall = { type: 'tool-call', toolName: 'get_weather', input: { city: 'Paris' } } as const;

it('runs the tool in the client and sends its result back to the model', async () => {
  const fetch = createFakeFetch([
    sseResponse(openAIChatEvents(['Let me check. ', toolCall])),
    sseResponse(openAIChatEvents(['Sunny in Paris.'])),
  ]);
  vi.stubGlobal('fetch', fetch);
  const chat = createWeatherChat(async (city) => `sunny, 24 °C in ${city}`);

  await chat.send('Weather in Paris?');
  await vi.waitFor(() => expect(fetch.requests).toHaveLength(2));
  await vi.waitFor(() => expect(chat.getSnapshot().status).toBe('done'));

  expect(fetch.requests[1]?.body).toMatchObject({
    model: 'gpt-4.1-mini',
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: 'Let me check. ', tool_calls: [{ id: 'call_1', function: { name: 'get_weather' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: expect.stringContaining('sunny, 24 °C in Paris') },
    ],
  });
  const [, first, second] = chat.getSnapshot().messages;
  expect(first?.parts).toContainEqual(expect.objectContaining({ type: 'tool', state: 'output-available' }));
  expect(second && messageText(second)).toBe('Sunny in Paris.');
});

it('reports a failing tool to the model as an error', async () => {
  const fetch = createFakeFetch([
    sseResponse(openAIChatEvents([toolCall])),
    sseResponse(openAIChatEvents(['Sorry, I could not get the weather.'])),
  ]);
  vi.stubGlobal('fetch', fetch);
  const chat = createWeatherChat(() => Promise.reject(new Error('weather service down')));

  await chat.send('Weather in Paris?');
  await vi.waitFor(() => expect(fetch.requests).toHaveLength(2));

  const messages = (fetch.requests[1]?.body as { messages: { role: string; content: string }[] }).messages;
  expect(messages.at(-1)).toMatchObject({ role: 'tool', content: expect.stringContaining('weather service down') });
});
