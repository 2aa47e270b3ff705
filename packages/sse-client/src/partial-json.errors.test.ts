// The partial-JSON parser on bad input: a typed error at the first character where the text can
// no longer be JSON, whatever the deltas; the value read so far is kept; the depth limit.
import { describe, expect, it } from 'vitest';
import { isTokenStreamError, TokenStreamError } from './errors.js';
import { createPartialJSONParser, DEFAULT_MAX_JSON_DEPTH, PartialJSONError, parsePartialJSON } from './partial-json.js';
import { codeUnits } from './test/partial-json-helpers.js';

/** The error of pushing `deltas` and ending, and how many deltas went in before it. */
function errorOf(deltas: readonly string[], options?: { maxDepth?: number }): { error: unknown; pushed: number } {
  const parser = createPartialJSONParser(options);
  let pushed = 0;
  try {
    for (const delta of deltas) {
      parser.push(delta);
      pushed += 1;
    }
    parser.end();
  } catch (error) {
    return { error, pushed };
  }
  throw new Error(`expected ${JSON.stringify(deltas.join(''))} to be rejected`);
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}

describe('invalid text: a PartialJSONError at the offending character', () => {
  it.each([
    // [text, reason, position]
    ['{"a": 1 "b": 2}', 'unexpected-character', 8], // missing comma
    ['{"a" 1}', 'unexpected-character', 5], // missing colon
    ['{"a":}', 'unexpected-character', 5],
    ['{a: 1}', 'unexpected-character', 1], // unquoted key
    ["{'a': 1}", 'unexpected-character', 1],
    ['{"a": 1,}', 'unexpected-character', 8], // trailing comma
    ['[1,]', 'unexpected-character', 3],
    ['[1 2]', 'unexpected-character', 3],
    ['[1}', 'unexpected-character', 2], // mismatched bracket
    ['{"a": 1]', 'unexpected-character', 7],
    ['01', 'unexpected-character', 1], // leading zero
    ['-a', 'unexpected-character', 1],
    ['1.x', 'unexpected-character', 2],
    ['1.e5', 'unexpected-character', 2],
    ['[1e]', 'unexpected-character', 3],
    ['1e+-2', 'unexpected-character', 3],
    ['+1', 'unexpected-character', 0],
    ['.5', 'unexpected-character', 0],
    ['tx', 'unexpected-character', 1],
    ['nulll', 'unexpected-character', 4], // after a complete value
    ['True', 'unexpected-character', 0],
    ['"a\nb"', 'unexpected-character', 2], // raw control character in a string
    ['"a\u0000"', 'unexpected-character', 2],
    ['"\\x"', 'invalid-escape', 2],
    ['"\\u12g4"', 'invalid-escape', 5],
    ['"\\U0041"', 'invalid-escape', 2],
    ['1 2', 'unexpected-character', 2], // trailing non-whitespace
    ['{} x', 'unexpected-character', 3],
    ['\u00a0 1', 'unexpected-character', 0], // not JSON whitespace
    ['\uFEFF{}', 'unexpected-character', 0], // a byte order mark is not JSON whitespace either
    ['', 'unexpected-end', 0],
    ['  ', 'unexpected-end', 2],
    ['{"a": [1, 2', 'unexpected-end', 11],
    ['"abc', 'unexpected-end', 4],
    ['"abc\\u00', 'unexpected-end', 8],
    ['-', 'unexpected-end', 1],
    ['1.', 'unexpected-end', 2],
    ['1e-', 'unexpected-end', 3],
    ['tru', 'unexpected-end', 3],
  ])('%j: %s at %i, in one delta and in one-character deltas', (text, reason, position) => {
    for (const deltas of [[text], codeUnits(text)]) {
      const { error, pushed } = errorOf(deltas);
      expect(error).toBeInstanceOf(PartialJSONError);
      expect(error).toMatchObject({ name: 'PartialJSONError', reason, position });
      expect((error as Error).message).toContain(`at position ${position}`);
      // Thrown by the push that brought the offending character, or by end() when the text stopped short.
      if (deltas.length > 1) expect(pushed).toBe(reason === 'unexpected-end' ? text.length : position);
    }
  });

  it('agrees with JSON.parse, which rejects the same texts', () => {
    for (const text of ['{"a": 1,}', '[1,]', '01', '"\\x"', '1 2', '\uFEFF{}', '"a\nb"']) {
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
    }
  });

  it('is a TokenStreamError, recognised across bundle copies', () => {
    const { error } = errorOf(['[1,]']);
    expect(error).toBeInstanceOf(TokenStreamError);
    expect(isTokenStreamError(error)).toBe(true);
    expect((error as Error).message).toBe('Invalid JSON at position 3: expected a JSON value, got "]"');
  });

  it('says which character was expected, and what came', () => {
    expect(errorOf(['{"a" 1}']).error).toHaveProperty('message', 'Invalid JSON at position 5: expected ":" after a property name, got "1"');
    expect(errorOf(['[1 2]']).error).toHaveProperty(
      'message',
      'Invalid JSON at position 3: expected "," or "]" after an array element, got "2"',
    );
    expect(errorOf(['{"a": [1, 2']).error).toHaveProperty('message', 'Incomplete JSON at position 11: the text ended inside an array');
  });
});

describe('after an error', () => {
  it('value is still the best value of the text before the offending character', () => {
    const parser = createPartialJSONParser();
    expect(() => parser.push('{"a": [1, "two"], "b": "thr\\x')).toThrow(PartialJSONError);
    expect(parser.value).toEqual({ a: [1, 'two'], b: 'thr' });
  });

  it('every later push() and end() throws the same error', () => {
    const parser = createPartialJSONParser();
    const first = thrownBy(() => parser.push('[1,,'));
    expect(first).toBeInstanceOf(PartialJSONError);
    expect(thrownBy(() => parser.push('2]'))).toBe(first);
    expect(thrownBy(() => parser.end())).toBe(first);
  });

  it('end() that found the text incomplete keeps throwing too', () => {
    const parser = createPartialJSONParser();
    parser.push('[1');
    const first = thrownBy(() => parser.end());
    expect(first).toMatchObject({ reason: 'unexpected-end', position: 2 });
    expect(thrownBy(() => parser.end())).toBe(first);
    expect(thrownBy(() => parser.push(']'))).toBe(first);
  });

  it('parsePartialJSON throws the same errors', () => {
    expect(() => parsePartialJSON('{"a" 1}')).toThrow(expect.objectContaining({ reason: 'unexpected-character', position: 5 }));
    expect(parsePartialJSON('{"a": [1, 2')).toEqual({ a: [1, 2] }); // incomplete is not an error here
  });
});

describe('the depth limit (maxDepth)', () => {
  const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

  it(`defaults to ${DEFAULT_MAX_JSON_DEPTH} nested arrays or objects`, () => {
    expect(DEFAULT_MAX_JSON_DEPTH).toBe(64);
    expect(parsePartialJSON(nested(64))).toBeDefined();
    expect(errorOf([nested(65)]).error).toMatchObject({ reason: 'max-depth', position: 64 });
    expect(errorOf(codeUnits(nested(65))).error).toMatchObject({ reason: 'max-depth', position: 64 });
  });

  it('counts objects and arrays alike, not strings or numbers', () => {
    expect(parsePartialJSON('{"a": [{"b": "deep"}]}', { maxDepth: 3 })).toEqual({ a: [{ b: 'deep' }] });
    expect(errorOf(['{"a": [{"b": []}]}'], { maxDepth: 3 }).error).toMatchObject({ reason: 'max-depth', position: 13 });
  });

  it('maxDepth 0 allows a single string, number or literal only', () => {
    expect(parsePartialJSON('"text"', { maxDepth: 0 })).toBe('text');
    expect(errorOf(['[]'], { maxDepth: 0 }).error).toMatchObject({ reason: 'max-depth', position: 0 });
  });

  it('Infinity removes the limit: the parser never recurses', () => {
    const depth = 100_000;
    const parser = createPartialJSONParser({ maxDepth: Infinity });
    parser.push(nested(depth));
    let value = parser.end();
    let levels = 0;
    while (Array.isArray(value)) {
      levels += 1;
      value = value[0];
    }
    expect(levels).toBe(depth);
  });

  it.each([-1, Number.NaN])('maxDepth %s is a RangeError', (maxDepth) => {
    expect(() => createPartialJSONParser({ maxDepth })).toThrow(RangeError);
  });
});
