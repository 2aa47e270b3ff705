// Adversarial property tests of the string parser's fast path (one `data` line, then a blank line,
// with nothing pending: dispatched where its line is found). Streams are built mostly of that
// shape, mixed with what may be pending around it (an `event` type, an `id`, also one with NULL,
// `retry` fields, comments, a second data line, a leading U+FEFF) and CR, LF and CRLF endings,
// then split anywhere, often between a CR and its LF and into one-character chunks. The oracle is
// the reference parser (src/test/reference-parser.ts), with small models on top of it for a
// `reset()` or a `feed()` from `onEvent` and for `maxEventSize`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createParser, type EventSourceParser } from './parse.js';
import { referenceParse } from './test/reference-parser.js';
import { splitAt } from './testing/chunking.js';
import type { ServerSentEvent } from './types.js';

const NUM_RUNS = 400;
const SEED = 20_261_202; // fixed: the suite is deterministic; change it locally to explore

const value = fc.constantFrom('', 'x', ' x', '  y', 'a\u0000b', '7', '123', 'é中😀', '\uFEFF', ':', 'a value longer than most');
const ending = fc.constantFrom('\n', '\r', '\r\n');

/** A line that may leave something pending before a fast-path event, or that makes the event take the slow path. */
const otherLine = fc.oneof(
  fc.tuple(fc.constantFrom('event:', 'event: '), value).map(([name, text]) => name + text),
  fc.tuple(fc.constantFrom('id:', 'id: ', 'id'), value).map(([name, text]) => name + text),
  fc.constantFrom('retry: 100', 'retry:7', 'retry: x', 'retry'),
  value.map((text) => `:${text}`),
  fc.constantFrom('Data: x', 'data ', 'foo', '\uFEFFdata: y', 'data', '\tdata: t', ' data: s'),
  fc.tuple(fc.constantFrom('data:', 'data: '), value).map(([name, text]) => name + text),
);

/** A fast-path event: a data line and a blank line, `data:x\n\n` in its most common form. */
const fastEvent = fc
  .tuple(fc.constantFrom('data:', 'data: ', 'data:  '), value, fc.constantFrom('\n\n', '\n\n', '\r\n\r\n', '\n\r\n', '\r\r', '\n\r'))
  .map(([name, text, end]) => name + text + end);

const piece = fc.oneof(
  { weight: 5, arbitrary: fastEvent },
  { weight: 3, arbitrary: fc.tuple(otherLine, ending).map(([text, end]) => text + end) },
  { weight: 1, arbitrary: ending }, // a blank line (or the end of an unfinished event)
);

const streamArb = fc
  .tuple(
    fc.constantFrom('', '', '\uFEFF'),
    fc.array(piece, { maxLength: 30 }),
    fc.option(otherLine, { nil: undefined }),
  )
  .map(([bom, pieces, last]) => bom + pieces.join('') + (last ?? ''));

/**
 * Cut points: random ones, ones between every CR and the character after it (the LF of a CRLF
 * ending a chunk, or starting the next), and sometimes one at every position.
 */
const cutsOf = (input: string) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: input.length }), { maxLength: 30 }),
      fc.boolean(),
      fc.integer({ min: 0, max: 9 }),
    )
    .map(([random, afterCR, mode]) => {
      if (mode === 0) return Array.from({ length: input.length + 1 }, (_, index) => index);
      const cuts = [...random];
      if (afterCR) for (let index = 0; index < input.length; index += 1) if (input[index] === '\r') cuts.push(index + 1);
      return cuts.sort((a, b) => a - b);
    });

const chunkedStream = streamArb.chain((input) =>
  fc.record({ input: fc.constant(input), cuts: cutsOf(input), initialLastEventId: fc.constantFrom('', 'start') }),
);

type Entry = ['event', ServerSentEvent] | ['retry', number] | ['comment', string] | ['error', number] | ['lastEventId', string];

/** What the reference reports for `input`, as events only (retries and comments are checked by the first property). */
const referenceEvents = (input: string, initialLastEventId = ''): ServerSentEvent[] =>
  referenceParse(input, initialLastEventId).events;

describe('the fast path equals the reference under adversarial chunkings', () => {
  it('events, retry values, comments and the last event ID, with pending fields, CR/LF/CRLF and a BOM around data-then-blank events', () => {
    fc.assert(
      fc.property(chunkedStream, ({ input, cuts, initialLastEventId }) => {
        const events: ServerSentEvent[] = [];
        const retries: number[] = [];
        const comments: string[] = [];
        const parser = createParser(
          {
            onEvent: (event) => events.push(event),
            onRetry: (retry) => retries.push(retry),
            onComment: (comment) => comments.push(comment),
          },
          { lastEventId: initialLastEventId },
        );
        for (const chunk of splitAt(input, cuts)) parser.feed(chunk);
        expect({ events, retries, comments, lastEventId: parser.lastEventId }).toStrictEqual(
          referenceParse(input, initialLastEventId),
        );
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });

  it('the last event ID read after each chunk is the reference one for the text fed so far', () => {
    fc.assert(
      fc.property(chunkedStream, ({ input, cuts, initialLastEventId }) => {
        const parser = createParser({ onEvent: () => undefined }, { lastEventId: initialLastEventId });
        let fed = '';
        for (const chunk of splitAt(input, cuts)) {
          parser.feed(chunk);
          fed += chunk;
          expect(parser.lastEventId).toBe(referenceParse(fed, initialLastEventId).lastEventId);
        }
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });
});

describe('reentrant calls from onEvent around the fast path', () => {
  const reentrant = chunkedStream.chain((stream) =>
    fc.record({ stream: fc.constant(stream), at: fc.integer({ min: 0, max: 12 }), extra: fc.oneof(fc.constant(''), streamArb) }),
  );

  /**
   * Feeds `chunks` to a parser that calls `act(parser)` from its `at + 1`-th `onEvent`. Gives the
   * events, the parser, and the index of the chunk being parsed then (-1 when there were fewer events).
   */
  function feedActingOnEvent(
    chunks: string[],
    initialLastEventId: string,
    at: number,
    act: (parser: EventSourceParser) => void,
  ): { events: ServerSentEvent[]; parser: EventSourceParser; actedIn: number } {
    const events: ServerSentEvent[] = [];
    let actedIn = -1;
    let current = 0;
    const parser: EventSourceParser = createParser(
      {
        onEvent: (event) => {
          events.push(event);
          if (events.length === at + 1 && actedIn < 0) {
            actedIn = current;
            act(parser);
          }
        },
      },
      { lastEventId: initialLastEventId },
    );
    for (current = 0; current < chunks.length; current += 1) parser.feed(chunks[current]!);
    return { events, parser, actedIn };
  }

  it('reset() from the n-th onEvent drops the rest of its chunk; the next chunks are a new stream', () => {
    fc.assert(
      fc.property(reentrant, ({ stream: { input, cuts, initialLastEventId }, at }) => {
        const chunks = splitAt(input, cuts);
        const { events, parser, actedIn } = feedActingOnEvent(chunks, initialLastEventId, at, (p) => p.reset());
        const all = referenceEvents(input, initialLastEventId);
        if (actedIn < 0) {
          expect(events).toStrictEqual(all);
          return;
        }
        const rest = chunks.slice(actedIn + 1).join('');
        expect(events).toStrictEqual([...all.slice(0, at + 1), ...referenceEvents(rest, initialLastEventId)]);
        expect(parser.lastEventId).toBe(referenceParse(rest, initialLastEventId).lastEventId);
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });

  it('feed() from the n-th onEvent continues the stream after the chunk being parsed', () => {
    fc.assert(
      fc.property(reentrant, ({ stream: { input, cuts, initialLastEventId }, at, extra }) => {
        const chunks = splitAt(input, cuts);
        const { events, parser, actedIn } = feedActingOnEvent(chunks, initialLastEventId, at, (p) => {
          // In two pieces, the cut between a CR and what follows when there is one.
          const cut = extra.indexOf('\r') + 1;
          p.feed(extra.slice(0, cut));
          p.feed(extra.slice(cut));
        });
        const whole = actedIn < 0 ? input : chunks.slice(0, actedIn + 1).join('') + extra + chunks.slice(actedIn + 1).join('');
        expect(events).toStrictEqual(referenceEvents(whole, initialLastEventId));
        expect(parser.lastEventId).toBe(referenceParse(whole, initialLastEventId).lastEventId);
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });
});

/**
 * What a parser with `maxEventSize` and `onError` reports for `input`, from the documented rule
 * applied line by line: a line, without its ending, plus the event's data buffer so far (each
 * value plus its LF) past `maxEventSize` is an error, once per event; the rest of that event is
 * ignored up to its blank line, which still applies rule 16. An unfinished last line past the
 * bound is an error too. Fields before the oversized line keep their effect.
 */
function boundedModel(input: string, maxEventSize: number): Entry[] {
  const log: Entry[] = [];
  let data: string[] = [];
  let dataLength = 0;
  let type = '';
  let idBuffer = '';
  let lastEventId = '';
  let oversized = false;
  const lines = input.split(/\r\n|\r|\n/);
  const unfinished = lines.pop()!;
  for (const line of lines) {
    if (line === '') {
      lastEventId = idBuffer;
      if (!oversized && dataLength > 0) log.push(['event', { type: type || 'message', data: data.join('\n'), lastEventId }]);
      data = [];
      dataLength = 0;
      type = '';
      oversized = false;
      continue;
    }
    if (oversized) continue;
    if (line.length + dataLength > maxEventSize) {
      log.push(['error', maxEventSize]);
      oversized = true;
      data = [];
      dataLength = 0;
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let text = colon < 0 ? '' : line.slice(colon + 1);
    if (text.startsWith(' ')) text = text.slice(1);
    if (name === 'data') {
      data.push(text);
      dataLength += text.length + 1;
    } else if (name === 'event') type = text;
    else if (name === 'id' && !text.includes('\u0000')) idBuffer = text;
    else if (name === 'retry' && /^\d+$/.test(text)) log.push(['retry', Number(text)]);
    else if (name === '') log.push(['comment', text]);
  }
  if (!oversized && unfinished.length + dataLength > maxEventSize) log.push(['error', maxEventSize]);
  log.push(['lastEventId', lastEventId]);
  return log;
}

describe('maxEventSize around the fast path', () => {
  const bounded = chunkedStream.chain((stream) => fc.record({ stream: fc.constant(stream), maxEventSize: fc.integer({ min: 1, max: 40 }) }));

  it('the model agrees with the reference when nothing is oversized (so comparing with it means something)', () => {
    const input = 'id: 1\ndata: a\n\n: c\r\nretry: 5\revent: e\ndata:b\ndata\n\n';
    const reference = referenceParse(input);
    expect(boundedModel(input, Infinity)).toStrictEqual([
      ['event', reference.events[0]],
      ['comment', 'c'],
      ['retry', 5],
      ['event', reference.events[1]],
      ['lastEventId', '1'],
    ]);
  });

  it('errors at the same lines as the line-by-line rule, and the same events, retries and comments, under any chunking', () => {
    fc.assert(
      fc.property(bounded, ({ stream: { input, cuts }, maxEventSize }) => {
        // A leading U+FEFF is an ordinary character of the first line here (the model splits lines only).
        const log: Entry[] = [];
        const parser = createParser(
          {
            onEvent: (event) => log.push(['event', event]),
            onRetry: (retry) => log.push(['retry', retry]),
            onComment: (comment) => log.push(['comment', comment]),
            onError: (error) => log.push(['error', error.maxEventSize]),
          },
          { maxEventSize },
        );
        for (const chunk of splitAt(input, cuts)) parser.feed(chunk);
        log.push(['lastEventId', parser.lastEventId]);
        expect(log).toStrictEqual(boundedModel(input, maxEventSize));
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });

  it('a fast-path line exactly at the bound is dispatched; one code unit more is an error, in one chunk or split anywhere', () => {
    for (const input of ['data: abc\n\n', 'event: e\nid: 1\ndata: abc\n\n']) {
      for (let cut = 0; cut <= input.length; cut += 1) {
        const chunks = splitAt(input, [cut]);
        expect(boundedLog(chunks, 9)).toStrictEqual(boundedModel(input, 9));
        expect(boundedLog(chunks, 9).filter(([kind]) => kind === 'event')).toHaveLength(1);
        expect(boundedLog(chunks, 8)).toStrictEqual(boundedModel(input, 8));
        expect(boundedLog(chunks, 8)).toContainEqual(['error', 8]);
      }
    }
  });

  it('without onError, feed throws at the oversized fast-path line, after the events before it in the chunk', () => {
    const events: string[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event.data) }, { maxEventSize: 8 });
    expect(() => parser.feed('data: ab\n\ndata: abcd\n\ndata: c\n\n')).toThrow(expect.objectContaining({ name: 'EventTooLargeError' }));
    expect(events).toStrictEqual(['ab']);
    parser.reset();
    parser.feed('data: c\n\n');
    expect(events).toStrictEqual(['ab', 'c']);
  });
});

function boundedLog(chunks: readonly string[], maxEventSize: number): Entry[] {
  const log: Entry[] = [];
  const parser = createParser(
    {
      onEvent: (event) => log.push(['event', event]),
      onRetry: (retry) => log.push(['retry', retry]),
      onComment: (comment) => log.push(['comment', comment]),
      onError: (error) => log.push(['error', error.maxEventSize]),
    },
    { maxEventSize },
  );
  for (const chunk of chunks) parser.feed(chunk);
  log.push(['lastEventId', parser.lastEventId]);
  return log;
}

describe('fast-path cases named in the review', () => {
  const feedAll = (chunks: readonly string[], initialLastEventId = '') => {
    const events: ServerSentEvent[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) }, { lastEventId: initialLastEventId });
    for (const chunk of chunks) parser.feed(chunk);
    return { events, lastEventId: parser.lastEventId };
  };

  it('an event type and an id set earlier in the same event are used, then the type is cleared and the id persists', () => {
    expect(feedAll(['event: e\nid: 1\ndata: a\n\ndata: b\n\n'])).toStrictEqual({
      events: [
        { type: 'e', data: 'a', lastEventId: '1' },
        { type: 'message', data: 'b', lastEventId: '1' },
      ],
      lastEventId: '1',
    });
  });

  it('an id with NULL is ignored: the fast-path event carries the id before it', () => {
    expect(feedAll(['id: 1\n\nid: 2\u00003\ndata: a\n\n'], 'start').events).toStrictEqual([
      { type: 'message', data: 'a', lastEventId: '1' },
    ]);
  });

  it('a CR ending a chunk and the LF starting the next are one line ending, also before a fast-path event', () => {
    for (const chunks of [
      ['id: 1\r', '\ndata: a\n\n'],
      ['data: a\r', '\n\r', '\ndata: b\n\n'],
      ['data: a\n\r', '\ndata: b\n\n'],
      [':c\r', '\n', 'data: a\n\n'],
    ]) {
      expect(feedAll(chunks).events, JSON.stringify(chunks)).toStrictEqual(referenceParse(chunks.join('')).events);
    }
  });

  it('a leading U+FEFF is part of the first line for the string parser (the decoder removes a BOM): no fast-path event from it', () => {
    expect(feedAll(['\uFEFFdata: a\n\ndata: b\n\n']).events).toStrictEqual([{ type: 'message', data: 'b', lastEventId: '' }]);
  });
});
