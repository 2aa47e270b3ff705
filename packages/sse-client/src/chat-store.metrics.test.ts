// Client-side metrics per reply, in milliseconds, on a clock the test moves (performance.now mocked).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChatStore, type StreamPart } from './index.js';
import { lastMessage, scriptedServer } from './test/chat-harness.js';
import { jsonPartsProtocol, partEvents } from './test/json-parts-protocol.js';
import { createFakeFetch, tokenEvents } from './testing/index.js';

let clock = 0;
const setClock = (ms: number) => {
  clock = ms;
};

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function timedStore() {
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  const server = scriptedServer();
  const store = createChatStore({ url: '/c', fetch: server.fetch, protocol: jsonPartsProtocol });
  /** Request `index`'s response, once the client has it (fetch resolved) and reads its body. */
  const opened = async (index = 0) => {
    const response = await server.response(index);
    await response.whenDrained();
    return response;
  };
  return { store, opened, metrics: () => lastMessage(store)?.metrics };
}

const text = (delta: string): StreamPart => ({ type: 'text-delta', delta });

describe('reply metrics', () => {
  it('time to first byte and token, duration, text deltas, deltas per second and the longest gap', async () => {
    const { store, opened, metrics } = timedStore();
    setClock(1000);
    const done = store.send('x');
    setClock(1100); // the response headers arrive
    const response = await opened();

    setClock(1250);
    response.write(partEvents([{ type: 'reasoning-delta', delta: 'Hmm' }]));
    await response.whenDrained();
    expect(metrics()).toEqual({
      timeToFirstByte: 100,
      timeToFirstToken: 250, // reasoning counts as the first token
      duration: undefined,
      textDeltas: 0,
      deltasPerSecond: undefined,
      longestGap: undefined,
    });

    setClock(1300);
    response.write(partEvents([text('A'), text('B')])); // one network chunk: a gap of 0 between them
    await response.whenDrained();
    expect(metrics()).toMatchObject({ textDeltas: 2, deltasPerSecond: undefined, longestGap: 50, duration: undefined });

    setClock(1700);
    response.write(partEvents([text('C')]));
    await response.whenDrained();
    expect(metrics()).toMatchObject({ textDeltas: 3, deltasPerSecond: 7.5, longestGap: 400 }); // 3 deltas / 0.4 s

    setClock(1750);
    response.write(partEvents([{ type: 'finish', finishReason: 'stop' }]));
    await done;
    expect(metrics()).toEqual({
      timeToFirstByte: 100,
      timeToFirstToken: 250,
      duration: 750,
      textDeltas: 3,
      deltasPerSecond: 7.5,
      longestGap: 400,
    });
  });

  it('a chunk without deltas keeps the metrics object; each reply has its own', async () => {
    const { store, opened, metrics } = timedStore();
    setClock(0);
    const first = store.send('x');
    const response = await opened();
    response.write(partEvents([text('a')]));
    await response.whenDrained();
    const before = metrics();
    response.write(partEvents([{ type: 'source-url', sourceId: 's', url: 'https://example.com' }]));
    await response.whenDrained();
    expect(metrics()).toBe(before);
    response.write(partEvents([{ type: 'finish', finishReason: 'stop' }]));
    await first;

    setClock(5000);
    const second = store.send('y');
    setClock(5020);
    const next = await opened(1);
    setClock(5300);
    next.write(partEvents([text('b'), { type: 'finish', finishReason: 'stop' }]));
    await second;
    expect(metrics()).toMatchObject({ timeToFirstByte: 20, timeToFirstToken: 300, duration: 300, textDeltas: 1 });
    expect(store.getSnapshot().messages[1]?.metrics).toMatchObject({ textDeltas: 1, timeToFirstByte: 0 });
  });

  it('a stopped reply and a failed one have their duration; no response means no time to first byte', async () => {
    const { store, opened, metrics } = timedStore();
    setClock(0);
    void store.send('x');
    const response = await opened();
    setClock(40);
    response.write(partEvents([text('a')]));
    await response.whenDrained();
    setClock(90);
    store.stop();
    expect(metrics()).toMatchObject({ timeToFirstByte: 0, timeToFirstToken: 40, duration: 90 });

    const failing = createChatStore({
      url: '/c',
      fetch: createFakeFetch(() => {
        setClock(130);
        throw new TypeError('fetch failed');
      }),
    });
    setClock(100);
    await failing.send('x');
    expect(lastMessage(failing)).toMatchObject({ status: 'error' });
    expect(lastMessage(failing)?.metrics).toEqual({
      timeToFirstByte: undefined,
      timeToFirstToken: undefined,
      duration: 30,
      textDeltas: 0,
      deltasPerSecond: undefined,
      longestGap: undefined,
    });
  });

  it('uses Date.now where there is no performance.now', async () => {
    vi.stubGlobal('performance', undefined);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(10_000);
    const server = scriptedServer();
    // (No idle timeout: its deadline reads the client's clock; this test is about the metrics' own.)
    const store = createChatStore({ url: '/c', fetch: server.fetch, idleTimeout: false });
    const done = store.send('x');
    const response = await server.response();
    await response.whenDrained();
    vi.setSystemTime(10_200);
    response.write(tokenEvents(['Hi']));
    await done;
    expect(lastMessage(store)?.metrics).toMatchObject({ timeToFirstToken: 200, duration: 200, textDeltas: 1 });
  });
});
