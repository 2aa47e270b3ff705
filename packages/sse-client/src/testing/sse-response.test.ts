import { afterEach, describe, expect, it, vi } from 'vitest';
import { streamTokens } from '../index.js';
import { splitRandomly } from './chunking.js';
import { createFakeFetch, formatEvent, sseBody, sseResponse, tokenEvents, type ChunkingStrategy } from './index.js';

afterEach(() => {
  vi.useRealTimers();
});

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function readAll(body: ReadableStream<Uint8Array> | null): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

function joined(chunks: readonly Uint8Array[]): string {
  return decoder.decode(new Uint8Array(chunks.flatMap((chunk) => [...chunk])));
}

const EVENTS = tokenEvents(['Hé', 'llo ', '😀', ' wörld']);
const BODY = EVENTS.join('');

describe('sseResponse: the response', () => {
  it('is a 200 text/event-stream response by default', () => {
    const response = sseResponse(EVENTS);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
  });

  it('takes a status, status text and headers, keeping the event-stream content type unless overridden', () => {
    const response = sseResponse(EVENTS, { status: 201, statusText: 'Created', headers: { 'x-request-id': 'r1' } });
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Created');
    expect(response.headers.get('x-request-id')).toBe('r1');
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const html = sseResponse(EVENTS, { headers: { 'content-type': 'text/html' } });
    expect(html.headers.get('content-type')).toBe('text/html');
  });

  it('writes event objects with formatEvent, strings and bytes as they are', async () => {
    const items = [{ event: 'greeting', id: '7', data: 'hello\nworld' }, 'data: raw\n\n', encoder.encode('data: bytes\n\n')];
    const chunks = await readAll(sseResponse(items).body);
    expect(chunks.map((chunk) => decoder.decode(chunk))).toEqual([
      'event: greeting\nid: 7\ndata: hello\ndata: world\n\n',
      'data: raw\n\n',
      'data: bytes\n\n',
    ]);
  });

  it('takes strings and bytes, one chunk per item, with status and headers', async () => {
    const response = sseResponse(['data: a\n\n', encoder.encode('data: b\n\n')], { status: 200, headers: { 'x-a': '1' } });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('x-a')).toBe('1');
    expect((await readAll(response.body)).map((chunk) => decoder.decode(chunk))).toEqual(['data: a\n\n', 'data: b\n\n']);
  });
});

describe('sseResponse: chunking over the bytes', () => {
  const bytes = encoder.encode(BODY);

  it("'event' (the default) gives one chunk per item", async () => {
    const chunks = await readAll(sseResponse(EVENTS).body);
    expect(chunks.map((chunk) => decoder.decode(chunk))).toEqual(EVENTS);
  });

  it("'whole' gives the body in one chunk", async () => {
    const chunks = await readAll(sseResponse(EVENTS, { chunking: 'whole' }).body);
    expect(chunks).toHaveLength(1);
    expect(joined(chunks)).toBe(BODY);
  });

  it("'byte' gives one byte per chunk, splitting multibyte characters", async () => {
    const chunks = await readAll(sseResponse(EVENTS, { chunking: 'byte' }).body);
    expect(chunks).toHaveLength(bytes.length);
    expect(chunks.every((chunk) => chunk.length === 1)).toBe(true);
    expect(joined(chunks)).toBe(BODY);
    // The four bytes of 😀 arrive in four reads.
    const start = bytes.indexOf(0xf0);
    expect(chunks.slice(start, start + 4).map((chunk) => chunk[0])).toEqual([0xf0, 0x9f, 0x98, 0x80]);
  });

  it.each([1, 3, 7, 1000])('{ size: %i } gives chunks of that many bytes, across event boundaries', async (size) => {
    const chunks = await readAll(sseResponse(EVENTS, { chunking: { size } }).body);
    expect(chunks).toHaveLength(Math.ceil(bytes.length / size));
    expect(chunks.slice(0, -1).every((chunk) => chunk.length === size)).toBe(true);
    expect(joined(chunks)).toBe(BODY);
  });

  it('{ seed } gives the same chunks as splitRandomly on the whole body, the same for the same seed', async () => {
    const chunks = await readAll(sseResponse(EVENTS, { chunking: { seed: 5, maxChunkSize: 7 } }).body);
    expect(chunks).toEqual(splitRandomly(bytes, { seed: 5, maxChunkSize: 7 }));
    const again = await readAll(sseResponse(EVENTS, { chunking: { seed: 5, maxChunkSize: 7 } }).body);
    expect(again).toEqual(chunks);
    const other = await readAll(sseResponse(EVENTS, { chunking: { seed: 6, maxChunkSize: 7 } }).body);
    expect(other.map((chunk) => chunk.length)).not.toEqual(chunks.map((chunk) => chunk.length));
    const defaults = await readAll(sseResponse(EVENTS, { chunking: { seed: 5 } }).body);
    expect(defaults).toEqual(splitRandomly(bytes, { seed: 5 }));
  });

  it.each<ChunkingStrategy>(['event', 'whole', 'byte', { size: 2 }, { size: 5 }, { seed: 1 }, { seed: 2, maxChunkSize: 3 }])(
    'streamTokens reads the same text under chunking %j',
    async (chunking) => {
      const fetch = () => Promise.resolve(sseResponse(EVENTS, { chunking }));
      await expect(streamTokens('/c', { fetch }).text).resolves.toBe('Héllo 😀 wörld');
    },
  );

  it('rejects a bad strategy when the response is built', () => {
    expect(() => sseResponse(EVENTS, { chunking: { size: 0 } })).toThrow(RangeError);
    expect(() => sseResponse(EVENTS, { chunking: { size: 1.5 } })).toThrow(RangeError);
    expect(() => sseResponse(EVENTS, { chunking: { seed: 1, maxChunkSize: 0 } })).toThrow(RangeError);
    expect(() => sseResponse(EVENTS, { chunking: 'lines' as ChunkingStrategy })).toThrow(RangeError);
  });
});

describe('sseResponse: lazy and pull-based', () => {
  it('takes items from the iterable only as the reader reads', async () => {
    let taken = 0;
    function* items(): Generator<string> {
      for (let index = 0; ; index += 1) {
        taken += 1;
        yield formatEvent({ data: String(index) });
      }
    }
    const reader = sseBody(items()).getReader();
    await Promise.resolve();
    expect(taken).toBe(0);
    expect(decoder.decode((await reader.read()).value)).toBe('data: 0\n\n');
    expect(decoder.decode((await reader.read()).value)).toBe('data: 1\n\n');
    expect(taken).toBe(2);
    await reader.cancel();
  });

  it('regroups fixed-size chunks lazily too', async () => {
    let taken = 0;
    function* items(): Generator<string> {
      for (;;) {
        taken += 1;
        yield 'abcd';
      }
    }
    const reader = sseBody(items(), { chunking: { size: 6 } }).getReader();
    expect(decoder.decode((await reader.read()).value)).toBe('abcdab');
    expect(taken).toBe(2);
    await reader.cancel();
  });

  it('ends an endless generator when the reader cancels, and reports the cancel', async () => {
    let finished = false;
    const reasons: unknown[] = [];
    function* items(): Generator<string> {
      try {
        for (;;) yield 'data: x\n\n';
      } finally {
        finished = true;
      }
    }
    const reader = sseBody(items(), { onCancel: (reason) => reasons.push(reason) }).getReader();
    await reader.read();
    await reader.cancel('bye');
    expect(finished).toBe(true);
    expect(reasons).toEqual(['bye']);
  });

  it('streams 100,000 chunks through streamTokens', async () => {
    const count = 100_000;
    function* events(): Generator<string> {
      for (let index = 0; index < count; index += 1) yield 'data: {"token":"x"}\n\n';
      yield 'data: [DONE]\n\n';
    }
    let tokens = 0;
    const fetch = createFakeFetch(() => sseResponse(events()));
    const text = await streamTokens('/c', { fetch, onToken: () => (tokens += 1) }).text;
    expect(text).toHaveLength(count);
    expect(tokens).toBe(count);
  });
});

describe('sseResponse: delays, under fake timers', () => {
  it('waits `delay` ms before each chunk; the end follows the last chunk', async () => {
    vi.useFakeTimers();
    const seen: [number, string][] = [];
    const start = Date.now();
    const fetch = () => Promise.resolve(sseResponse(tokenEvents(['a', 'b']), { delay: 100 }));
    let done = false;
    const text = streamTokens('/c', { fetch, onToken: (token) => seen.push([Date.now() - start, token]) }).text.finally(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(seen).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual([[100, 'a']]);
    await vi.advanceTimersByTimeAsync(100);
    expect(seen).toEqual([
      [100, 'a'],
      [200, 'b'],
    ]);
    expect(done).toBe(false); // [DONE] is the third chunk
    await vi.advanceTimersByTimeAsync(100);
    expect(done).toBe(true);
    await expect(text).resolves.toBe('ab');
  });

  it('takes a function of the chunk index', async () => {
    vi.useFakeTimers();
    const indices: number[] = [];
    const reader = sseBody(['a', 'b', 'c'], {
      delay: (index) => {
        indices.push(index);
        return index === 0 ? 0 : 50;
      },
    }).getReader();
    expect(decoder.decode((await reader.read()).value)).toBe('a');
    const second = reader.read();
    let arrived = false;
    void second.then(() => (arrived = true));
    await vi.advanceTimersByTimeAsync(49);
    expect(arrived).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(decoder.decode((await second).value)).toBe('b');
    expect(indices).toEqual([0, 1]);
    await reader.cancel();
  });

  it('counts the index after chunking', async () => {
    vi.useFakeTimers();
    const indices: number[] = [];
    const body = sseBody(['abc'], { chunking: 'byte', delay: (index) => (indices.push(index), 10) });
    const all = readAll(body);
    await vi.advanceTimersByTimeAsync(30);
    expect(joined(await all)).toBe('abc');
    expect(indices).toEqual([0, 1, 2]);
  });

  it('uses no timer without a delay', async () => {
    vi.useFakeTimers();
    const chunks = await readAll(sseResponse(['a', 'b']).body);
    expect(chunks).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears its timer when the reader cancels during a delay', async () => {
    vi.useFakeTimers();
    const reasons: unknown[] = [];
    const reader = sseBody(['a'], { delay: 1000, onCancel: (reason) => reasons.push(reason) }).getReader();
    const pending = reader.read();
    await vi.advanceTimersByTimeAsync(10);
    expect(vi.getTimerCount()).toBe(1);
    await reader.cancel('stop');
    expect(vi.getTimerCount()).toBe(0);
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(reasons).toEqual(['stop']);
  });

  it('rejects a negative or non-finite delay', async () => {
    expect(() => sseResponse(['a'], { delay: -1 })).toThrow(RangeError);
    expect(() => sseResponse(['a'], { delay: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    await expect(sseBody(['a'], { delay: () => Number.NaN }).getReader().read()).rejects.toThrow(RangeError);
  });
});
