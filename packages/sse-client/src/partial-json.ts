import { PartialJSONReader } from './partial-json-reader.js';

export { PartialJSONError, type PartialJSONErrorReason } from './partial-json-error.js';

/** Options for {@link createPartialJSONParser} and {@link parsePartialJSON}. */
export interface PartialJSONParserOptions {
  /**
   * How deeply arrays and objects may nest: `[[1]]` has depth 2, a string or number alone depth
   * 0. An array or object opened past it throws a {@link PartialJSONError} with reason
   * `'max-depth'`, so that hostile or runaway text cannot make the parser (or the code that walks
   * its values) use unbounded stack. `Infinity` removes the limit; the parser itself never recurses.
   *
   * @defaultValue {@link DEFAULT_MAX_JSON_DEPTH} (64)
   */
  maxDepth?: number | undefined;
}

/** The default `maxDepth` of the partial-JSON parser: 64 nested arrays or objects. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

/** An incremental JSON parser: push text deltas, read the best current value at any moment. */
export interface PartialJSONParser {
  /**
   * Parses the next piece of the JSON text. A delta may end anywhere: inside a string, an escape
   * sequence (`\u00` + `e9`), a surrogate pair, a number or a literal (`tr` + `ue`). Costs time
   * proportional to the delta; the text already pushed is never read again.
   *
   * @throws {PartialJSONError} at the first character that makes the text invalid (reason
   * `'unexpected-character'` or `'invalid-escape'`, also for anything but whitespace after a
   * complete value), or that opens an array or object past `maxDepth` (`'max-depth'`). Every later
   * call throws the same error.
   * @throws {TypeError} when called after {@link PartialJSONParser.end}.
   */
  push(delta: string): void;
  /**
   * The best current value of the text pushed so far, `undefined` until a value has begun (see
   * {@link createPartialJSONParser} for what partial values look like). Arrays and objects are
   * frozen and structurally shared: a subtree that did not change since the last read is the same
   * (`===`) object. Reading costs the depth of the value plus the members of the arrays and objects
   * still open (they are copied); reading twice without a push in between returns the same value.
   */
  readonly value: unknown;
  /**
   * True once a complete top-level value has been read, i.e. its closing `}`, `]`, `"` or last
   * letter has arrived. A top-level number is complete only when something follows it (whitespace)
   * or at `end()`, since another digit could still come.
   */
  readonly done: boolean;
  /**
   * Declares the text complete and returns its value, which then equals `JSON.parse` of the whole
   * text (arrays and objects frozen). Calling it again returns the same value.
   *
   * @throws {PartialJSONError} with reason `'unexpected-end'` when the text stops before the value
   * is complete (or has none), or the error `push` threw before.
   */
  end(): unknown;
}

/**
 * Creates an incremental JSON parser for text that arrives in deltas: a tool call's arguments
 * while they stream, or structured output (JSON text deltas in, a partial object out). It follows
 * RFC 8259 as `JSON.parse` does, and its final value equals `JSON.parse` of the whole text.
 *
 * At any moment, `value` is the best value of the text so far:
 * - a string shows the characters received so far, decoded; never half an escape sequence, and
 *   never a high surrogate whose low half may still come (`"\uD83D` shows `""` until `\uDE00`);
 * - a number shows the longest prefix of its digits that is a valid number: `-` shows nothing yet,
 *   `12` shows 12 (even if `3` follows), `1.` and `1e` show 1, `-0` shows -0;
 * - `true`, `false` and `null` show as soon as their first letter arrives (it decides which);
 * - an array shows its completed elements plus the one being read, once it has begun;
 * - an object shows its completed members plus the one being read once its value has begun: a key
 *   alone (`{"a":`) is not shown, a string value shows as soon as its opening quote arrives;
 * - `undefined` until the top-level value has begun.
 *
 * Cost: each `push` is linear in its delta (plus the depth when a value grows), and the text is
 * never re-parsed. Reading `value` rebuilds only the arrays and objects that changed since the
 * last read, which are the ones on the path to the value being read; everything else keeps its
 * identity (`===`), so memoised components skip it. Strings grow by concatenation, which engines
 * do in constant time with ropes. Snapshots are frozen and never change.
 *
 * @throws {RangeError} when `maxDepth` is not a number ≥ 0.
 *
 * @example
 * ```ts
 * const parser = createPartialJSONParser();
 * parser.push('{"path": "src/ma');
 * parser.value; // { path: "src/ma" }
 * parser.push('in.ts", "edits": [{"line": 1');
 * parser.value; // { path: "src/main.ts", edits: [{ line: 1 }] }
 * parser.push('2}]}');
 * parser.done; // true
 * parser.end(); // { path: "src/main.ts", edits: [{ line: 12 }] }
 * ```
 */
export function createPartialJSONParser(options: PartialJSONParserOptions = {}): PartialJSONParser {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  if (!(maxDepth >= 0)) {
    throw new RangeError(`maxDepth must be a number >= 0, got ${String(maxDepth)}`);
  }

  const reader = new PartialJSONReader(maxDepth);
  return {
    push: (delta) => reader.push(delta),
    get value() {
      return reader.value();
    },
    get done() {
      return reader.done;
    },
    end: () => reader.end(),
  };
}

/**
 * Parses JSON text that may be cut off anywhere, in one go: the value that
 * {@link createPartialJSONParser}'s `value` would show after pushing `text` (same rules for
 * partial strings, numbers, literals, arrays and objects; `undefined` when no value has begun).
 * For text that arrives in deltas, keep a parser instead: calling this on the growing text
 * re-parses it every time, which is quadratic.
 *
 * @throws {PartialJSONError} when `text` cannot be the beginning of a JSON text, or nests deeper
 * than `maxDepth` (default {@link DEFAULT_MAX_JSON_DEPTH}).
 *
 * @example
 * ```ts
 * parsePartialJSON('{"city": "Par'); // { city: "Par" }
 * parsePartialJSON('[1, 2, tr'); // [1, 2, true]
 * parsePartialJSON('{"n": -'); // {}
 * ```
 */
export function parsePartialJSON(text: string, options?: PartialJSONParserOptions): unknown {
  const parser = createPartialJSONParser(options);
  parser.push(text);
  return parser.value;
}
