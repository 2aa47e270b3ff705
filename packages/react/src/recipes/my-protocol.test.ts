import { IncompleteStreamError, ProtocolError, ServerStreamError } from '@tokenstream/sse-client';
import { createFakeFetch, sseResponse, type EventItem } from '@tokenstream/sse-client/testing';
import { afterEach, expect, it, vi } from 'vitest';
import { askMyServer } from './my-protocol.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

const text = (value: string) => ({ data: JSON.stringify({ text: value }) });
const answer = (...events: EventItem[]) =>
  vi.stubGlobal('fetch', createFakeFetch(() => sseResponse(events, { chunking: 'byte' })));

it('reads the text until the end event, ignoring other events', async () => {
  answer(text('Hel'), { event: 'progress', data: '50' }, text('lo'), { event: 'end', data: '' });
  await expect(askMyServer('Hi')).resolves.toBe('Hello');
});

it('turns a failure event into a ServerStreamError that keeps the text', async () => {
  answer(text('Par'), { event: 'failure', data: 'model crashed' });
  const error = await askMyServer('Hi').catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ServerStreamError);
  expect(error).toMatchObject({ text: 'Par', payload: 'model crashed' });
});

it('reports an event it cannot read as a ProtocolError, and a cut stream as incomplete', async () => {
  answer(text('Par'), { data: 'not json' });
  const malformed = await askMyServer('Hi').catch((caught: unknown) => caught);
  expect(malformed).toBeInstanceOf(ProtocolError);
  expect(malformed).toMatchObject({ data: 'not json', text: 'Par' });

  answer(text('Par'));
  await expect(askMyServer('Hi')).rejects.toBeInstanceOf(IncompleteStreamError);
});
