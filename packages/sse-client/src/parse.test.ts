// The string parser against the numbered rules of docs/event-stream-parsing.md (rules 4–21).
// Every case is parsed under every chunking (whole input, one code unit per chunk, every two-way
// split, seeded random splits) and must give the same events, retries and comments each time.
// maxEventSize: parse.max-event-size.test.ts. Real-world streams: parse.wire-formats.test.ts.
import { describe, expect, it } from 'vitest';
import { createParser } from './parse.js';
import { event, eventsOf, parseChunks, parseUnderEveryChunking } from './test/parse-helpers.js';
import type { ServerSentEvent } from './types.js';

describe('rule 4: the string parser does not strip a byte order mark (TextDecoder already did)', () => {
  it('a leading U+FEFF is part of the first field name, so that field is unknown', () => {
    expect(eventsOf('\uFEFFdata: x\n\n')).toEqual([]);
  });

  it('a leading U+FEFF before a comment makes it an unknown field, not a comment', () => {
    expect(parseUnderEveryChunking('\uFEFF: hi\n\n').comments).toEqual([]);
  });

  it('the lines after the first are not affected', () => {
    expect(eventsOf('\uFEFFdata: x\ndata: y\n\n')).toEqual([event('y')]);
  });

  it('a U+FEFF inside a value is kept', () => {
    expect(eventsOf('data: \uFEFFx\n\n')).toEqual([event('\uFEFFx')]);
  });
});

describe('rule 5: a line ends at CRLF, at a lone LF or at a lone CR', () => {
  it.each([
    ['LF', 'data: a\n\n'],
    ['CR', 'data: a\r\r'],
    ['CRLF', 'data: a\r\n\r\n'],
  ])('%s', (_name, input) => {
    expect(eventsOf(input)).toEqual([event('a')]);
  });

  it.each([
    ['LF', '\n'],
    ['CR', '\r'],
    ['CRLF', '\r\n'],
  ])('several multi-line events with %s endings', (_name, eol) => {
    const input = ['event: e', 'data: a', 'data: b', '', 'data: c', '', ''].join(eol);
    expect(eventsOf(input)).toEqual([event('a\nb', { type: 'e' }), event('c')]);
  });

  it('mixed endings in one stream', () => {
    const input = 'data: a\rdata: b\ndata: c\r\n\r\ndata: d\r\n\ndata: e\n\r\n';
    expect(eventsOf(input)).toEqual([event('a\nb\nc'), event('d'), event('e')]);
  });

  it('LF then CR is two line endings, not one', () => {
    expect(eventsOf('data: a\n\rdata: b\r\n\n')).toEqual([event('a'), event('b')]);
  });

  it('CR CR LF is a line ending then a blank line', () => {
    expect(eventsOf('data: a\r\r\ndata: b\r\n\r\n')).toEqual([event('a'), event('b')]);
  });

  it('a line ending never becomes part of a value', () => {
    expect(eventsOf('data: a\r\ndata: b\r\rid: 1\r\r\n')).toEqual([event('a\nb')]);
    expect(eventsOf('id: x\r\ndata: b\r\n\r\n')).toEqual([event('b', { lastEventId: 'x' })]);
  });
});

describe('rule 6: CR at a chunk end and LF at the next start are one line ending', () => {
  it('CR | LF between chunks: no spurious blank line, so no early dispatch', () => {
    expect(parseChunks(['data: a\r', '\ndata: b\r', '\n\r', '\n']).events).toEqual([event('a\nb')]);
  });

  it('CR | LF at every line ending of a CRLF stream', () => {
    const input = 'event: e\r\ndata: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n';
    const chunks = input.split(/(?<=\r)/); // each chunk ends with CR, the next starts with LF
    expect(chunks.length).toBeGreaterThan(5);
    expect(parseChunks(chunks).events).toEqual([event('a\nb', { type: 'e' }), event('c')]);
  });

  it('empty chunks between the CR and the LF do not break the pair', () => {
    expect(parseChunks(['data: a\r', '', '', '\ndata: b\r\n\r\n']).events).toEqual([event('a\nb')]);
  });

  it('only one LF is swallowed: a second LF is a blank line', () => {
    expect(parseChunks(['data: a\r', '\n\n']).events).toEqual([event('a')]);
    expect(parseChunks(['data: a\r', '\n', '\n']).events).toEqual([event('a')]);
  });

  it('a CR at a chunk end followed by anything but LF is a line ending on its own', () => {
    expect(parseChunks(['data: a\r', 'data: b\r\r']).events).toEqual([event('a\nb')]);
    expect(parseChunks(['data: a\r', '\rdata: b\n\n']).events).toEqual([event('a'), event('b')]);
  });

  it('a CR at a chunk end ends its line at once: a blank CR line dispatches without waiting for the next chunk', () => {
    const events: ServerSentEvent[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e) });
    parser.feed('data: a\n\r');
    expect(events).toEqual([event('a')]);
    parser.feed('\ndata: b\n\n'); // the LF belongs to the CR: it is not another blank line
    expect(events).toEqual([event('a'), event('b')]);
  });
});

describe('rule 7: a blank line dispatches the pending event', () => {
  it('events are dispatched synchronously, during the feed that completes them', () => {
    const events: ServerSentEvent[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e) });
    parser.feed('data: a\n');
    expect(events).toEqual([]);
    parser.feed('\ndata: b\n\ndata: c\n\n');
    expect(events).toEqual([event('a'), event('b'), event('c')]);
  });

  it('several blank lines between events change nothing', () => {
    expect(eventsOf('\n\ndata: a\n\n\n\r\n\rdata: b\n\n\n')).toEqual([event('a'), event('b')]);
  });
});

describe('rule 8: a line starting with a colon is a comment', () => {
  it('is reported to onComment with one leading space removed', () => {
    const input = ': ping\n:no space\n:  two spaces\n:\t tab\n:\n: a: b\n\n';
    const result = parseUnderEveryChunking(input);
    expect(result.comments).toEqual(['ping', 'no space', ' two spaces', '\t tab', '', 'a: b']);
    expect(result.events).toEqual([]);
  });

  it('does not disturb the event around it', () => {
    const result = parseUnderEveryChunking('data: a\n: keep-alive\r\ndata: b\r: x\n\n');
    expect(result.events).toEqual([event('a\nb')]);
    expect(result.comments).toEqual(['keep-alive', 'x']);
  });

  it('a block of comments only dispatches nothing', () => {
    expect(eventsOf(': one\n: two\n\n: three\n\n')).toEqual([]);
  });

  it('works without an onComment callback', () => {
    const events: ServerSentEvent[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e) });
    parser.feed(': ping\n\ndata: a\n\n');
    expect(events).toEqual([event('a')]);
  });
});

describe('rule 9: name before the first colon, value after it, one leading space removed', () => {
  it.each([
    ['no space', 'data:a', 'a'],
    ['one space removed', 'data: a', 'a'],
    ['only one space removed', 'data:  a', ' a'],
    ['a tab is kept', 'data:\ta', '\ta'],
    ['a tab after the space is kept', 'data: \ta', '\ta'],
    ['trailing spaces are kept', 'data: a  ', 'a  '],
    ['later colons belong to the value', 'data: a:b: c', 'a:b: c'],
    ['a colon right after the first', 'data::a', ':a'],
    ['empty value', 'data:', ''],
    ['a lone space is an empty value', 'data: ', ''],
    ['JSON', 'data: {"token": "a: b"}', '{"token": "a: b"}'],
  ])('%s: %j', (_name, line, data) => {
    expect(eventsOf(`${line}\n\n`)).toEqual([event(data)]);
  });

  it('applies to every field', () => {
    expect(eventsOf('event:  x\nid:  7\ndata: d\n\n')).toEqual([event('d', { type: ' x', lastEventId: ' 7' })]);
  });
});

describe('rule 10: a line without a colon is a field name with an empty value', () => {
  it('a bare data line appends an empty line: an event with empty data is dispatched', () => {
    expect(eventsOf('data\n\n')).toEqual([event('')]);
  });

  it('two bare data lines give a single LF', () => {
    expect(eventsOf('data\ndata\n\n')).toEqual([event('\n')]);
  });

  it('a bare data line among others', () => {
    expect(eventsOf('data\ndata: x\ndata\n\n')).toEqual([event('\nx\n')]);
  });

  it('a bare event line sets the type to empty, so message', () => {
    expect(eventsOf('event: custom\nevent\ndata: x\n\n')).toEqual([event('x')]);
  });

  it('a bare id line resets the last event ID', () => {
    expect(eventsOf('id: 1\ndata: a\n\nid\ndata: b\n\n')).toEqual([
      event('a', { lastEventId: '1' }),
      event('b', { lastEventId: '' }),
    ]);
  });

  it('a bare retry line is ignored (empty value)', () => {
    expect(parseUnderEveryChunking('retry\ndata: x\n\n').retries).toEqual([]);
  });
});

describe('rule 11: field names are case-sensitive; others are ignored', () => {
  it.each([
    'Data: x',
    'DATA: x',
    'data : x',
    ' data: x',
    '\tdata: x',
    'dataa: x',
    'dat: x',
    'foo: x',
    'Event: e',
    'ID: 1',
    'Retry: 5',
    'retry : 5',
  ])('%j is ignored', (line) => {
    const result = parseUnderEveryChunking(`${line}\ndata: ok\n\n`);
    expect(result.events).toEqual([event('ok')]);
    expect(result.retries).toEqual([]);
  });

  it('an event made only of unknown fields dispatches nothing', () => {
    expect(eventsOf('Data: x\nfoo\nbar: baz\n\n')).toEqual([]);
  });
});

describe('rule 12: event sets the event type', () => {
  it('sets the type', () => {
    expect(eventsOf('event: update\ndata: x\n\n')).toEqual([event('x', { type: 'update' })]);
  });

  it('the last event field wins, and may come after the data', () => {
    expect(eventsOf('event: a\ndata: x\nevent: b\n\n')).toEqual([event('x', { type: 'b' })]);
  });

  it('keeps spaces and unicode in the type', () => {
    expect(eventsOf('event: a b 😀\ndata: x\n\n')).toEqual([event('x', { type: 'a b 😀' })]);
  });
});

describe('rule 13: data appends the value and an LF', () => {
  it('several data lines are joined with LF', () => {
    expect(eventsOf('data: a\ndata: b\ndata: c\n\n')).toEqual([event('a\nb\nc')]);
  });

  it('empty data lines make empty lines', () => {
    expect(eventsOf('data: a\ndata:\ndata: b\n\n')).toEqual([event('a\n\nb')]);
  });

  it('an empty data value still dispatches an event with empty data', () => {
    expect(eventsOf('data:\n\n')).toEqual([event('')]);
    expect(eventsOf('data: \n\n')).toEqual([event('')]);
  });

  it('keeps any unicode', () => {
    expect(eventsOf('data: 😀 中文 é \u0000\n\n')).toEqual([event('😀 中文 é \u0000')]);
  });
});

describe('rule 14: id sets the last event ID, unless it contains NULL', () => {
  it('sets the last event ID', () => {
    expect(eventsOf('id: 42\ndata: x\n\n')).toEqual([event('x', { lastEventId: '42' })]);
  });

  it('an id after the data applies to the same event', () => {
    expect(eventsOf('data: x\nid: 9\n\n')).toEqual([event('x', { lastEventId: '9' })]);
  });

  it.each(['a\u0000b', '\u0000', '1\u0000'])('an id containing NULL (%j) is ignored', (id) => {
    expect(eventsOf(`id: 1\ndata: a\n\nid: ${id}\ndata: b\n\n`)).toEqual([
      event('a', { lastEventId: '1' }),
      event('b', { lastEventId: '1' }),
    ]);
  });

  it('an empty id resets the last event ID to ""', () => {
    expect(eventsOf('id: 1\ndata: a\n\nid:\ndata: b\n\n')).toEqual([
      event('a', { lastEventId: '1' }),
      event('b', { lastEventId: '' }),
    ]);
  });

  it('the last id field of an event wins', () => {
    expect(eventsOf('id: 1\nid: 2\ndata: x\n\n')).toEqual([event('x', { lastEventId: '2' })]);
  });
});

describe('rule 15: retry is accepted only when it is ASCII digits', () => {
  it.each([
    ['3000', 3000],
    ['03000', 3000],
    ['0', 0],
    ['9007199254740991', 9007199254740991],
  ])('retry: %s gives %i', (value, retry) => {
    expect(parseUnderEveryChunking(`retry: ${value}\n`).retries).toEqual([retry]);
  });

  it.each([
    ['1000x', 'retry: 1000x'],
    ['-1', 'retry: -1'],
    [' 100 after the one stripped space', 'retry:  100'],
    ['an empty value', 'retry:'],
    ['no colon', 'retry'],
    ['1.5', 'retry: 1.5'],
    ['1e3', 'retry: 1e3'],
    ['+5', 'retry: +5'],
    ['a trailing space', 'retry: 5 '],
    ['a tab', 'retry:\t5'],
    ['0x10', 'retry: 0x10'],
    ['Arabic-Indic digits', 'retry: ٣٠٠'],
    ['fullwidth digits', 'retry: ３０'],
  ])('ignores %s', (_name, line) => {
    expect(parseUnderEveryChunking(`${line}\ndata: x\n\n`).retries).toEqual([]);
  });

  it('is reported when its line ends, before any blank line, and creates no event', () => {
    const retries: number[] = [];
    const events: ServerSentEvent[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e), onRetry: (retry) => retries.push(retry) });
    parser.feed('retry: 5\n');
    expect(retries).toEqual([5]);
    parser.feed('\n');
    expect(events).toEqual([]);
  });

  it('does not disturb the event it is in', () => {
    const result = parseUnderEveryChunking('data: a\nretry: 10\ndata: b\n\nretry: 20\r\n');
    expect(result.events).toEqual([event('a\nb')]);
    expect(result.retries).toEqual([10, 20]);
  });
});

describe('rule 16: the last event ID persists across events', () => {
  it('later events without id keep it', () => {
    expect(eventsOf('id: 1\ndata: a\n\ndata: b\n\nevent: e\ndata: c\n\n')).toEqual([
      event('a', { lastEventId: '1' }),
      event('b', { lastEventId: '1' }),
      event('c', { type: 'e', lastEventId: '1' }),
    ]);
  });

  it('an id-only event dispatches nothing but sets the last event ID for later events', () => {
    expect(eventsOf('id: 7\n\ndata: x\n\n')).toEqual([event('x', { lastEventId: '7' })]);
  });

  it('an id in an event without data still counts', () => {
    expect(eventsOf('id: 1\ndata: a\n\nevent: e\nid: 2\n\ndata: b\n\n')).toEqual([
      event('a', { lastEventId: '1' }),
      event('b', { lastEventId: '2' }),
    ]);
  });
});

describe('rule 17: a blank line with an empty data buffer dispatches nothing', () => {
  it.each(['\n', '\n\n\n', '\r\n\r\n', '\r\r', 'event: e\n\n', 'event: e\nid: 1\nretry: 5\n\n', ': c\n\n'])(
    '%j gives no event',
    (input) => {
      expect(eventsOf(input)).toEqual([]);
    },
  );

  it('and resets the event type', () => {
    expect(eventsOf('event: e\n\ndata: x\n\n')).toEqual([event('x')]);
  });
});

describe('rule 18: one trailing LF is removed from the data', () => {
  it('only one', () => {
    expect(eventsOf('data: a\ndata:\n\n')).toEqual([event('a\n')]);
    expect(eventsOf('data:\ndata:\ndata:\n\n')).toEqual([event('\n\n')]);
  });
});

describe('rule 19: type, data and lastEventId of the dispatched event', () => {
  it('type is message when no event field was given', () => {
    expect(eventsOf('data: x\n\n')).toStrictEqual([{ type: 'message', data: 'x', lastEventId: '' }]);
  });

  it('type is message when the event field is empty', () => {
    expect(eventsOf('event:\ndata: x\n\n')).toEqual([event('x', { type: 'message' })]);
    expect(eventsOf('event: \ndata: x\n\n')).toEqual([event('x', { type: 'message' })]);
  });

  it('an event field named message is just message', () => {
    expect(eventsOf('event: message\ndata: x\n\n')).toEqual([event('x')]);
  });
});

describe('rule 20: the data buffer and the event type are reset after dispatch', () => {
  it('the next event starts empty, with type message', () => {
    expect(eventsOf('event: a\ndata: 1\n\ndata: 2\n\n')).toEqual([event('1', { type: 'a' }), event('2')]);
  });
});

describe('rule 21: a pending event is discarded at the end of the stream', () => {
  it.each([
    ['data line then end', 'data: a\n'],
    ['last line without line ending', 'data: a'],
    ['CR-ended line, no blank line', 'data: a\r'],
    ['CRLF-ended line, no blank line', 'event: e\r\ndata: a\r\n'],
  ])('%s: nothing is dispatched', (_name, input) => {
    expect(eventsOf(input)).toEqual([]);
  });

  it('the events before it are dispatched', () => {
    expect(eventsOf('data: a\n\ndata: b\n')).toEqual([event('a')]);
    expect(eventsOf('data: a\n\ndata: b')).toEqual([event('a')]);
  });

  it('a retry or comment on an unfinished last line is not reported either (it is not a line yet)', () => {
    expect(parseUnderEveryChunking('retry: 5')).toMatchObject({ retries: [], comments: [] });
    expect(parseUnderEveryChunking(': ping')).toMatchObject({ retries: [], comments: [] });
  });
});

describe('long lines and events of many lines, in chunks of any size', () => {
  // The parser keeps a line's chunks and an event's data values in blocks joined every so many
  // pieces (to bound its memory): the text must come out whole and in order however it is split.
  it('a long line, and events of hundreds of lines of any length, are joined in order', () => {
    const longValue = Array.from({ length: 4000 }, (_, index) => `${index % 10}`.repeat(1 + (index % 13))).join('');
    const values = Array.from({ length: 300 }, (_, index) => 'abcdefghij'.repeat(index % 31).slice(index % 7));
    const input = [
      `data: ${longValue}\n\n`,
      `${values.map((value) => (value === '' ? 'data' : `data: ${value}`)).join('\r\n')}\r\n\r\n`,
      `${'data\n'.repeat(500)}\n`,
      `data: x\n${'data: 中\n'.repeat(257)}: ${'c'.repeat(300)}\n\n`,
    ].join('');
    const result = parseUnderEveryChunking(input, {}, { maxChunkSize: 400, twoWaySplits: false });
    expect(result.events).toEqual([
      event(longValue),
      event(values.join('\n')),
      event('\n'.repeat(499)),
      event(`x${'\n中'.repeat(257)}`),
    ]);
    expect(result.comments).toEqual(['c'.repeat(300)]);
  });
});

describe('reset() forgets the pending state', () => {
  function resetBetween(before: string, after: string): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e) });
    parser.feed(before);
    parser.reset();
    parser.feed(after);
    return events;
  }

  it('forgets the pending data and event type', () => {
    expect(resetBetween('event: e\ndata: a\n', 'data: b\n\n')).toEqual([event('b')]);
  });

  it('forgets an unfinished line', () => {
    expect(resetBetween('da', 'ta: x\n\n')).toEqual([]);
    expect(resetBetween('data: abc', '\n\n')).toEqual([]);
  });

  it('forgets the last event ID', () => {
    expect(resetBetween('id: 1\ndata: a\n\n', 'data: b\n\n')).toEqual([event('a', { lastEventId: '1' }), event('b')]);
  });

  it('forgets an event being discarded as too large', () => {
    const events: ServerSentEvent[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e), onError: () => undefined }, { maxEventSize: 10 });
    parser.feed('data: 0123456789\n'); // a complete line over the limit: the event is being discarded
    parser.reset();
    parser.feed('data: ok\n\n');
    parser.feed('data: 0123456789'); // an unfinished line over the limit: the rest of it will be dropped
    parser.reset();
    parser.feed('data: ok2\n\n');
    expect(events).toEqual([event('ok'), event('ok2')]);
  });

  it('a reset parser is as new', () => {
    const input = 'id: 1\r\nevent: e\r\ndata: a\r\n\r\n: c\r\nretry: 5\r\ndata: b\r\n\r\n';
    const events: ServerSentEvent[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e) });
    parser.feed('event: x\ndata: pending\r');
    parser.reset();
    parser.feed(input);
    expect(events).toEqual(parseChunks([input]).events);
  });
});

describe('the lastEventId option and property: resuming a stream on a new connection', () => {
  it('events before the first id carry the lastEventId the parser started from', () => {
    const events: ServerSentEvent[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e) }, { lastEventId: '41' });
    parser.feed('data: a\n\nid: 42\ndata: b\n\n');
    expect(events).toEqual([event('a', { lastEventId: '41' }), event('b', { lastEventId: '42' })]);
  });

  it('lastEventId is the stream’s last event ID: set at dispatch (also by an id-only event), not by a pending id', () => {
    const parser = createParser({ onEvent: () => undefined });
    expect(parser.lastEventId).toBe('');
    parser.feed('id: 1\ndata: a\n\n');
    expect(parser.lastEventId).toBe('1');
    parser.feed('id: 2\n\n');
    expect(parser.lastEventId).toBe('2');
    parser.feed('id: 3\ndata: cut off before its blank line\n');
    expect(parser.lastEventId).toBe('2');
  });

  it('reset() goes back to the lastEventId option', () => {
    const parser = createParser({ onEvent: () => undefined }, { lastEventId: 'start' });
    parser.feed('id: 9\ndata: a\n\n');
    parser.reset();
    expect(parser.lastEventId).toBe('start');
  });
});
