// maxEventSize: the parser's bound on one pending event (its unfinished line plus its data
// buffer, in UTF-16 code units). See the "no bound on the pending buffer" item of
// docs/event-stream-parsing.md. Cases run under every chunking where the input is small enough.
import { describe, expect, it } from 'vitest';
import { EventTooLargeError, isTokenStreamError } from './errors.js';
import { createParser, DEFAULT_MAX_EVENT_SIZE } from './parse.js';
import { event, parseChunks, parseUnderEveryChunking } from './test/parse-helpers.js';
import { splitEvery } from './testing/chunking.js';
import type { ServerSentEvent } from './types.js';

describe('maxEventSize must be a positive number', () => {
  it.each([0, -1, Number.NaN, Number.NEGATIVE_INFINITY])('%s throws a RangeError', (maxEventSize) => {
    expect(() => createParser({ onEvent: () => undefined }, { maxEventSize })).toThrow(RangeError);
  });

  it('Infinity disables the bound', () => {
    const data = 'x'.repeat(100_000);
    expect(parseChunks([`data: ${data}\n\n`], { maxEventSize: Number.POSITIVE_INFINITY }).events).toEqual([
      event(data),
    ]);
  });

  it('the default is 16 Mi code units', () => {
    expect(DEFAULT_MAX_EVENT_SIZE).toBe(16 * 1024 * 1024);
    const result = parseChunks([`data: ${'x'.repeat(DEFAULT_MAX_EVENT_SIZE)}`]);
    expect(result.errors).toEqual([DEFAULT_MAX_EVENT_SIZE]);
  });
});

describe('the bound counts the unfinished line plus the data buffer', () => {
  it('a line of exactly maxEventSize code units is accepted; one more is too large', () => {
    // "data: 1234" is 10 code units.
    expect(parseUnderEveryChunking('data: 1234\n\n', { maxEventSize: 10 })).toMatchObject({
      events: [event('1234')],
      errors: [],
    });
    expect(parseUnderEveryChunking('data: 12345\n\n', { maxEventSize: 10 })).toMatchObject({
      events: [],
      errors: [10],
    });
  });

  it('the data buffer of earlier lines counts (each value plus its LF)', () => {
    // After "data: 12" the buffer is "12\n" (3); the next line "data: 1" (7) brings it to 10.
    expect(parseUnderEveryChunking('data: 12\ndata: 1\n\n', { maxEventSize: 10 })).toMatchObject({
      events: [event('12\n1')],
      errors: [],
    });
    expect(parseUnderEveryChunking('data: 12\ndata: 12\n\n', { maxEventSize: 10 })).toMatchObject({
      events: [],
      errors: [10],
    });
  });

  it('any long line counts, not only data: a comment or unknown field that never ends is bounded too', () => {
    expect(parseUnderEveryChunking(`: ${'x'.repeat(30)}\n\ndata: ok\n\n`, { maxEventSize: 20 })).toMatchObject({
      events: [event('ok')],
      comments: [],
      errors: [20],
    });
    expect(parseChunks(splitEvery(`foo: ${'x'.repeat(100)}`, 7), { maxEventSize: 20 }).errors).toEqual([20]);
  });

  it('a new event starts from zero', () => {
    const input = `data: ${'x'.repeat(14)}\n\n`.repeat(5); // each event is 20 code units of line
    expect(parseUnderEveryChunking(input, { maxEventSize: 20 })).toMatchObject({ errors: [] });
  });
});

describe('an oversized event, with onError', () => {
  const big = 'x'.repeat(50);

  it('in one line: one error, the event is not dispatched, the next one is', () => {
    const input = `data: a\n\ndata: ${big}\n\ndata: b\n\n`;
    expect(parseUnderEveryChunking(input, { maxEventSize: 20 })).toMatchObject({
      events: [event('a'), event('b')],
      errors: [20],
    });
  });

  it('grown over many data lines: one error, the rest of the event up to the blank line is discarded', () => {
    const input = `id: 1\nevent: big\n${'data: xxxx\n'.repeat(20)}event: late\nid: 2\n: comment\nretry: 5\n\ndata: b\n\n`;
    expect(parseUnderEveryChunking(input, { maxEventSize: 30 })).toStrictEqual({
      // The id before the overflow counts; the fields after it are dropped with the event.
      events: [event('b', { lastEventId: '1' })],
      retries: [],
      comments: [],
      errors: [30],
    });
  });

  it('several oversized events: one error each', () => {
    const input = `data: ${big}\n\ndata: a\n\ndata: ${big}\r\n\r\ndata: b\r\n\r\n`;
    expect(parseUnderEveryChunking(input, { maxEventSize: 20 })).toMatchObject({
      events: [event('a'), event('b')],
      errors: [20, 20],
    });
  });

  it('a huge line fed in many chunks that ends later: one error, then parsing goes on', () => {
    const chunks = ['data: a\n\n', 'data: ', ...splitEvery('y'.repeat(10_000), 100), '\r', '\n\r\ndata: b\n\n'];
    expect(parseChunks(chunks, { maxEventSize: 1000 })).toMatchObject({
      events: [event('a'), event('b')],
      errors: [1000],
    });
  });

  it('the end of a dropped line is not taken for a blank line', () => {
    // The unfinished line overflows in the first chunk; its LF in the next chunk only ends it.
    expect(parseChunks([`data: ${big}`, '\ndata: c\n\n', 'data: d\n\n'], { maxEventSize: 20 })).toMatchObject({
      events: [event('d')],
      errors: [20],
    });
  });
});

describe('a line that never ends', () => {
  it('reports one error and keeps accepting chunks (1,000 chunks of 1,000 code units, maxEventSize 10,000; the heap it holds: parse.memory.test.ts)', () => {
    const errors: EventTooLargeError[] = [];
    const events: ServerSentEvent[] = [];
    const parser = createParser(
      { onEvent: (e) => events.push(e), onError: (error) => errors.push(error) },
      { maxEventSize: 10_000 },
    );
    parser.feed('data: ');
    const chunk = 'z'.repeat(1000);
    for (let index = 0; index < 1000; index += 1) parser.feed(chunk);
    expect(errors).toHaveLength(1);
    expect(events).toEqual([]);
    // Once the line and its event end, the next event is parsed normally.
    parser.feed('\n\ndata: after\n\n');
    expect(events).toEqual([event('after')]);
    expect(errors).toHaveLength(1);
  });
});

describe('an oversized event, without onError', () => {
  it('feed throws an EventTooLargeError carrying the limit', () => {
    const parser = createParser({ onEvent: () => undefined }, { maxEventSize: 20 });
    let thrown: unknown;
    try {
      parser.feed(`data: ${'x'.repeat(50)}\n\n`);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EventTooLargeError);
    expect(isTokenStreamError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ name: 'EventTooLargeError', maxEventSize: 20 });
  });

  it('throws from the feed where the limit is passed, after dispatching the events before it', () => {
    const events: ServerSentEvent[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e) }, { maxEventSize: 20 });
    parser.feed('data: a\n\ndata: ');
    parser.feed('x'.repeat(10));
    expect(() => parser.feed('x'.repeat(10))).toThrow(EventTooLargeError);
    expect(events).toEqual([event('a')]);
  });

  it('after reset() the parser works again', () => {
    const events: ServerSentEvent[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e) }, { maxEventSize: 20 });
    expect(() => parser.feed(`data: ${'x'.repeat(50)}`)).toThrow(EventTooLargeError);
    parser.reset();
    parser.feed('data: ok\n\n');
    expect(events).toEqual([event('ok')]);
  });
});
