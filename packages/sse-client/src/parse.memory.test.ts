// maxEventSize bounds the heap a parser really holds, however the pending event is split into
// lines and chunks: many 1- or 2-unit data lines, one long line fed a character at a time, long
// lines. The factors asserted are the ones documented on `ParserOptions.maxEventSize`.
// Runs in the `sse-client-memory` project (`--expose-gc`, a process of its own).
import { beforeAll, describe, expect, it } from 'vitest';
import { createParser, type EventSourceParser } from './parse.js';
import { retainedBytes } from './test/heap.js';

const MAX_EVENT_SIZE = 1024 * 1024;
/** Documented: bytes per code unit of maxEventSize held by the pending event (line plus data buffer). */
const PENDING_EVENT_BYTES_PER_UNIT = { oneByte: 1.5, twoByte: 2.5 };
/** Documented: bytes per code unit of maxEventSize held by the whole parser at worst (also `event`, `id`s). */
const PARSER_BYTES_PER_UNIT = { oneByte: 4.5, twoByte: 8.5 };
/** Stop this many code units short of the limit: the event sits just under it. */
const MARGIN = 256;

/** A new one-character string each call (`a`..`z`, or CJK ideographs when `twoByte`): nothing shared. */
function character(index: number, twoByte: boolean): string {
  return String.fromCharCode(twoByte ? 0x4e00 + (index % 2000) : 0x61 + (index % 26));
}

/** `count` characters of text, as one new string. */
function text(count: number, twoByte: boolean, offset = 0): string {
  const block: string[] = [];
  for (let index = 0; index < Math.min(count, 4096); index += 1) block.push(character(offset + index, twoByte));
  return block.join('').repeat(Math.ceil(count / 4096)).slice(0, count);
}

/** Feeds `lines` (each with its LF) to `parser`, many lines to a chunk of about 64 Ki code units. */
function feedLines(parser: EventSourceParser, lines: Iterable<string>): void {
  let chunk: string[] = [];
  let length = 0;
  for (const line of lines) {
    chunk.push(line);
    length += line.length;
    if (length >= 65_536) {
      parser.feed(chunk.join(''));
      chunk = [];
      length = 0;
    }
  }
  parser.feed(chunk.join(''));
}

/** Data lines of `value(i)` until the data buffer (each value plus its LF) is just under the limit. */
function* dataLines(value: (index: number) => string): Generator<string, void, undefined> {
  let size = 0;
  for (let index = 0; ; index += 1) {
    const next = value(index);
    size += next.length + 1;
    if (size > MAX_EVENT_SIZE - MARGIN) return;
    yield next === '' ? 'data\n' : `data: ${next}\n`;
  }
}

/** A parser that fails the test if the event is reported too large or dispatched. */
function newParser(): EventSourceParser {
  return createParser(
    {
      onEvent: () => expect.fail('the event must still be pending'),
      onError: () => expect.fail('the event must stay under maxEventSize'),
    },
    { maxEventSize: MAX_EVENT_SIZE },
  );
}

/** Heap bytes held by a parser after `fill(parser)`, per code unit of maxEventSize. */
function bytesPerUnit(fill: (parser: EventSourceParser) => void): number {
  return (
    retainedBytes(() => {
      const parser = newParser();
      fill(parser);
      return parser;
    }) / MAX_EVENT_SIZE
  );
}

describe('the heap held by a pending event just under maxEventSize (1 Mi code units)', () => {
  beforeAll(() => {
    // Code compiled and state created on first use are not counted.
    for (let index = 0; index < 3; index += 1) {
      const parser = createParser({ onEvent: () => undefined });
      feedLines(parser, ['data: x\n'.repeat(1000), 'data\n'.repeat(1000), `data: ${text(1000, true)}\n`, '\n']);
      parser.feed('data: ');
      for (let i = 0; i < 1000; i += 1) parser.feed(character(i, i % 2 === 0));
    }
  });

  describe('one-byte text: at most 1.5 bytes per code unit of maxEventSize', () => {
    it.each<[string, (parser: EventSourceParser) => void]>([
      // Before the fix: 32 bytes per code unit (a rope node per line).
      ['`data: x` lines (2 code units each), many to a chunk', (parser) => feedLines(parser, dataLines(() => 'x'))],
      ['`data` lines without a value (1 code unit each)', (parser) => feedLines(parser, dataLines(() => ''))],
      [
        '`data: x` lines, one to a chunk',
        (parser) => {
          for (const line of dataLines((index) => character(index, false))) parser.feed(line);
        },
      ],
      ['lines of 20 characters', (parser) => feedLines(parser, dataLines((index) => text(20, false, index)))],
      [
        // Before the fix: 10 bytes per code unit (an array slot per chunk).
        'one line fed one character to a chunk',
        (parser) => {
          parser.feed('data: ');
          for (let index = 0; index < MAX_EVENT_SIZE - MARGIN; index += 1) parser.feed(character(index, false));
        },
      ],
      [
        'one line fed in chunks of 1 to 256 characters',
        (parser) => {
          parser.feed('data: ');
          for (let fed = 0, index = 0; fed < MAX_EVENT_SIZE - MARGIN - 256; index += 1) {
            const size = 1 + ((index * 7919) % 256);
            parser.feed(text(size, false, index));
            fed += size;
          }
        },
      ],
    ])('%s', (_name, fill) => {
      expect(bytesPerUnit(fill)).toBeLessThanOrEqual(PENDING_EVENT_BYTES_PER_UNIT.oneByte);
    });
  });

  describe('two-byte text (CJK, emoji): at most 2.5 bytes per code unit of maxEventSize', () => {
    it.each<[string, (parser: EventSourceParser) => void]>([
      // Before the fix: 44 bytes per code unit.
      [
        '`data: 中` lines (2 code units each), many to a chunk',
        (parser) => feedLines(parser, dataLines((index) => character(index, true))),
      ],
      [
        // Before the fix: 34 bytes per code unit.
        'one line fed one character to a chunk',
        (parser) => {
          parser.feed('data: ');
          for (let index = 0; index < MAX_EVENT_SIZE - MARGIN; index += 1) parser.feed(character(index, true));
        },
      ],
    ])('%s', (_name, fill) => {
      expect(bytesPerUnit(fill)).toBeLessThanOrEqual(PENDING_EVENT_BYTES_PER_UNIT.twoByte);
    });
  });
});

describe('the heap held by a whole parser at worst: last event ID, pending id, event type and pending event each just under maxEventSize', () => {
  it.each([
    ['one-byte text', PARSER_BYTES_PER_UNIT.oneByte, false],
    ['two-byte text', PARSER_BYTES_PER_UNIT.twoByte, true],
  ] as const)('%s: at most %s bytes per code unit of maxEventSize', (_name, bound, twoByte) => {
    const held = bytesPerUnit((parser) => {
      const value = (offset: number): string => text(MAX_EVENT_SIZE - MARGIN, twoByte, offset);
      parser.feed(`id: ${value(1)}\n\n`);
      parser.feed(`id: ${value(2)}\n`);
      parser.feed(`event: ${value(3)}\n`);
      parser.feed('data: ');
      for (let index = 0; index < MAX_EVENT_SIZE - MARGIN; index += 1) parser.feed(character(index, twoByte));
    });
    expect(held).toBeLessThanOrEqual(bound);
  });
});
