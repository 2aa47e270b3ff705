// parseEventStream, the bytes layer (rules 1–4 and 21 of docs/event-stream-parsing.md): UTF-8
// decoding across chunk boundaries, one leading BOM, invalid bytes, the end of the stream, and
// cancellation (break, AbortSignal, errors, maxEventSize).
import { describe, expect, it } from 'vitest';
import { EventTooLargeError } from './errors.js';
import { parseEventStream, type ParseEventStreamOptions } from './parse-event-stream.js';
import { rejectionOf } from './test/helpers.js';
import { inTask, parseChunks, trackedSource } from './test/parse-helpers.js';
import { chunkings, splitAt } from './testing/chunking.js';
import { readableFromChunks } from './testing/readable-stream.js';
import type { ServerSentEvent } from './types.js';

const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array => encoder.encode(text);
const BOM = [0xef, 0xbb, 0xbf];

function concat(...parts: (Uint8Array | readonly number[])[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

async function collect(
  chunks: Iterable<Uint8Array>,
  options: ParseEventStreamOptions = {},
): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of parseEventStream(readableFromChunks(chunks), options)) events.push(event);
  return events;
}

/** Parses `bytes` under every chunking of its bytes and expects the same events each time. */
async function eventsUnderEveryByteChunking(bytes: Uint8Array): Promise<ServerSentEvent[]> {
  const expected = await collect([bytes]);
  for (const { name, chunks } of chunkings(bytes, { seeds: [1, 2, 3, 4] })) {
    expect(await collect(chunks), name).toStrictEqual(expected);
  }
  return expected;
}

const message = (data: string, lastEventId = ''): ServerSentEvent => ({ type: 'message', data, lastEventId });

describe('rule 2: a multibyte character split across chunks survives', () => {
  it.each([
    ['emoji (4 bytes)', '😀'],
    ['CJK (3 bytes)', '中'],
    ['é (2 bytes)', 'é'],
    ['all of them, twice', '😀中é😀中é'],
  ])('%s, split at every byte boundary', async (_name, text) => {
    const bytes = utf8(`data: ${text}\n\n`);
    for (let index = 0; index <= bytes.length; index += 1) {
      expect(await collect(splitAt(bytes, [index])), `split at byte ${index}`).toStrictEqual([message(text)]);
    }
    expect(await eventsUnderEveryByteChunking(bytes)).toStrictEqual([message(text)]);
  });
});

describe('the sample streams, as bytes, under every chunking', () => {
  const samples = {
    'token events with multibyte text': 'data: {"token": "Hél"}\n\ndata: {"token": "lo 😀 世界"}\n\ndata: [DONE]\n\n',
    'sse-starlette (CRLF, pings, ids, retry)':
      'retry: 3000\r\n\r\n: ping\r\n\r\nid: 1\r\ndata: {"token": "中"}\r\n\r\n: ping\r\n\r\nid: 2\r\ndata: [DONE]\r\n\r\n',
    'Anthropic Messages (CR only)':
      'event: message_start\rdata: {"type":"message_start"}\r\revent: content_block_delta\rdata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hé😀"}}\r\revent: message_stop\rdata: {"type":"message_stop"}\r\r',
    'OpenAI Responses': 'event: response.output_text.delta\ndata: {"delta":"Ĥel"}\n\nevent: response.completed\ndata: {}\n\n',
  };

  it.each(Object.entries(samples))('%s: the same events as the string parser', async (_name, text) => {
    const expected = parseChunks([text]).events;
    expect(expected.length).toBeGreaterThan(1);
    expect(await eventsUnderEveryByteChunking(utf8(text))).toStrictEqual(expected);
  });
});

describe('rule 4: exactly one leading BOM is removed', () => {
  it('a leading BOM is removed', async () => {
    expect(await eventsUnderEveryByteChunking(concat(BOM, utf8('data: x\n\n')))).toStrictEqual([message('x')]);
  });

  it('also when the BOM bytes themselves are split across chunks', async () => {
    const bytes = concat(BOM, utf8('data: x\n\n'));
    expect(await collect(splitAt(bytes, [1, 2, 3]))).toStrictEqual([message('x')]);
    expect(await collect(splitAt(bytes, [1]))).toStrictEqual([message('x')]);
    expect(await collect(splitAt(bytes, [2, 5]))).toStrictEqual([message('x')]);
  });

  it('after an empty first chunk too', async () => {
    expect(await collect([new Uint8Array(0), concat(BOM, utf8('data: x\n\n'))])).toStrictEqual([message('x')]);
  });

  it('as text: "\\uFEFFdata: x" gives event x; "\\uFEFF\\uFEFFdata: x" gives none', async () => {
    expect(await eventsUnderEveryByteChunking(utf8('\uFEFFdata: x\n\n'))).toStrictEqual([message('x')]);
    expect(await eventsUnderEveryByteChunking(utf8('\uFEFF\uFEFFdata: x\n\n'))).toStrictEqual([]);
  });

  it('a second BOM is kept: the field name is then "\\uFEFFdata", unknown, so no event', async () => {
    expect(await eventsUnderEveryByteChunking(concat(BOM, BOM, utf8('data: x\n\n')))).toStrictEqual([]);
  });

  it('a BOM that is not at the start of the stream is not removed', async () => {
    expect(await eventsUnderEveryByteChunking(concat(utf8('data: a\n\n'), BOM, utf8('data: b\n\n')))).toStrictEqual([
      message('a'),
    ]);
    expect(await eventsUnderEveryByteChunking(concat(utf8('data: '), BOM, utf8('x\n\n')))).toStrictEqual([
      message('\uFEFFx'),
    ]);
  });
});

describe('rule 3: invalid bytes become U+FFFD and never throw', () => {
  it.each([
    ['a lone continuation byte', [0x80]],
    ['an invalid lead byte', [0xff]],
    ['a lead byte without its continuation', [0xc3, 0x28]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ])('%s', async (_name, bad) => {
    const events = await eventsUnderEveryByteChunking(concat(utf8('data: a'), bad, utf8('b\n\n')));
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatch(/^a\uFFFD+\(?b$/);
  });

  it('a multibyte sequence cut short by the next byte becomes U+FFFD', async () => {
    // The emoji lost its last byte; the line ending right after it is kept.
    const bytes = concat(utf8('data: a\n\ndata: '), utf8('😀').subarray(0, 3), utf8('\n\n'));
    expect(await eventsUnderEveryByteChunking(bytes)).toStrictEqual([message('a'), message('\uFFFD')]);
  });

  it('a truncated multibyte sequence at the very end of the stream does not throw and gives no event', async () => {
    expect(await eventsUnderEveryByteChunking(concat(utf8('data: a\n\ndata: '), [0xf0, 0x9f]))).toStrictEqual([
      message('a'),
    ]);
  });

  it('a truncated multibyte sequence at the very end is flushed as U+FFFD into the pending line', async () => {
    // Only the size of the pending line can show it (rule 21 discards the line itself):
    // "data: " is 6 code units, within maxEventSize 6; the flushed U+FFFD makes it 7.
    const bytes = concat(utf8('data: '), [0xf0, 0x9f]);
    await expect(collect([bytes], { maxEventSize: 6 })).rejects.toBeInstanceOf(EventTooLargeError);
    await expect(collect([bytes], { maxEventSize: 7 })).resolves.toEqual([]);
    await expect(collect([utf8('data: ')], { maxEventSize: 6 })).resolves.toEqual([]);
  });
});

describe('rule 21: the pending event at the end of the stream is not delivered', () => {
  it.each([
    ['no blank line', 'data: a\n\ndata: b\n'],
    ['no line ending', 'data: a\n\ndata: b'],
    ['CRLF, no blank line', 'data: a\r\n\r\ndata: b\r\n'],
  ])('%s', async (_name, text) => {
    expect(await eventsUnderEveryByteChunking(utf8(text))).toStrictEqual([message('a')]);
  });
});

const manyEvents = (count: number): Uint8Array[] =>
  Array.from({ length: count }, (_, index) => utf8(`data: ${index}\n\n`));

describe('cancellation', () => {
  it('breaking out of the loop cancels the source and releases it', async () => {
    const { stream, record } = trackedSource(manyEvents(10));
    const seen: string[] = [];
    for await (const event of parseEventStream(stream)) {
      seen.push(event.data);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['0', '1']);
    expect(record.cancelled).toBe(true);
    expect(record.pulls).toBe(2); // nothing was read after the break
    expect(stream.locked).toBe(false);
  });

  it('reading to the end does not cancel the source', async () => {
    const { stream, record } = trackedSource(manyEvents(3));
    const events: ServerSentEvent[] = [];
    for await (const event of parseEventStream(stream)) events.push(event);
    expect(events).toHaveLength(3);
    expect(record.cancelled).toBe(false);
    expect(stream.locked).toBe(false);
  });

  it('an AbortSignal aborted mid-stream makes iteration throw its reason (AbortError) and cancels the source', async () => {
    const { stream, record } = trackedSource(manyEvents(10));
    const controller = new AbortController();
    const seen: string[] = [];
    let thrown: unknown;
    try {
      for await (const event of parseEventStream(stream, { signal: controller.signal })) {
        seen.push(event.data);
        if (seen.length === 2) controller.abort();
      }
    } catch (error) {
      thrown = error;
    }
    expect(seen).toEqual(['0', '1']);
    expect(thrown).toBeInstanceOf(DOMException);
    expect(thrown).toMatchObject({ name: 'AbortError' });
    expect(thrown).toBe(controller.signal.reason);
    expect(record.cancelled).toBe(true);
    expect(record.cancelReason).toBe(controller.signal.reason);
    expect(stream.locked).toBe(false);
  });

  it('an abort between two events of one chunk: the next next() throws its reason, the later events are not handed over', async () => {
    const { stream, record } = trackedSource([utf8('data: 0\n\ndata: 1\n\ndata: 2\n\n'), ...manyEvents(3)]);
    const controller = new AbortController();
    const iterator = parseEventStream(stream, { signal: controller.signal });
    expect(await iterator.next()).toEqual({ done: false, value: message('0') });
    controller.abort();
    await expect(iterator.next()).rejects.toBe(controller.signal.reason);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(record.cancelled).toBe(true);
    expect(stream.locked).toBe(false);
  });

  it('an abort while a read is pending ends the wait at once', async () => {
    const controller = new AbortController();
    let cancelled = false;
    // A source that delivers one event, then never answers again.
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(streamController) {
          pulled += 1;
          if (pulled === 1) streamController.enqueue(utf8('data: a\n\n'));
          else return new Promise<void>(() => undefined);
        },
        cancel() {
          cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const iterator = parseEventStream(stream, { signal: controller.signal });
    expect(await iterator.next()).toEqual({ done: false, value: message('a') });
    const next = iterator.next();
    setTimeout(() => controller.abort(new Error('user stop')), 5);
    await expect(next).rejects.toThrow('user stop');
    expect(cancelled).toBe(true);
  });

  // A callback the byte layer calls while it parses a chunk may abort: the chunk's events (parsed
  // before or after the callback) are then not handed over, as after an abort between events.
  it.each([
    ['onComment, before the events of its chunk', ': stop\ndata: 1\n\ndata: 2\n\n', 'onComment'],
    ['onComment, after the events of its chunk', 'data: 1\n\ndata: 2\n\n: stop\n', 'onComment'],
    ['onRetry, before the events of its chunk', 'retry: 10\ndata: 1\n\ndata: 2\n\n', 'onRetry'],
  ] as const)('an abort from %s: next() throws its reason, no event of that chunk is handed over', async (_name, chunk, callback) => {
    const { stream, record } = trackedSource([utf8('data: 0\n\n'), utf8(chunk), ...manyEvents(2)]);
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    const iterator = parseEventStream(stream, { signal: controller.signal, [callback]: abort });
    expect(await iterator.next()).toEqual({ done: false, value: message('0') });
    expect(await rejectionOf(iterator.next())).toBe(controller.signal.reason);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(controller.signal.reason).toMatchObject({ name: 'AbortError' });
    expect(record.pulls).toBe(2);
    expect(record.cancelled).toBe(true);
    expect(record.cancelReason).toBe(controller.signal.reason);
    expect(stream.locked).toBe(false);
  });

  it('an abort from a callback in the first chunk: the first next() throws its reason', async () => {
    const { stream, record } = trackedSource([utf8(': stop\ndata: 1\n\n'), ...manyEvents(2)]);
    const controller = new AbortController();
    const reason = new Error('stopped by onComment');
    const events: ServerSentEvent[] = [];
    let thrown: unknown;
    try {
      for await (const event of parseEventStream(stream, { signal: controller.signal, onComment: () => controller.abort(reason) })) {
        events.push(event);
      }
    } catch (error) {
      thrown = error;
    }
    expect(events).toEqual([]);
    expect(thrown).toBe(reason);
    expect(record.cancelReason).toBe(reason);
    expect(stream.locked).toBe(false);
  });

  it('an already-aborted signal throws before reading, and cancels the source', async () => {
    const { stream, record } = trackedSource(manyEvents(3));
    const signal = AbortSignal.abort();
    const iterator = parseEventStream(stream, { signal });
    await expect(iterator.next()).rejects.toBe(signal.reason);
    expect(signal.reason).toMatchObject({ name: 'AbortError' });
    expect(record.pulls).toBe(0);
    expect(record.cancelled).toBe(true);
    expect(record.cancelReason).toBe(signal.reason);
  });

  it('a source that errors propagates the error and releases the lock', async () => {
    const failure = new TypeError('terminated');
    const { stream, record } = trackedSource(manyEvents(2), failure);
    const seen: string[] = [];
    let thrown: unknown;
    try {
      for await (const event of parseEventStream(stream)) seen.push(event.data);
    } catch (error) {
      thrown = error;
    }
    expect(seen).toEqual(['0', '1']);
    expect(thrown).toBe(failure);
    expect(record.cancelled).toBe(false); // an errored stream needs no cancel
    expect(stream.locked).toBe(false);
  });
});

describe('no added latency', () => {
  it('an event is delivered in the task in which the bytes that end it arrive', async () => {
    let source!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({ start: (controller) => void (source = controller) });
    const received: string[] = [];
    const reading = (async () => {
      for await (const event of parseEventStream(stream)) received.push(event.data);
    })();
    await inTask(() => source.enqueue(utf8('data: a\n')));
    expect(received).toEqual([]);
    await inTask(() => source.enqueue(utf8('\ndata: b')));
    expect(received).toEqual(['a']);
    await inTask(() => source.enqueue(utf8('\r')));
    await inTask(() => source.enqueue(utf8('\r')));
    expect(received).toEqual(['a', 'b']);
    source.close();
    await reading;
  });
});

describe('calls to next() that overlap', () => {
  it('are served in stream order, as an async generator serves them', async () => {
    // Chunks of two events, of none, and of one: each next() must take the next event.
    const chunks = [utf8('data: a\n\ndata: b\n\n'), utf8(': ping\n'), utf8('data: c\n\n')];
    const iterator = parseEventStream(readableFromChunks(chunks));
    const results = await Promise.all([iterator.next(), iterator.next(), iterator.next(), iterator.next()]);
    expect(results).toEqual([
      { done: false, value: message('a') },
      { done: false, value: message('b') },
      { done: false, value: message('c') },
      { done: true, value: undefined },
    ]);
  });
});

describe('maxEventSize', () => {
  it('an oversized event throws EventTooLargeError and cancels the source', async () => {
    const chunks = [utf8('data: ok\n\ndata: '), ...Array.from({ length: 50 }, () => utf8('x'.repeat(100)))];
    const { stream, record } = trackedSource(chunks);
    const seen: string[] = [];
    let thrown: unknown;
    try {
      for await (const event of parseEventStream(stream, { maxEventSize: 1000 })) seen.push(event.data);
    } catch (error) {
      thrown = error;
    }
    expect(seen).toEqual(['ok']);
    expect(thrown).toBeInstanceOf(EventTooLargeError);
    expect(thrown).toMatchObject({ maxEventSize: 1000 });
    expect(record.cancelled).toBe(true);
    expect(record.pulls).toBeLessThan(chunks.length); // it stopped reading
    expect(stream.locked).toBe(false);
  });

  it('the events before the oversized one are delivered, however the bytes are chunked, and none after it', async () => {
    const bytes = utf8(`data: a\n\ndata: b\n\ndata: ${'x'.repeat(40)}\n\ndata: c\n\n`);
    for (const { name, chunks } of chunkings(bytes, { seeds: [1, 2, 3] })) {
      const seen: string[] = [];
      let thrown: unknown;
      try {
        for await (const event of parseEventStream(readableFromChunks(chunks), { maxEventSize: 20 })) {
          seen.push(event.data);
        }
      } catch (error) {
        thrown = error;
      }
      expect(seen, name).toEqual(['a', 'b']);
      expect(thrown, name).toBeInstanceOf(EventTooLargeError);
    }
  });
});

describe('callbacks', () => {
  it('onRetry and onComment are called as their lines arrive', async () => {
    const retries: number[] = [];
    const comments: string[] = [];
    const events = await collect([utf8('retry: 1500\n: ping\n\ndata: x\n\n')], {
      onRetry: (retry) => retries.push(retry),
      onComment: (comment) => comments.push(comment),
    });
    expect(events).toStrictEqual([message('x')]);
    expect(retries).toEqual([1500]);
    expect(comments).toEqual(['ping']);
  });
});
