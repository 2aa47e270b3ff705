// The partial-JSON parser: complete values equal JSON.parse; what `value` shows while the text is
// incomplete; deltas split anywhere; `done` and `end()`; structural sharing and immutability.
// Errors are in partial-json.errors.test.ts, generated inputs in partial-json.property.test.ts.
import { describe, expect, it } from 'vitest';
import { createPartialJSONParser, parsePartialJSON } from './partial-json.js';
import { codeUnits, isDeepFrozen, pushDeltas, sameValue, splitAt, unsharedPath } from './test/partial-json-helpers.js';

/** The value after pushing `text` whole: the one-shot parse. */
const partial = (text: string): unknown => parsePartialJSON(text);

/** Asserts that every way of cutting `text` in two, and one-character deltas, give the same values. */
function expectAnySplitAgrees(text: string): void {
  const expected = JSON.parse(text) as unknown;
  for (let position = 0; position <= text.length; position += 1) {
    const { snapshots, parser } = pushDeltas(splitAt(text, [position]));
    expect(sameValue(snapshots[0], partial(text.slice(0, position))), `value after ${JSON.stringify(text.slice(0, position))}`).toBe(true);
    expect(sameValue(parser.end(), expected), `split at ${position}`).toBe(true);
  }
  const { snapshots, parser } = pushDeltas(codeUnits(text));
  snapshots.forEach((snapshot, index) => {
    expect(sameValue(snapshot, partial(text.slice(0, index + 1))), `after ${JSON.stringify(text.slice(0, index + 1))}`).toBe(true);
  });
  expect(sameValue(parser.end(), expected)).toBe(true);
}

describe('complete text: the final value equals JSON.parse', () => {
  it.each([
    ['null'],
    ['true'],
    ['false'],
    ['0'],
    ['-0'],
    ['123'],
    ['-1.5e-7'],
    ['1E+21'],
    ['2.5e3'],
    ['""'],
    ['"hello"'],
    ['"\\"\\\\\\/\\b\\f\\n\\r\\t"'],
    ['"\\u00e9\\u00E9 \\uD83D\\uDE00 😀 中文"'],
    ['"\\uD800 lone high, lone low \\uDC00"'],
    ['[]'],
    ['{}'],
    ['[1, "two", [3, [4]], {"five": 5}, true, false, null]'],
    ['{"path": "a.ts", "edits": [{"line": 1, "text": "x"}, {"line": 2, "text": "y"}], "dry": false}'],
    [' \t\r\n{ \n"a" \t: \r[ 1 , 2 ] ,"b":{ } } \n '],
  ])('%s', (text) => {
    const parser = createPartialJSONParser();
    parser.push(text);
    expect(sameValue(parser.end(), JSON.parse(text))).toBe(true);
  });

  it('keeps -0 as -0, like JSON.parse', () => {
    expect(Object.is((parsePartialJSON('[-0]') as number[])[0], -0)).toBe(true);
  });

  it('keeps the last of duplicate keys, at the place of the first, like JSON.parse', () => {
    const text = '{"a": 1, "b": 2, "a": 3}';
    const value = parsePartialJSON(text);
    expect(value).toEqual({ a: 3, b: 2 });
    expect(Object.keys(value as object)).toEqual(Object.keys(JSON.parse(text) as object));
  });

  it('makes "__proto__" an own property and leaves the prototype alone, like JSON.parse', () => {
    const value = parsePartialJSON('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('partial text: what value shows before the value is complete', () => {
  it('is undefined before anything, and after whitespace only', () => {
    expect(createPartialJSONParser().value).toBeUndefined();
    expect(partial('')).toBeUndefined();
    expect(partial(' \n\t')).toBeUndefined();
  });

  describe('strings show the characters received so far', () => {
    it.each([
      ['"', ''],
      ['"hel', 'hel'],
      ['"a\\', 'a'], // never half an escape
      ['"a\\n', 'a\n'],
      ['"a\\u', 'a'],
      ['"a\\u00', 'a'],
      ['"a\\u00e', 'a'],
      ['"a\\u00e9', 'aé'],
    ])('%s shows %j', (text, expected) => {
      expect(partial(text)).toBe(expected);
    });

    it('hold back a high surrogate until the character after it arrives', () => {
      expect(partial('"a\uD83D')).toBe('a'); // raw half of 😀
      expect(partial('"a\uD83D\uDE00')).toBe('a😀');
      expect(partial('"a\\uD83D')).toBe('a'); // escaped half
      expect(partial('"a\\uD83D\\uDE')).toBe('a');
      expect(partial('"a\\uD83D\\uDE00')).toBe('a😀');
      expect(partial('"a\\uD83Db')).toBe('a\uD83Db'); // a lone high surrogate, shown once followed
      expect(partial('"a\\uD83D"')).toBe('a\uD83D'); // or once the string ends
      expect(partial('"a\\uDE00')).toBe('a\uDE00'); // a lone low surrogate needs no wait
    });
  });

  describe('numbers show the longest prefix that is a valid number', () => {
    it.each([
      ['-', undefined],
      ['0', 0],
      ['-0', -0],
      ['1', 1],
      ['12', 12],
      ['12.', 12],
      ['12.5', 12.5],
      ['12.5e', 12.5],
      ['12.5e-', 12.5],
      ['12.5e-3', 0.0125],
      ['1E+', 1],
      ['1E+2', 100],
    ])('%s shows %s', (text, expected) => {
      expect(Object.is(partial(text), expected)).toBe(true);
      expect(sameValue(partial(`[${text}`), expected === undefined ? [] : [expected])).toBe(true);
    });
  });

  it.each([
    ['t', true],
    ['tr', true],
    ['f', false],
    ['fals', false],
    ['n', null],
    ['nul', null],
  ])('literal %s shows %s: its first letter decides it', (text, expected) => {
    expect(partial(text)).toBe(expected);
    expect(partial(`{"k": ${text}`)).toEqual({ k: expected });
  });

  it.each([
    ['{', {}],
    ['{"pa', {}],
    ['{"path"', {}],
    ['{"path":', {}],
    ['{"path": ', {}],
    ['{"path": "', { path: '' }],
    ['{"path": "a', { path: 'a' }],
    ['{"path": "a", "n": -', { path: 'a' }],
    ['{"path": "a", "n": -1', { path: 'a', n: -1 }],
    ['{"path": "a", "n": [', { path: 'a', n: [] }],
    ['{"path": "a", "n": {"m', { path: 'a', n: {} }],
    ['{"path": "a", "n": {"m": f', { path: 'a', n: { m: false } }],
  ])('an object member appears once its value has begun: %s', (text, expected) => {
    expect(partial(text)).toEqual(expected);
  });

  it.each([
    ['[', []],
    ['[1', [1]],
    ['[1,', [1]],
    ['[1, -', [1]],
    ['[1, "', [1, '']],
    ['[1, [[', [1, [[]]]],
    ['[1, {"a": [2, {"b": "c', [1, { a: [2, { b: 'c' }] }]],
  ])('an array element appears once it has begun: %s', (text, expected) => {
    expect(partial(text)).toEqual(expected);
  });
});

describe('deltas may end anywhere: every split gives the same values', () => {
  it.each([
    ['short escapes', '["a\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti"]'],
    ['\\u escapes', '{"k": "caf\\u00e9 \\u4e2D\\u6587"}'],
    ['escaped surrogate pairs', '"\\uD83D\\uDE00\\ud83c\\udf89"'],
    ['raw surrogate pairs (split between their halves)', '["😀🎉", "a😀"]'],
    ['numbers split mid-digit', '[12345, -0.5, 6.02e23, -1E-7, 0]'],
    ['true, false and null split', '[true, false, null, {"t": true, "f": false, "n": null}]'],
    ['whitespace anywhere', ' \n{ "a" : [ 1 ,\t2 ] , "b"\r\n:\t"c" }\n '],
  ])('%s', (_name, text) => {
    expectAnySplitAgrees(text);
  });

  it('an escaped surrogate pair cut in the middle shows nothing of it until both halves are in', () => {
    const { snapshots } = pushDeltas(['"x\\uD8', '3D\\u', 'DE', '00"']);
    expect(snapshots).toEqual(['x', 'x', 'x', 'x😀']);
  });

  it('a number cut mid-digit grows', () => {
    const { snapshots, parser } = pushDeltas(['{"line": 1', '2', '3}']);
    expect(snapshots).toEqual([{ line: 1 }, { line: 12 }, { line: 123 }]);
    expect(parser.done).toBe(true);
  });

  it('a literal cut in two shows its value from the first letter', () => {
    const { snapshots } = pushDeltas(['[tr', 'ue, fa', 'lse, n', 'ull]']);
    expect(snapshots).toEqual([[true], [true, false], [true, false, null], [true, false, null]]);
  });
});

describe('done and end()', () => {
  it('done turns true with the closing character of the top-level value', () => {
    const parser = createPartialJSONParser();
    parser.push('{"a": [1]');
    expect(parser.done).toBe(false);
    parser.push('}');
    expect(parser.done).toBe(true);
    parser.push(' \n'); // whitespace may follow
    expect(parser.end()).toEqual({ a: [1] });
  });

  it('a top-level number is done only once something follows it, or at end()', () => {
    const parser = createPartialJSONParser();
    parser.push('42');
    expect(parser.done).toBe(false);
    expect(parser.value).toBe(42);
    expect(parser.end()).toBe(42);
    expect(parser.done).toBe(true);

    const followed = createPartialJSONParser();
    followed.push('42 ');
    expect(followed.done).toBe(true);
  });

  it('end() returns the same value when called again', () => {
    const parser = createPartialJSONParser();
    parser.push('[1]');
    expect(parser.end()).toBe(parser.end());
  });

  it('push() after end() is a TypeError', () => {
    const parser = createPartialJSONParser();
    parser.push('[1]');
    parser.end();
    expect(() => parser.push(' ')).toThrow(TypeError);
  });
});

describe('snapshots are immutable and share what did not change', () => {
  it('a completed member keeps its identity while later ones stream', () => {
    const parser = createPartialJSONParser();
    parser.push('{"edits": [{"line": 1}, {"line": 2');
    const before = parser.value as { edits: object[] };
    parser.push('3}, {"li');
    const after = parser.value as { edits: object[] };
    expect(after).not.toBe(before);
    expect(after.edits[0]).toBe(before.edits[0]);
    expect(after.edits[1]).toEqual({ line: 23 });
    parser.push('ne": 4}]}');
    const final = parser.end() as { edits: object[] };
    expect(final.edits[0]).toBe(before.edits[0]);
    expect(final.edits[1]).toBe(after.edits[1]);
  });

  it('a sibling subtree keeps its identity while another one changes', () => {
    const parser = createPartialJSONParser();
    parser.push('{"meta": {"tags": ["a", "b"]}, "content": "Hel');
    const before = parser.value as { meta: object };
    parser.push('lo');
    const after = parser.value as { meta: object; content: string };
    expect(after.meta).toBe(before.meta);
    expect(after.content).toBe('Hello');
  });

  it.each([
    ['whitespace', '{"a": [1]', ' \n '],
    ['a partial key', '{"a": [1]', ', "ke'],
    ['a key and colon', '{"a": [1]', ', "key": '],
    ['half an escape', '{"a": [1], "s": "x', '\\u00'],
    ['half a surrogate pair', '{"a": [1], "s": "x', '\uD83D'],
    ['a minus sign', '{"a": [1]', ', "n": -'],
    ['a digit that does not change the number', '{"a": [1], "n": 1', '.0'],
    ['the rest of a literal', '{"a": [1], "t": t', 'rue'],
    ['a comma', '[{"a": 1}, 2', ','],
  ])('reading again after %s gives the same object: nothing visible changed', (_name, prefix, delta) => {
    const parser = createPartialJSONParser();
    parser.push(prefix);
    const before = parser.value;
    parser.push(delta);
    expect(parser.value).toBe(before);
  });

  it('the closing bracket does not rebuild the value', () => {
    const parser = createPartialJSONParser();
    parser.push('{"a": [1, {"b": 2}]');
    const before = parser.value;
    parser.push('}');
    expect(parser.value).toBe(before);
    expect(parser.end()).toBe(before);
  });

  it('snapshots are frozen, and an old snapshot never changes', () => {
    const text = '{"a": [1, {"b": "cd"}], "e": {"f": [true, null]}}';
    const { snapshots } = pushDeltas(codeUnits(text));
    const copies = snapshots.map((snapshot) => structuredClone(snapshot));
    for (const [index, snapshot] of snapshots.entries()) {
      expect(isDeepFrozen(snapshot)).toBe(true);
      expect(sameValue(snapshot, copies[index])).toBe(true);
      if (index > 0) expect(unsharedPath(snapshots[index - 1], snapshot)).toBeUndefined();
    }
    expect(() => {
      (snapshots.at(-1) as Record<string, unknown>).a = 1;
    }).toThrow(TypeError);
  });
});
