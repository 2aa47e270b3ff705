// Property tests of the string parser on generated streams. The oracle is the reference parser
// of src/test/reference-parser.ts, written straight from the numbered rules of
// docs/event-stream-parsing.md: under any chunking the parser must report exactly what the
// reference reports for the whole stream. eventsource-parser 4.1 is compared too, as a second
// opinion, with the one difference of input the rules explain (a leading byte order mark).
import fc from 'fast-check';
import { createParser as createLibraryParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { createParser } from './parse.js';
import { referenceParse, type ReferenceResult } from './test/reference-parser.js';
import { splitAt } from './testing/chunking.js';

const NUM_RUNS = 300;
const SEED = 20_240_601; // fixed: the suite is deterministic; change it locally to explore

// --- Generated streams --------------------------------------------------------------------

const noLineBreaks = (text: string): string => text.replace(/[\r\n]/g, '');

/** Characters that matter to the rules, plus plain ones. */
const interestingChar = fc.constantFrom(':', ' ', ' ', '\t', '\u0000', '\uFEFF', 'a', 'b', '1', '0', 'é', '中', '😀', '-', 'x');

/** A value: no CR or LF (they would end the line), otherwise arbitrary unicode. */
const value = fc.oneof(
  fc.string({ unit: interestingChar, maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }).map(noLineBreaks),
);

/** What follows a field name: a colon with zero, one or two spaces. */
const separator = fc.constantFrom(':', ': ', ':  ');

const fieldLine = (name: string) => fc.tuple(separator, value).map(([sep, text]) => `${name}${sep}${text}`);

const line = fc.oneof(
  { weight: 8, arbitrary: fieldLine('data') },
  { weight: 2, arbitrary: fieldLine('event') },
  { weight: 2, arbitrary: fieldLine('id') },
  {
    weight: 2,
    arbitrary: fc
      .tuple(separator, fc.oneof(fc.stringMatching(/^[0-9]{1,6}$/), value))
      .map(([sep, text]) => `retry${sep}${text}`),
  },
  { weight: 2, arbitrary: value.map((text) => `:${text}`) }, // comment
  { weight: 2, arbitrary: fc.constantFrom('data', 'event', 'id', 'retry') }, // no colon
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('Data', 'data ', ' data', 'foo', '\uFEFFdata', 'ID', 'eventx', ''), separator, value)
      .map(([name, sep, text]) => (name === '' ? 'unknown' : `${name}${sep}${text}`)),
  },
  { weight: 1, arbitrary: value.filter((text) => text !== '' && !text.startsWith(':')) }, // anything, no colon or with one
  { weight: 7, arbitrary: fc.constant('') }, // blank line: dispatch
);

const lineEnding = fc.constantFrom('\n', '\r', '\r\n');

/** A whole stream: lines with arbitrary endings, perhaps an unfinished last line. */
const streamArb = fc
  .tuple(fc.array(fc.tuple(line, lineEnding), { maxLength: 40, size: 'medium' }), fc.option(line, { nil: undefined }))
  .map(([lines, last]) => lines.map(([text, eol]) => text + eol).join('') + (last ?? ''));


/**
 * A stream, the `lastEventId` option to start from, and the stream split at arbitrary positions
 * (possibly repeated, giving empty chunks).
 */
const chunkedStream = fc
  .record({ input: streamArb, initialLastEventId: fc.oneof(fc.constant(''), value) })
  .chain(({ input, initialLastEventId }) =>
    fc.array(fc.integer({ min: 0, max: input.length }), { maxLength: 40 }).map((positions) => ({
      input,
      initialLastEventId,
      chunks: splitAt(input, [...positions].sort((a, b) => a - b)),
    })),
  );

/** Feeds `chunks` to a new parser and returns what it reported, in the reference's shape. */
function parse(chunks: readonly string[], initialLastEventId = ''): ReferenceResult {
  const result: ReferenceResult = { events: [], retries: [], comments: [], lastEventId: '' };
  const parser = createParser(
    {
      onEvent: (event) => result.events.push(event),
      onRetry: (retry) => result.retries.push(retry),
      onComment: (comment) => result.comments.push(comment),
    },
    { lastEventId: initialLastEventId },
  );
  for (const chunk of chunks) parser.feed(chunk);
  result.lastEventId = parser.lastEventId;
  return result;
}

describe('the parser equals the reference parser (the numbered rules applied to the whole stream)', () => {
  it('under any chunking: the same events, retry values, comments and last event ID', () => {
    fc.assert(
      fc.property(chunkedStream, ({ input, initialLastEventId, chunks }) => {
        expect(parse(chunks, initialLastEventId)).toStrictEqual(referenceParse(input, initialLastEventId));
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });

  it('under any chunking: the same result as the whole stream in one chunk', () => {
    fc.assert(
      fc.property(chunkedStream, ({ input, chunks }) => {
        expect(parse(chunks)).toStrictEqual(parse([input]));
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });

  it('chunks "data<CR><CR>" then "e": one event (a lone CR ends a line, rule 5; the second CR is a blank line, rule 7)', () => {
    const expected = [{ type: 'message', data: '', lastEventId: '' }];
    expect(referenceParse('data\r\re').events).toStrictEqual(expected);
    expect(parse(['data\r\r', 'e']).events).toStrictEqual(expected);
  });
});

describe('the reference parser itself follows the rules (so that comparing with it means something)', () => {
  it('line endings: CRLF, LF and lone CR, and CRLF is one ending (rules 5 and 6)', () => {
    expect(referenceParse('data: a\r\ndata: b\rdata: c\n\r\n').events).toStrictEqual([
      { type: 'message', data: 'a\nb\nc', lastEventId: '' },
    ]);
    expect(referenceParse('data: a\n\rdata: b\r\r\n').events).toHaveLength(2);
  });

  it('fields, comments and dispatch (rules 8 to 20)', () => {
    expect(referenceParse('data\ndata\n\nid: 1\r\rdata:  x\rretry: 03000\r\n: c\n\n')).toStrictEqual({
      events: [
        { type: 'message', data: '\n', lastEventId: '' },
        { type: 'message', data: ' x', lastEventId: '1' },
      ],
      retries: [3000],
      comments: ['c'],
      lastEventId: '1',
    });
    expect(referenceParse('Data: x\ndata : y\nevent: e\n\ndata: z\n\n').events).toStrictEqual([
      { type: 'message', data: 'z', lastEventId: '' },
    ]);
    expect(referenceParse('id: a\u0000\nretry: 1x\nretry:  5\nretry\ndata:\tv\n\n')).toStrictEqual({
      events: [{ type: 'message', data: '\tv', lastEventId: '' }],
      retries: [],
      comments: [],
      lastEventId: '',
    });
  });

  it('the last event ID persists, is set by an event without data, and starts from the given one (rule 16)', () => {
    expect(referenceParse('data: a\n\nid: 7\n\ndata: b\n\nid: 8\ndata: c', 'start')).toStrictEqual({
      events: [
        { type: 'message', data: 'a', lastEventId: 'start' },
        { type: 'message', data: 'b', lastEventId: '7' },
      ],
      retries: [],
      comments: [],
      lastEventId: '7',
    });
  });

  it('an unfinished last line and an event without its blank line are never processed (rule 21)', () => {
    expect(referenceParse('id: 7\n\nevent: e\ndata: a\n\ndata: b\n: c')).toStrictEqual({
      events: [{ type: 'e', data: 'a', lastEventId: '7' }],
      retries: [],
      comments: [],
      lastEventId: '7',
    });
  });
});

// --- eventsource-parser 4.1, a second opinion -----------------------------------------------

/**
 * Feeds `chunks` to eventsource-parser and returns what it reported, in the reference's shape.
 * Its events carry only their own block's `id`; the stream's last event ID (rule 16) is what its
 * `onId` callback last reported, as it reports every block's id on dispatch, with or without data.
 */
function libraryParse(chunks: readonly string[]): ReferenceResult {
  const result: ReferenceResult = { events: [], retries: [], comments: [], lastEventId: '' };
  const parser = createLibraryParser({
    onId: (id) => (result.lastEventId = id),
    onEvent: (event) =>
      result.events.push({ type: event.event ?? 'message', data: event.data, lastEventId: result.lastEventId }),
    onRetry: (retry) => result.retries.push(retry),
    onComment: (comment) => result.comments.push(comment),
  });
  for (const chunk of chunks) parser.feed(chunk);
  return result;
}

/**
 * eventsource-parser strips a leading byte order mark itself (U+FEFF, or its UTF-8 bytes read as
 * Latin-1, `ï»¿`). Our string parser does not: it is fed text from `TextDecoder`, which has already
 * removed the one BOM rule 4 allows, so a U+FEFF still at the start is an ordinary character.
 * Streams that start with either form are left out of the comparison.
 */
const startsWithByteOrderMark = (input: string): boolean => /^(?:\uFEFF|\u00EF\u00BB\u00BF)/.test(input);

describe('agreement with eventsource-parser 4.1 (streams without a leading byte order mark)', () => {
  it('under any chunking: the same events, retry values, comments and last event ID', () => {
    fc.assert(
      fc.property(chunkedStream, ({ input, chunks }) => {
        fc.pre(!startsWithByteOrderMark(input));
        expect(parse(chunks)).toStrictEqual(libraryParse(chunks));
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });

  it('chunks "data<CR><CR>" then "e": one event for it too (eventsource-parser 3.1 dispatched none)', () => {
    expect(libraryParse(['data\r\r', 'e']).events).toStrictEqual([{ type: 'message', data: '', lastEventId: '' }]);
  });

  it('the one difference left out is real: it strips a leading U+FEFF, which our string parser keeps (rule 4)', () => {
    expect(libraryParse(['\uFEFFdata: x\n\n']).events).toHaveLength(1);
    expect(parse(['\uFEFFdata: x\n\n']).events).toHaveLength(0);
  });
});
