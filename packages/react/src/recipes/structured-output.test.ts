import { PartialJSONError } from '@tokenstream/sse-client';
import { createFakeFetch, openAIChatEvents, sseResponse } from '@tokenstream/sse-client/testing';
import { afterEach, expect, it, vi } from 'vitest';
import { describeCity } from './structured-output.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

it('shows the object as it fills in, then returns the complete one', async () => {
  const tokens = ['{"name": "Pa', 'ris", "ta', 'gs": ["ci', 'ty"', ']}'];
  const fetch = createFakeFetch(() => sseResponse(openAIChatEvents(tokens)));
  vi.stubGlobal('fetch', fetch);
  const shown: unknown[] = [];

  const city = await describeCity('Paris', (partial) => shown.push(partial));

  expect(shown).toEqual([
    { name: 'Pa' },
    { name: 'Paris' }, // a key alone is not shown
    { name: 'Paris', tags: ['ci'] },
    { name: 'Paris', tags: ['city'] },
    { name: 'Paris', tags: ['city'] },
  ]);
  expect(city).toEqual({ name: 'Paris', tags: ['city'] });
  expect(fetch.requests[0]?.body).toMatchObject({ response_format: { type: 'json_schema' } });
});

it('rejects with a PartialJSONError when the text stops short of a whole value', async () => {
  vi.stubGlobal('fetch', createFakeFetch(() => sseResponse(openAIChatEvents(['{"name": "Par'], 'stop'))));
  const error = await describeCity('Paris', () => undefined).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(PartialJSONError);
  expect(error).toMatchObject({ reason: 'unexpected-end' });
});
