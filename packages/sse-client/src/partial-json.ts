import { PartialJSONError, type PartialJSONErrorReason } from './partial-json-error.js';

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

// What the parser expects next.
const VALUE = 0; // a value: at the start, after ':', after ',' in an array
const ARRAY_FIRST = 1; // after '[': a value or ']'
const OBJECT_FIRST = 2; // after '{': a key or '}'
const KEY = 3; // after ',' in an object: a key
const COLON = 4; // after a key: ':'
const AFTER_VALUE = 5; // after a member: ',' or the closing bracket
const DONE = 6; // after the top-level value: whitespace only
const STRING = 7; // inside a string (a key or a value)
const ESCAPE = 8; // after a backslash in a string
const UNICODE = 9; // inside \uXXXX
const NUMBER = 10;
const LITERAL = 11; // inside true, false or null

// Number grammar (RFC 8259 § 6): -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
const N_START = 0;
const N_MINUS = 1;
const N_ZERO = 2; // accepting
const N_INT = 3; // accepting
const N_DOT = 4;
const N_FRACTION = 5; // accepting
const N_E = 6;
const N_EXPONENT_SIGN = 7;
const N_EXPONENT = 8; // accepting
const N_END = -1; // the character is not part of the number, which is complete
const N_ERROR = -2; // the character cannot follow

// The value leaf being read, if any (a key being read is not a value).
const LEAF_NONE = 0;
const LEAF_STRING = 1;
const LEAF_NUMBER = 2;
const LEAF_LITERAL = 3;

const LITERALS: Record<number, readonly [string, boolean | null]> = {
  0x74: ['true', true],
  0x66: ['false', false],
  0x6e: ['null', null],
};

const ESCAPES: Record<number, string> = {
  0x22: '"',
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
};

/** An array or object still open, with its completed members and its cached snapshot. */
interface Container {
  readonly isArray: boolean;
  /** The completed elements of an array (their final values, frozen). */
  readonly items: unknown[];
  /** The completed members of an object (their final values, frozen). */
  readonly entries: Record<string, unknown>;
  /** The key of the member being read (objects). */
  key: string;
  /** The frozen snapshot last built, or `undefined` when something below changed since. */
  snapshot: object | undefined;
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

/** The number state after `code`, or N_END / N_ERROR. */
function stepNumber(state: number, code: number): number {
  const digit = isDigit(code);
  const exponent = code === 0x65 || code === 0x45;
  switch (state) {
    case N_START:
      return code === 0x2d ? N_MINUS : code === 0x30 ? N_ZERO : N_INT;
    case N_MINUS:
      return code === 0x30 ? N_ZERO : digit ? N_INT : N_ERROR;
    case N_ZERO:
      return digit ? N_ERROR : code === 0x2e ? N_DOT : exponent ? N_E : N_END;
    case N_INT:
      return digit ? N_INT : code === 0x2e ? N_DOT : exponent ? N_E : N_END;
    case N_DOT:
      return digit ? N_FRACTION : N_ERROR;
    case N_FRACTION:
      return digit ? N_FRACTION : exponent ? N_E : N_END;
    case N_E:
      return digit ? N_EXPONENT : code === 0x2b || code === 0x2d ? N_EXPONENT_SIGN : N_ERROR;
    case N_EXPONENT_SIGN:
      return digit ? N_EXPONENT : N_ERROR;
    default: // N_EXPONENT
      return digit ? N_EXPONENT : N_END;
  }
}

function isAccepting(state: number): boolean {
  return state === N_ZERO || state === N_INT || state === N_FRACTION || state === N_EXPONENT;
}

const NUMBER_EXPECTATIONS: Record<number, string> = {
  [N_MINUS]: 'expected a digit after "-"',
  [N_ZERO]: 'a number cannot have a leading zero',
  [N_DOT]: 'expected a digit after the decimal point',
  [N_E]: 'expected a digit or a sign after the exponent marker',
  [N_EXPONENT_SIGN]: 'expected a digit in the exponent',
};

/** Sets an own data property, also for the key `"__proto__"` (as `JSON.parse` does). */
function setMember(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/** A frozen copy of the container's completed members plus `child` (the open member) if any. */
function buildSnapshot(container: Container, child: unknown): object {
  if (container.isArray) {
    const array = container.items.slice();
    if (child !== undefined) array.push(child);
    return Object.freeze(array);
  }
  const object = { ...container.entries };
  if (child !== undefined) setMember(object, container.key, child);
  return Object.freeze(object);
}

function describeCharacter(code: number): string {
  return JSON.stringify(String.fromCharCode(code));
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

  let state = VALUE;
  let offset = 0; // characters pushed before the current delta
  let failure: PartialJSONError | undefined;
  let ended = false;
  let root: unknown; // the complete top-level value, once DONE
  // The open arrays and objects, outermost first. A container's snapshot is cleared whenever
  // something inside it changes, and then its ancestors' are too, so the containers without a
  // snapshot are always the outermost ones.
  const stack: Container[] = [];

  // The value leaf being read.
  let leaf = LEAF_NONE;
  // Strings (keys and values): the decoded text so far, a high surrogate held back, and the \u escape.
  let inKey = false;
  let text = '';
  let heldHighSurrogate = '';
  let unicode = 0;
  let unicodeDigits = 0;
  // Numbers: the characters so far, how many form a valid number, and that number once computed.
  let numberState = N_START;
  let numberText = '';
  let validLength = 0;
  let numberValue: number | undefined;
  // Literals.
  let literal = '';
  let literalValue: boolean | null = null;
  let literalIndex = 0;

  function fail(reason: PartialJSONErrorReason, position: number, detail: string): never {
    failure = new PartialJSONError(reason, position, detail);
    throw failure;
  }

  /** Something visible changed in the value being read: its containers need new snapshots. */
  function changed(): void {
    for (let index = stack.length - 1; index >= 0; index -= 1) {
      const container = stack[index]!;
      if (container.snapshot === undefined) return;
      container.snapshot = undefined;
    }
  }

  function leafValue(): unknown {
    switch (leaf) {
      case LEAF_STRING:
        return text;
      case LEAF_NUMBER:
        if (validLength === 0) return undefined;
        numberValue ??= Number(numberText.slice(0, validLength));
        return numberValue;
      case LEAF_LITERAL:
        return literalValue;
      default:
        return undefined;
    }
  }

  function currentValue(): unknown {
    if (state === DONE) return root;
    if (stack.length === 0) return leafValue();
    let clean = 0;
    while (clean < stack.length && stack[clean]!.snapshot === undefined) clean += 1;
    let child = clean < stack.length ? stack[clean]!.snapshot : leafValue();
    for (let index = clean - 1; index >= 0; index -= 1) {
      const container = stack[index]!;
      container.snapshot = buildSnapshot(container, child);
      child = container.snapshot;
    }
    return stack[0]!.snapshot;
  }

  /** A value is complete: it becomes a member of its container, or the result. */
  function finishValue(value: unknown): void {
    leaf = LEAF_NONE;
    const container = stack[stack.length - 1];
    if (container === undefined) {
      root = value;
      state = DONE;
    } else {
      if (container.isArray) container.items.push(value);
      else setMember(container.entries, container.key, value);
      state = AFTER_VALUE;
    }
  }

  function openContainer(isArray: boolean, position: number): void {
    if (stack.length >= maxDepth) {
      fail('max-depth', position, `arrays and objects nested deeper than maxDepth (${maxDepth})`);
    }
    changed();
    stack.push({ isArray, items: [], entries: {}, key: '', snapshot: undefined });
    state = isArray ? ARRAY_FIRST : OBJECT_FIRST;
  }

  function closeContainer(): void {
    // Its snapshot, if still valid, is the one its parent's snapshot holds: the parent keeps it.
    const container = stack.pop()!;
    finishValue(container.snapshot ?? buildSnapshot(container, undefined));
  }

  function openString(key: boolean): void {
    inKey = key;
    leaf = key ? LEAF_NONE : LEAF_STRING;
    text = '';
    heldHighSurrogate = '';
    state = STRING;
    if (!key) changed();
  }

  /** Appends decoded text to the string, holding back a trailing high surrogate. */
  function appendText(decoded: string): void {
    let run = heldHighSurrogate === '' ? decoded : heldHighSurrogate + decoded;
    heldHighSurrogate = '';
    const last = run.charCodeAt(run.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      heldHighSurrogate = run.slice(-1);
      run = run.slice(0, -1);
      if (run === '') return;
    }
    text += run;
    if (!inKey) changed();
  }

  function closeString(): void {
    if (heldHighSurrogate !== '') {
      // A lone high surrogate: JSON.parse keeps it, and so do we.
      text += heldHighSurrogate;
      heldHighSurrogate = '';
      if (!inKey) changed();
    }
    if (inKey) {
      stack[stack.length - 1]!.key = text;
      inKey = false;
      state = COLON;
    } else {
      finishValue(text);
    }
    text = '';
  }

  function finishNumber(): void {
    const value = Number(numberText);
    numberText = '';
    numberValue = undefined;
    finishValue(value);
  }

  /** Starts the value beginning with `code`; returns how many characters it consumed (0 or 1). */
  function beginValue(code: number, position: number): number {
    if (code === 0x22) {
      openString(false);
      return 1;
    }
    if (code === 0x7b || code === 0x5b) {
      openContainer(code === 0x5b, position);
      return 1;
    }
    if (code === 0x2d || isDigit(code)) {
      // Not visible yet: the number state machine consumes the character.
      leaf = LEAF_NUMBER;
      numberState = N_START;
      numberText = '';
      validLength = 0;
      numberValue = undefined;
      state = NUMBER;
      return 0;
    }
    const found = LITERALS[code];
    if (found === undefined) {
      return fail('unexpected-character', position, `expected a JSON value, got ${describeCharacter(code)}`);
    }
    [literal, literalValue] = found;
    literalIndex = 1;
    leaf = LEAF_LITERAL;
    state = LITERAL;
    changed();
    return 1;
  }

  /** Reads a run of number characters from `start`; returns where the run stopped. */
  function readNumber(delta: string, start: number): number {
    let index = start;
    let accepted = -1;
    let next = numberState;
    while (index < delta.length) {
      const code = delta.charCodeAt(index);
      next = stepNumber(numberState, code);
      if (next < 0) break;
      numberState = next;
      index += 1;
      if (isAccepting(next)) accepted = index;
    }
    if (index > start) {
      const before = numberText.length;
      numberText += delta.slice(start, index);
      if (accepted !== -1) {
        validLength = before + accepted - start;
        numberValue = undefined;
        changed();
      }
    }
    if (next === N_ERROR) {
      const detail = NUMBER_EXPECTATIONS[numberState] ?? 'invalid number';
      fail('unexpected-character', offset + index, `${detail}, got ${describeCharacter(delta.charCodeAt(index))}`);
    }
    // The number states that are not accepting give N_ERROR, never N_END: here the number is valid.
    if (next === N_END) finishNumber();
    return index;
  }

  /** Reads string characters from `start`; returns where it stopped. */
  function readString(delta: string, start: number): number {
    let index = start;
    let code = 0;
    while (index < delta.length) {
      code = delta.charCodeAt(index);
      if (code === 0x22 || code === 0x5c || code < 0x20) break;
      index += 1;
    }
    if (index > start) appendText(delta.slice(start, index));
    if (index === delta.length) return index;
    if (code === 0x22) closeString();
    else if (code === 0x5c) state = ESCAPE;
    else {
      fail(
        'unexpected-character',
        offset + index,
        `control character ${describeCharacter(code)} in a string (it must be escaped)`,
      );
    }
    return index + 1;
  }

  function push(delta: string): void {
    if (failure) throw failure;
    if (ended) throw new TypeError('push() was called after end()');
    const length = delta.length;
    let index = 0;
    while (index < length) {
      if (state === STRING) {
        index = readString(delta, index);
        continue;
      }
      if (state === NUMBER) {
        index = readNumber(delta, index);
        continue;
      }
      const code = delta.charCodeAt(index);
      const position = offset + index;
      switch (state) {
        case ESCAPE: {
          if (code === 0x75) {
            unicode = 0;
            unicodeDigits = 0;
            state = UNICODE;
          } else {
            const decoded = ESCAPES[code];
            if (decoded === undefined) {
              fail('invalid-escape', position, `invalid escape sequence "\\${String.fromCharCode(code)}"`);
            }
            appendText(decoded);
            state = STRING;
          }
          index += 1;
          break;
        }
        case UNICODE: {
          const digit = hexValue(code);
          if (digit < 0) {
            fail('invalid-escape', position, `expected a hexadecimal digit in \\u escape, got ${describeCharacter(code)}`);
          }
          unicode = unicode * 16 + digit;
          unicodeDigits += 1;
          if (unicodeDigits === 4) {
            appendText(String.fromCharCode(unicode));
            state = STRING;
          }
          index += 1;
          break;
        }
        case LITERAL: {
          if (code !== literal.charCodeAt(literalIndex)) {
            fail('unexpected-character', position, `expected "${literal}", got ${describeCharacter(code)}`);
          }
          literalIndex += 1;
          index += 1;
          if (literalIndex === literal.length) finishValue(literalValue);
          break;
        }
        default:
          if (isWhitespace(code)) {
            index += 1;
            break;
          }
          index += structural(code, position);
      }
    }
    offset += length;
  }

  /** Handles a non-whitespace character between tokens; returns how many it consumed. */
  function structural(code: number, position: number): number {
    switch (state) {
      case VALUE:
        return beginValue(code, position);
      case ARRAY_FIRST:
        if (code === 0x5d) {
          closeContainer();
          return 1;
        }
        return beginValue(code, position);
      case OBJECT_FIRST:
      case KEY:
        if (code === 0x22) {
          openString(true);
          return 1;
        }
        if (code === 0x7d && state === OBJECT_FIRST) {
          closeContainer();
          return 1;
        }
        return fail(
          'unexpected-character',
          position,
          `expected ${state === KEY ? 'a' : 'a "}" or a'} double-quoted property name, got ${describeCharacter(code)}`,
        );
      case COLON:
        if (code === 0x3a) {
          state = VALUE;
          return 1;
        }
        return fail('unexpected-character', position, `expected ":" after a property name, got ${describeCharacter(code)}`);
      case AFTER_VALUE: {
        const isArray = stack[stack.length - 1]!.isArray;
        if (code === 0x2c) {
          state = isArray ? VALUE : KEY;
          return 1;
        }
        if (code === (isArray ? 0x5d : 0x7d)) {
          closeContainer();
          return 1;
        }
        const expected = isArray ? '"," or "]" after an array element' : '"," or "}" after a property value';
        return fail('unexpected-character', position, `expected ${expected}, got ${describeCharacter(code)}`);
      }
      default: // DONE
        return fail(
          'unexpected-character',
          position,
          `unexpected ${describeCharacter(code)} after the end of the JSON value`,
        );
    }
  }

  function end(): unknown {
    if (failure) throw failure;
    if (ended) return root;
    ended = true;
    if (state === NUMBER && isAccepting(numberState)) finishNumber();
    if (state !== DONE) {
      const where =
        state === NUMBER ? 'the number is incomplete'
        : state === STRING || state === ESCAPE || state === UNICODE ? 'the text ended inside a string'
        : state === LITERAL ? `the text ended inside "${literal}"`
        : stack.length > 0 ? `the text ended inside an ${stack[stack.length - 1]!.isArray ? 'array' : 'object'}`
        : 'the text holds no JSON value';
      fail('unexpected-end', offset, where);
    }
    return root;
  }

  return {
    push,
    get value() {
      return currentValue();
    },
    get done() {
      return state === DONE;
    },
    end,
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
