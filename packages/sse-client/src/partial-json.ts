import { PartialJSONReader } from './partial-json-reader.js';

export { PartialJSONError, type PartialJSONErrorReason } from './partial-json-error.js';

/**
 * Options for {@link createPartialJSONParser} and {@link parsePartialJSON}.
 *
 * @example
 * ```ts
 * const parser = createPartialJSONParser({ maxDepth: 16 });
 * ```
 */
export interface PartialJSONParserOptions {
  /**
   * How deeply arrays and objects may nest: `[[1]]` has depth 2, a string or number alone depth
   * 0. An array or object opened past it throws a {@link PartialJSONError} with reason
   * `'max-depth'`, so that hostile or runaway text cannot make the code that walks the values
   * (a recursive renderer, `structuredClone`, `JSON.stringify`) overflow its stack. `Infinity`
   * removes the limit; the parser itself never recurses.
   *
   * @defaultValue {@link DEFAULT_MAX_JSON_DEPTH} (64)
   */
  maxDepth?: number | undefined;
}

/**
 * The default `maxDepth` of the partial-JSON parser: 64 nested arrays or objects, far more than
 * tool arguments or structured output use.
 *
 * @example
 * ```ts
 * createPartialJSONParser({ maxDepth: DEFAULT_MAX_JSON_DEPTH * 2 });
 * ```
 */
export const DEFAULT_MAX_JSON_DEPTH = 64;

/**
 * An incremental JSON parser: push text deltas, read the best current value at any moment.
 * Made by {@link createPartialJSONParser}.
 *
 * @example
 * ```ts
 * const parser = createPartialJSONParser();
 * for await (const delta of argumentDeltas) {
 *   parser.push(delta);
 *   render(parser.value); // a frozen, structurally shared snapshot
 * }
 * const input = parser.end(); // equals JSON.parse of the whole text
 * ```
 */
export interface PartialJSONParser {
  /**
   * Parses the next piece of the JSON text. A delta may end anywhere: inside a string, an escape
   * sequence (`\u00` + `e9`), a surrogate pair, a number or a literal (`tr` + `ue`); it may be
   * empty. Costs time proportional to the delta; the text already pushed is never read again.
   *
   * @throws {PartialJSONError} at the first character that makes the text invalid (reason
   * `'unexpected-character'` or `'invalid-escape'`, also for anything but whitespace after a
   * complete value), or that opens an array or object past `maxDepth` (`'max-depth'`). Every later
   * call throws the same error; `value` stays what it was before the offending character.
   * @throws {TypeError} when called after {@link PartialJSONParser.end}.
   */
  push(delta: string): void;
  /**
   * The best current value of the text pushed so far, `undefined` until a value has begun (see
   * {@link createPartialJSONParser} for what partial values look like). Arrays and objects are
   * frozen and structurally shared: a subtree that did not change since the last read is the same
   * (`===`) object, and reading again with no visible change in between returns the same value,
   * so it can serve as a `useSyncExternalStore` snapshot as it is.
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
   * @throws {PartialJSONError} with reason `'unexpected-end'` and the text's length as `position`
   * when the text stops before the value is complete (or has none); or the error `push` threw before.
   */
  end(): unknown;
}

/**
 * Creates an incremental JSON parser for text that arrives in deltas: a tool call's arguments
 * while they stream, or structured output (JSON text deltas in, a partial object out). It reads
 * JSON as RFC 8259 defines it and `JSON.parse` accepts it (also lone surrogates, duplicate keys:
 * the last wins, `"__proto__"` as an own property), and its final value equals `JSON.parse` of the
 * whole text.
 *
 * At any moment, `value` is the best value of the text so far:
 * - a string shows the characters received so far, decoded; never half an escape sequence, and
 *   never a high surrogate whose low half may still come (`"\uD83D` shows `""` until `\uDE00`);
 * - a number shows the longest prefix of its characters that is a valid number: `-` shows nothing
 *   yet, `12` shows 12 (even if `3` follows), `1.` and `1e` show 1, `-0` shows -0;
 * - `true`, `false` and `null` show as soon as their first letter arrives (it decides which);
 * - an array shows its completed elements plus the one being read, once it has begun;
 * - an object shows its completed members plus the one being read once its value has begun: a key
 *   alone (`{"a":`) is not shown, a string value shows as `""` as soon as its opening quote arrives;
 * - `undefined` until the top-level value has begun.
 * These are the partial values the `partial-json` package and the AI SDK's `parsePartialJson` give
 * (checked side by side), except that a high surrogate waits for its other half.
 *
 * Cost: each `push` takes time linear in its delta, plus the depth of the value when the value
 * being read grows; the text is never re-parsed. Reading `value` rebuilds only what changed since
 * the last read: the arrays and objects on the path from the root to the value being read, each
 * copied member by member (an immutable array that changed must be a new array). So a read costs
 * the depth plus the members of those open containers, never the whole value: with 1,000 elements
 * in the array being streamed, each read copies 1,000 references (read once per animation frame
 * rather than once per delta if that matters). Completed subtrees are never copied again and keep
 * their identity (`===`), so memoised components skip them. Strings grow by concatenation, which
 * engines do in constant time with ropes; using a long string (rendering it) costs its length, as
 * for any string. A number literal longer than 64 characters costs its length at each read.
 * Snapshots are frozen and never change.
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
