// parseEventStreamBatches: the events of each network chunk together, with parseEventStream's
// events, options, cancellation and errors (rules 1–4 and 21 of docs/event-stream-parsing.md are
// the shared engine's, checked in parse-event-stream*.test.ts and line-decoder.property.test.ts).
import { describe, expect, it } from 'vitest';
import { EventTooLargeError } from './errors.js';
import {
  parseEventStream,
  parseEventStreamBatches,
  readEventBatches,
  type ParseEventStreamOptions,
} from './parse-event-stream.js';
import { chunkings } from './testing/chunking.js';
import { rejectionOf } from './test/helpers.js';
import { inTask, trackedSource } from './test/parse-helpers.js';
import { readableFromChunks } from './testing/readable-stream.js';
import type { ServerSentEvent } from './types.js';

const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array => encoder.encode(text);
const message = (data: string, lastEventId = ''): ServerSentEvent => ({ type: 'message', data, lastEventId });

/** The batches, and what iteration threw (if anything). */
async function batchesOf(
  stream: ReadableStream<Uint8Array>,
  options: ParseEventStreamOptions = {},
): Promise<{ batches: (readonly ServerSentEvent[])[]; thrown: unknown }> {
  const batches: (readonly ServerSentEvent[])[] = [];
  let thrown: unknown;
  try {
    for await (const batch of parseEventStreamBatches(stream, options)) batches.push(batch);
  } catch (error) {
    thrown = error;
  }
  return { batches, thrown };
}

describe('the events of each chunk together', () => {
  it('one array per chunk that completes events, in order; chunks that complete none give none', async () => {
    const chunks = [utf8('data: a\n\ndata: b\n\ndata: c\n'), utf8(': ping\n'), utf8('\nid: 7\ndata: d\n\n')];
    const { batches, thrown } = await batchesOf(readableFromChunks(chunks));
    expect(thrown).toBeUndefined();
    expect(batches).toStrictEqual([[message('a'), message('b')], [message('c'), message('d', '7')]]);
  });

  it('the same events as parseEventStream, however the bytes are chunked (multibyte text, BOM, CRLF, CR)', async () => {
    const bytes = Uint8Array.from([
      0xef,
      0xbb,
      0xbf,
      ...utf8('retry: 10\r\nid: 1\r\ndata: Hé😀\r\n\r\n: ping\rdata: 中\rdata: x\r\revent: end\ndata: [DONE]\n\ndata: lost'),
    ]);
    const expected: ServerSentEvent[] = [];
    for await (const event of parseEventStream(readableFromChunks([bytes]))) expected.push(event);
    expect(expected).toHaveLength(3);
    for (const { name, chunks } of chunkings(bytes, { seeds: [1, 2, 3, 4] })) {
      const { batches, thrown } = await batchesOf(readableFromChunks(chunks));
      expect(thrown, name).toBeUndefined();
      expect(batches.flat(), name).toStrictEqual(expected);
      for (const batch of batches) expect(batch.length, name).toBeGreaterThan(0);
    }
  });

  it('options: maxEventSize, lastEventId, onRetry and onComment as parseEventStream takes them', async () => {
    const retries: number[] = [];
    const comments: string[] = [];
    const { batches } = await batchesOf(readableFromChunks([utf8('retry: 1500\n: ping\n\ndata: x\n\nid: 2\ndata: y\n\n')]), {
      lastEventId: '1',
      onRetry: (retry) => retries.push(retry),
      onComment: (comment) => comments.push(comment),
    });
    expect(batches).toStrictEqual([[message('x', '1'), message('y', '2')]]);
    expect(retries).toEqual([1500]);
    expect(comments).toEqual(['ping']);
  });
});

describe('cancellation', () => {
  it('breaking out of the loop cancels the source and releases it; nothing is read after', async () => {
    const { stream, record } = trackedSource([utf8('data: 0\n\ndata: 1\n\n'), utf8('data: 2\n\n'), utf8('data: 3\n\n')]);
    const seen: (readonly ServerSentEvent[])[] = [];
    for await (const batch of parseEventStreamBatches(stream)) {
      seen.push(batch);
      break;
    }
    expect(seen).toStrictEqual([[message('0'), message('1')]]);
    expect(record.pulls).toBe(1);
    expect(record.cancelled).toBe(true);
    expect(stream.locked).toBe(false);
  });

  it('return() before the first next() reads nothing and leaves the source alone', async () => {
    const { stream, record } = trackedSource([utf8('data: 0\n\n')]);
    const iterator = parseEventStreamBatches(stream);
    expect(await iterator.return()).toEqual({ done: true, value: undefined });
    expect(record.pulls).toBe(0);
    expect(stream.locked).toBe(false);
  });

  it('reading to the end releases the source without cancelling it', async () => {
    const { stream, record } = trackedSource([utf8('data: 0\n\n'), utf8('data: 1\n\n')]);
    const { batches } = await batchesOf(stream);
    expect(batches).toStrictEqual([[message('0')], [message('1')]]);
    expect(record.cancelled).toBe(false);
    expect(stream.locked).toBe(false);
  });

  it('an abort between batches: the next next() throws its reason and the source is cancelled with it', async () => {
    const { stream, record } = trackedSource([utf8('data: 0\n\n'), utf8('data: 1\n\n'), utf8('data: 2\n\n')]);
    const controller = new AbortController();
    const seen: (readonly ServerSentEvent[])[] = [];
    let thrown: unknown;
    try {
      for await (const batch of parseEventStreamBatches(stream, { signal: controller.signal })) {
        seen.push(batch);
        controller.abort();
      }
    } catch (error) {
      thrown = error;
    }
    expect(seen).toStrictEqual([[message('0')]]);
    expect(thrown).toBe(controller.signal.reason);
    expect(thrown).toMatchObject({ name: 'AbortError' });
    expect(record.cancelled).toBe(true);
    expect(record.cancelReason).toBe(controller.signal.reason);
    expect(stream.locked).toBe(false);
  });

  it('an abort while a read is pending ends the wait at once', async () => {
    const controller = new AbortController();
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>(
      { pull: () => new Promise<void>(() => undefined), cancel: () => void (cancelled = true) },
      { highWaterMark: 0 },
    );
    const next = parseEventStreamBatches(stream, { signal: controller.signal }).next();
    const reason = new Error('user stop');
    controller.abort(reason);
    await expect(next).rejects.toBe(reason);
    expect(cancelled).toBe(true);
  });

  // A callback the byte layer calls while it parses a chunk may abort: that chunk's batch is then
  // not handed over, as after an abort between batches. (`onChunk` is the clients' callback.)
  it.each([
    ['onComment', { chunk: ': stop\ndata: 1\n\n', api: parseEventStreamBatches }],
    ['onComment, after the events of its chunk', { chunk: 'data: 1\n\n: stop\n', api: parseEventStreamBatches }],
    ['onRetry', { chunk: 'retry: 10\ndata: 1\n\n', api: parseEventStreamBatches }],
    ['onChunk', { chunk: 'data: 1\n\n', api: readEventBatches }],
  ] as const)('an abort from %s: next() throws its reason, the batch of that chunk is not handed over', async (name, { chunk, api }) => {
    const { stream, record } = trackedSource([utf8('data: 0\n\n'), utf8(chunk), utf8('data: 2\n\n')]);
    const controller = new AbortController();
    let chunks = 0;
    const abort = (): void => {
      if (name === 'onChunk' && ++chunks < 2) return;
      controller.abort();
    };
    const iterator = api(stream, { signal: controller.signal, [name.split(',')[0]!]: abort });
    expect(await iterator.next()).toStrictEqual({ done: false, value: [message('0')] });
    expect(await rejectionOf(iterator.next())).toBe(controller.signal.reason);
    expect(await iterator.next()).toStrictEqual({ done: true, value: undefined });
    expect(controller.signal.reason).toMatchObject({ name: 'AbortError' });
    expect(record.pulls).toBe(2);
    expect(record.cancelled).toBe(true);
    expect(record.cancelReason).toBe(controller.signal.reason);
    expect(stream.locked).toBe(false);
  });

  it('an abort between a batch and the error that came after it in the same chunk: the abort wins, as in parseEventStream', async () => {
    for (const api of [parseEventStreamBatches, parseEventStream]) {
      const { stream, record } = trackedSource([utf8(`data: 0\n\ndata: ${'x'.repeat(40)}\n\n`), utf8('data: 2\n\n')]);
      const controller = new AbortController();
      const reason = new Error('stopped');
      const iterator = api(stream, { signal: controller.signal, maxEventSize: 20 });
      expect((await iterator.next()).done).toBe(false);
      controller.abort(reason);
      await expect(iterator.next()).rejects.toBe(reason);
      expect(await iterator.next()).toStrictEqual({ done: true, value: undefined });
      expect(record.cancelReason).toBe(reason);
      expect(stream.locked).toBe(false);
    }
  });

  it('an abort from onChunk on the last read (the body ended): next() throws its reason, not a done result', async () => {
    const { stream } = trackedSource([utf8('data: 0\n\n')]);
    const controller = new AbortController();
    const reason = new Error('stopped');
    let chunks = 0;
    const iterator = readEventBatches(stream, { signal: controller.signal, onChunk: () => void (++chunks === 2 && controller.abort(reason)) });
    expect(await iterator.next()).toStrictEqual({ done: false, value: [message('0')] });
    await expect(iterator.next()).rejects.toBe(reason);
    expect(await iterator.next()).toStrictEqual({ done: true, value: undefined });
    expect(stream.locked).toBe(false);
  });

  it('an already-aborted signal throws at the first next(), before reading, and cancels the source', async () => {
    const { stream, record } = trackedSource([utf8('data: 0\n\n')]);
    const signal = AbortSignal.abort();
    await expect(parseEventStreamBatches(stream, { signal }).next()).rejects.toBe(signal.reason);
    expect(record.pulls).toBe(0);
    expect(record.cancelled).toBe(true);
    expect(record.cancelReason).toBe(signal.reason);
  });
});

describe('errors', () => {
  it('a source that errors: the batches read before it, then its error; the lock is released', async () => {
    const failure = new TypeError('terminated');
    const { stream, record } = trackedSource([utf8('data: 0\n\ndata: 1\n\n'), utf8('data: 2\n\ndata: cut')], failure);
    const { batches, thrown } = await batchesOf(stream);
    expect(batches).toStrictEqual([[message('0'), message('1')], [message('2')]]);
    expect(thrown).toBe(failure);
    expect(record.cancelled).toBe(false); // an errored stream needs no cancel
    expect(stream.locked).toBe(false);
  });

  it('EventTooLargeError comes after a batch of the events before it in the same chunk; the source is cancelled', async () => {
    const chunks = [utf8('data: a\n\n'), utf8(`data: b\n\ndata: c\n\ndata: ${'x'.repeat(40)}\n\ndata: d\n\n`), utf8('data: e\n\n')];
    const { stream, record } = trackedSource(chunks);
    const { batches, thrown } = await batchesOf(stream, { maxEventSize: 20 });
    expect(batches).toStrictEqual([[message('a')], [message('b'), message('c')]]);
    expect(thrown).toBeInstanceOf(EventTooLargeError);
    expect(thrown).toMatchObject({ maxEventSize: 20 });
    expect(record.cancelled).toBe(true);
    expect(record.pulls).toBe(2); // the chunk after it was never read
    expect(stream.locked).toBe(false);
  });

  it('EventTooLargeError: the same events before it, however the bytes are chunked', async () => {
    const bytes = utf8(`data: a\n\ndata: b\n\ndata: ${'x'.repeat(40)}\n\ndata: c\n\n`);
    for (const { name, chunks } of chunkings(bytes, { seeds: [1, 2, 3] })) {
      const { batches, thrown } = await batchesOf(readableFromChunks(chunks), { maxEventSize: 20 });
      expect(batches.flat(), name).toStrictEqual([message('a'), message('b')]);
      expect(thrown, name).toBeInstanceOf(EventTooLargeError);
    }
  });
});

describe('no added latency', () => {
  it('a batch is delivered in the task in which the chunk that completes it arrives', async () => {
    let source!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({ start: (controller) => void (source = controller) });
    const received: string[][] = [];
    const reading = (async () => {
      for await (const batch of parseEventStreamBatches(stream)) received.push(batch.map((event) => event.data));
    })();
    await inTask(() => source.enqueue(utf8('data: a\n')));
    expect(received).toEqual([]);
    await inTask(() => source.enqueue(utf8('\ndata: b\n\ndata: c')));
    expect(received).toEqual([['a', 'b']]);
    await inTask(() => source.enqueue(utf8('\r\r')));
    expect(received).toEqual([['a', 'b'], ['c']]);
    source.close();
    await reading;
  });
});

describe('calls to next() that overlap', () => {
  it('are served in stream order, as an async generator serves them', async () => {
    const chunks = [utf8('data: a\n\ndata: b\n\n'), utf8(': ping\n'), utf8('data: c\n\n')];
    const iterator = parseEventStreamBatches(readableFromChunks(chunks));
    const results = await Promise.all([iterator.next(), iterator.next(), iterator.next()]);
    expect(results).toEqual([
      { done: false, value: [message('a'), message('b')] },
      { done: false, value: [message('c')] },
      { done: true, value: undefined },
    ]);
  });
});
