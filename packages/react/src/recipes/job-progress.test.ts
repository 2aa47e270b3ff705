import { createFakeFetch, sseResponse } from '@tokenstream/sse-client/testing';
import { afterEach, expect, it, vi } from 'vitest';
import { watchJob } from './job-progress.js';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const progress = (id: string, percent: number) => ({ id, event: 'progress', data: JSON.stringify({ percent }) });

it('reports progress until the job is done, resuming after a dropped connection', async () => {
  vi.useFakeTimers();
  const fetch = createFakeFetch([
    sseResponse([progress('1', 10), progress('2', 40)], { fault: { type: 'drop' } }),
    sseResponse([progress('3', 80), { id: '4', event: 'done', data: '' }]),
  ]);
  vi.stubGlobal('fetch', fetch);
  const seen: number[] = [];

  const watching = watchJob('42', (percent) => seen.push(percent));
  await vi.advanceTimersByTimeAsync(1000); // reconnect's default wait before resuming
  await watching;

  expect(seen).toEqual([10, 40, 80]);
  expect(fetch.requests.map((request) => request.method)).toEqual(['GET', 'GET']);
  expect(fetch.requests[0]?.url).toBe('/jobs/42/progress');
  expect(fetch.requests[1]?.headers.get('last-event-id')).toBe('2');
});

it('fails when the stream ends before the job is done', async () => {
  vi.stubGlobal('fetch', createFakeFetch(() => sseResponse([{ event: 'progress', data: '{"percent": 10}' }])));
  await expect(watchJob('42', () => undefined)).rejects.toThrow('ended before the job did');
});
