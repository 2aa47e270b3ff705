// Lines that span chunks: the parser keeps the pieces of the unfinished line and parses the line
// once its end arrives. That must give what the whole line in one chunk gives, wherever the chunks
// are cut, in particular inside the `data:` prefix and right before or after its optional space.
import { describe, expect, it } from 'vitest';
import { createParser } from './parse.js';
import { event, parseChunks, parseUnderEveryChunking } from './test/parse-helpers.js';
import type { ServerSentEvent } from './types.js';

/** `text` cut at `first`, the rest in chunks of `size` code units. */
function cutAt(text: string, first: number, size: number): string[] {
  const chunks = [text.slice(0, first)];
  for (let offset = first; offset < text.length; offset += size) chunks.push(text.slice(offset, offset + size));
  return chunks;
}

describe('a line that spans chunks, cut anywhere in its first code units', () => {
  const long = Array.from({ length: 3000 }, (_, index) => String.fromCharCode(0x61 + (index % 26))).join('');

  it.each([
    ['data: ', long],
    ['data:', long],
    ['data:  ', long],
    ['data:x', long],
  ])('%j then a long value: the value whole, one leading space removed', (prefix, value) => {
    const input = `${prefix}${value}\n\n`;
    const expected = parseChunks([input]).events;
    expect(expected).toHaveLength(1);
    for (let first = 1; first <= 9; first += 1) {
      for (const size of [1, 7, 128, 4096]) {
        expect(parseChunks(cutAt(input, first, size)).events, `first ${first}, then ${size}`).toStrictEqual(expected);
      }
    }
  });

  it('a data line without a colon, cut inside its name, is a data line with an empty value', () => {
    expect(parseUnderEveryChunking('data\n\n').events).toEqual([event('')]);
    expect(parseChunks(['da', 'ta', '\n\n']).events).toEqual([event('')]);
  });

  it('a line that only starts like data is another field', () => {
    expect(parseChunks(['dat', 'ax: 1\ndata: ok\n\n']).events).toEqual([event('ok')]);
    expect(parseChunks(['data', 'x: 1\n', 'data: ok\n\n']).events).toEqual([event('ok')]);
  });

  it('long event, id, comment and retry lines spanning chunks keep their values', () => {
    const value = long.slice(0, 700);
    const input = `event: ${value}\nid: ${value}\n: ${value}\nretry: ${'9'.repeat(12)}\ndata: x\n\n`;
    const result = parseUnderEveryChunking(input, {}, { maxChunkSize: 300, twoWaySplits: false });
    expect(result.events).toEqual([event('x', { type: value, lastEventId: value })]);
    expect(result.comments).toEqual([value]);
    expect(result.retries).toEqual([999_999_999_999]);
  });

  it('a long data line after other data lines, and before more: joined with LF, in order', () => {
    const input = `data: a\ndata: ${long}\ndata: b\n\ndata: ${long}\ndata\n\n`;
    const result = parseUnderEveryChunking(input, {}, { maxChunkSize: 500, twoWaySplits: false });
    expect(result.events).toEqual([event(`a\n${long}\nb`), event(`${long}\n`)]);
  });

  it('the data of a line that spans chunks reads as a plain string', () => {
    const events: ServerSentEvent[] = [];
    const parser = createParser({ onEvent: (received) => events.push(received) });
    for (const chunk of cutAt(`data: ${long}\n\n`, 6, 64)) parser.feed(chunk);
    expect(events).toHaveLength(1);
    const data = events[0]!.data;
    expect(data.length).toBe(long.length);
    expect(data.charCodeAt(long.length - 1)).toBe(long.charCodeAt(long.length - 1));
    expect(JSON.parse(JSON.stringify(data))).toBe(long);
  });

  it('maxEventSize counts the whole line, whichever chunks it came in', () => {
    // "data: " and 14 code units: 20 in all.
    const value = 'x'.repeat(14);
    expect(parseUnderEveryChunking(`data: ${value}\n\n`, { maxEventSize: 20 })).toMatchObject({ events: [event(value)], errors: [] });
    expect(parseUnderEveryChunking(`data: ${value}y\n\ndata: ok\n\n`, { maxEventSize: 20 })).toMatchObject({
      events: [event('ok')],
      errors: [20],
    });
  });
});
