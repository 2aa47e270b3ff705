// Calling the parser from its own callbacks: `feed` from inside `onEvent`, `onRetry`, `onComment`
// or `onError` continues the stream after the chunk being parsed; `reset` from inside a callback
// drops the rest of that chunk. Either way the result must not depend on how the stream is chunked.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createParser, type EventSourceParser } from './parse.js';
import { event } from './test/parse-helpers.js';
import { referenceParse, type ReferenceResult } from './test/reference-parser.js';
import { splitAt } from './testing/chunking.js';
import type { ServerSentEvent } from './types.js';

const NUM_RUNS = 300;
const SEED = 20_240_602;

/**
 * Feeds the first chunk from outside, then each further chunk from inside the next callback the
 * parser calls (event, retry or comment), and whatever is left from outside again.
 */
function feedFromCallbacks(chunks: readonly string[]): ReferenceResult {
  const result: ReferenceResult = { events: [], retries: [], comments: [], lastEventId: '' };
  let next = 0;
  const feedNext = (): void => {
    if (next < chunks.length) parser.feed(chunks[next++]!);
  };
  const parser: EventSourceParser = createParser({
    onEvent: (e) => {
      result.events.push(e);
      feedNext();
    },
    onRetry: (retry) => {
      result.retries.push(retry);
      feedNext();
    },
    onComment: (comment) => {
      result.comments.push(comment);
      feedNext();
    },
  });
  while (next < chunks.length) feedNext();
  result.lastEventId = parser.lastEventId;
  return result;
}

const line = fc.constantFrom('data: a', 'data', 'data: b', 'event: e', 'id: 1', 'id: 2', 'retry: 5', ': c', '', '', '');
const stream = fc
  .array(fc.tuple(line, fc.constantFrom('\n', '\r', '\r\n')), { maxLength: 30 })
  .map((lines) => lines.map(([text, eol]) => text + eol).join(''));
const chunkedStream = stream.chain((input) =>
  fc
    .array(fc.integer({ min: 0, max: input.length }), { maxLength: 30 })
    .map((positions) => ({ input, chunks: splitAt(input, [...positions].sort((a, b) => a - b)) })),
);

describe('feed() called from inside a callback continues the stream after the chunk being parsed', () => {
  it('under any chunking, feeding from callbacks gives what the reference parser gives for the whole stream', () => {
    fc.assert(
      fc.property(chunkedStream, ({ input, chunks }) => {
        expect(feedFromCallbacks(chunks)).toStrictEqual(referenceParse(input));
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });

  it('a CR at the end of the outer chunk and an LF at the start of the re-fed one are one line ending (rule 6)', () => {
    // The stream is "data: a\n\ndata: b\r\ndata: c\n\n": events "a" and "b\nc".
    expect(feedFromCallbacks(['data: a\n\ndata: b\r', '\ndata: c\n\n'])).toMatchObject({
      events: [event('a'), event('b\nc')],
    });
  });

  it('the rest of the outer chunk comes first, then the re-fed chunks in the order they were fed', () => {
    const events: ServerSentEvent[] = [];
    const parser = createParser({
      onEvent: (e) => {
        events.push(e);
        if (e.data === 'a') {
          parser.feed('data: c\n\n');
          parser.feed('data: d\n\n');
        }
      },
    });
    parser.feed('data: a\n\ndata: b\n\n');
    expect(events.map((e) => e.data)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a re-entrant feed() returns at once: its events are dispatched after the callback returns, before the outer feed() returns', () => {
    const log: string[] = [];
    const parser = createParser({
      onEvent: (e) => {
        log.push(`event ${e.data}`);
        if (e.data === 'a') {
          parser.feed('data: b\n\n');
          log.push('inner feed returned');
        }
      },
    });
    parser.feed('data: a\n\n');
    log.push('outer feed returned');
    expect(log).toEqual(['event a', 'inner feed returned', 'event b', 'outer feed returned']);
  });

  it('works from onError too: the chunk fed there follows the rest of the chunk with the oversized event', () => {
    const events: ServerSentEvent[] = [];
    const parser = createParser(
      { onEvent: (e) => events.push(e), onError: () => parser.feed('data: after\n\n') },
      { maxEventSize: 14 },
    );
    parser.feed('data: before\n\ndata: far too long\ndata: more\n\ndata: next\n\n');
    expect(events).toEqual([event('before'), event('next'), event('after')]);
  });

  it('when a callback throws, the error leaves the outer feed() and the chunks queued are dropped; feed() then works again', () => {
    const events: ServerSentEvent[] = [];
    const parser = createParser({
      onEvent: (e) => {
        events.push(e);
        if (e.data === 'a') {
          parser.feed('data: queued\n\n');
          throw new Error('boom');
        }
      },
    });
    expect(() => parser.feed('data: a\n\ndata: rest of the chunk\n\n')).toThrow('boom');
    parser.feed('data: b\n\n');
    expect(events).toEqual([event('a'), event('b')]);
  });
});

describe('reset() called from inside a callback', () => {
  it('drops the rest of the chunk being parsed and the chunks queued; the parser is then as new', () => {
    const events: ServerSentEvent[] = [];
    const parser = createParser(
      {
        onEvent: (e) => {
          events.push(e);
          if (e.data === 'a') {
            parser.feed('data: queued before the reset\n\n');
            parser.reset();
          }
        },
      },
      { lastEventId: 'start' },
    );
    parser.feed('id: 1\ndata: a\n\ndata: rest\n\n');
    expect(parser.lastEventId).toBe('start');
    parser.feed('data: b\n\n');
    expect(events).toEqual([event('a', { lastEventId: '1' }), event('b', { lastEventId: 'start' })]);
  });

  it('chunks fed after the reset, from the same callback, are parsed as a new stream once the callback returns', () => {
    const events: ServerSentEvent[] = [];
    const parser = createParser({
      onEvent: (e) => {
        events.push(e);
        if (e.data === 'a') {
          parser.reset();
          parser.feed('data: new stream\n\n');
        }
      },
    });
    parser.feed('event: x\ndata: a\n\ndata: dropped\n\n');
    expect(events).toEqual([event('a', { type: 'x' }), event('new stream')]);
  });

  it('from onError: the oversized event and the rest of its chunk are dropped', () => {
    const events: ServerSentEvent[] = [];
    const parser = createParser(
      { onEvent: (e) => events.push(e), onError: () => parser.reset() },
      { maxEventSize: 12 },
    );
    parser.feed('data: far too long\n\ndata: rest\n\n');
    parser.feed('data: ok\n\n');
    parser.feed('data: far too long, unfinished');
    parser.feed('data: new\n\n'); // after the reset this is a new line, not the end of a dropped one
    expect(events).toEqual([event('ok'), event('new')]);
  });
});
