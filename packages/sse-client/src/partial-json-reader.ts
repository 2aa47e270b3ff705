// The partial-JSON parser's engine: reads JSON text one delta at a time, keeps the open arrays
// and objects as a stack, and builds frozen snapshots on demand. Internal: the public API is
// `createPartialJSONParser` in partial-json.ts.
import { PartialJSONError, type PartialJSONErrorReason } from './partial-json-error.js';
import {
  AFTER_VALUE,
  ARRAY_FIRST,
  COLON,
  describeCharacter,
  DONE,
  EAGER_NUMBER_LENGTH,
  ESCAPE,
  ESCAPES,
  hexValue,
  isAccepting,
  isDigit,
  isWhitespace,
  KEY,
  LEAF_LITERAL,
  LEAF_NONE,
  LEAF_NUMBER,
  LEAF_STRING,
  LITERAL,
  LITERALS,
  N_END,
  N_ERROR,
  N_START,
  NUMBER,
  NUMBER_EXPECTATIONS,
  OBJECT_FIRST,
  STRING,
  stepNumber,
  UNICODE,
  VALUE,
} from './partial-json-grammar.js';
import { buildSnapshot, type Container, setMember } from './partial-json-snapshot.js';

/** Reads JSON text in deltas. See `createPartialJSONParser` for the rules and the cost model. */
export class PartialJSONReader {
  private readonly maxDepth: number;
  /** What the text expects next (a state of partial-json-grammar.ts). */
  private state = VALUE;
  /** Characters pushed before the current delta. */
  private offset = 0;
  private failure: PartialJSONError | undefined;
  private ended = false;
  /** The complete top-level value, once `state` is DONE. */
  private root: unknown;
  /**
   * The open arrays and objects, outermost first. A container's snapshot is cleared whenever
   * something inside it changes, and then its ancestors' are too: the containers without a
   * snapshot are always the outermost ones.
   */
  private readonly stack: Container[] = [];

  /** The value being read when it is a string, number or literal (a key being read is not a value). */
  private leaf = LEAF_NONE;
  // Strings, keys and values: the decoded text so far, a high surrogate held back, the \u escape.
  private inKey = false;
  private text = '';
  private heldHighSurrogate = '';
  private unicode = 0;
  private unicodeDigits = 0;
  // Numbers: the characters so far, how many of them form a valid number, that number if known.
  private numberState = N_START;
  private numberText = '';
  private validLength = 0;
  private numberValue: number | undefined;
  // Literals: the word, its value, how many letters have arrived.
  private literal = '';
  private literalValue: boolean | null = null;
  private literalIndex = 0;

  constructor(maxDepth: number) {
    this.maxDepth = maxDepth;
  }

  get done(): boolean {
    return this.state === DONE;
  }

  push(delta: string): void {
    if (this.failure) throw this.failure;
    if (this.ended) throw new TypeError('push() was called after end()');
    const length = delta.length;
    let index = 0;
    while (index < length) {
      const state = this.state;
      if (state === STRING) {
        index = this.readString(delta, index);
      } else if (state === NUMBER) {
        index = this.readNumber(delta, index);
      } else {
        const code = delta.charCodeAt(index);
        if (state === ESCAPE) this.readEscape(code, index);
        else if (state === UNICODE) this.readUnicode(code, index);
        else if (state === LITERAL) this.readLiteral(code, index);
        else if (!isWhitespace(code) && this.readStructural(code, index) === 0) continue; // a number: read again
        index += 1;
      }
    }
    this.offset += length;
  }

  end(): unknown {
    if (this.failure) throw this.failure;
    if (this.ended) return this.root;
    this.ended = true;
    if (this.state === NUMBER && isAccepting(this.numberState)) this.finishNumber();
    const state = this.state;
    if (state !== DONE) {
      const open = this.stack[this.stack.length - 1];
      const where =
        state === NUMBER ? 'the number is incomplete'
        : state === STRING || state === ESCAPE || state === UNICODE ? 'the text ended inside a string'
        : state === LITERAL ? `the text ended inside "${this.literal}"`
        : open ? `the text ended inside an ${open.isArray ? 'array' : 'object'}`
        : 'the text holds no JSON value';
      this.fail('unexpected-end', 0, where); // at index 0 of no delta: the end of the text
    }
    return this.root;
  }

  /** The best current value: rebuilds the snapshots of the containers that changed, outermost last. */
  value(): unknown {
    if (this.state === DONE) return this.root;
    const stack = this.stack;
    if (stack.length === 0) return this.leafValue();
    let clean = 0;
    while (clean < stack.length && stack[clean]!.snapshot === undefined) clean += 1;
    let child = clean < stack.length ? stack[clean]!.snapshot : this.leafValue();
    for (let index = clean - 1; index >= 0; index -= 1) {
      const container = stack[index]!;
      container.snapshot = buildSnapshot(container, child);
      child = container.snapshot;
    }
    return stack[0]!.snapshot;
  }

  /** Throws, and keeps throwing: `index` is where in the current delta. */
  private fail(reason: PartialJSONErrorReason, index: number, detail: string): never {
    this.failure = new PartialJSONError(reason, this.offset + index, detail);
    throw this.failure;
  }

  /** Something visible changed in the value being read: its containers need new snapshots. */
  private changed(): void {
    const stack = this.stack;
    for (let index = stack.length - 1; index >= 0; index -= 1) {
      const container = stack[index]!;
      if (container.snapshot === undefined) return;
      container.snapshot = undefined;
    }
  }

  private leafValue(): unknown {
    switch (this.leaf) {
      case LEAF_STRING:
        return this.text;
      case LEAF_NUMBER:
        if (this.validLength === 0) return undefined;
        this.numberValue ??= Number(this.numberText.slice(0, this.validLength));
        return this.numberValue;
      case LEAF_LITERAL:
        return this.literalValue;
      default:
        return undefined;
    }
  }

  /** A value is complete: it becomes a member of its container, or the result. */
  private finishValue(value: unknown): void {
    this.leaf = LEAF_NONE;
    const container = this.stack[this.stack.length - 1];
    if (container === undefined) {
      this.root = value;
      this.state = DONE;
    } else {
      if (container.isArray) container.items.push(value);
      else setMember(container.entries, container.key, value);
      this.state = AFTER_VALUE;
    }
  }

  /** Handles a character between tokens (not whitespace); returns how many it consumed (0 or 1). */
  private readStructural(code: number, index: number): number {
    switch (this.state) {
      case VALUE:
        return this.beginValue(code, index);
      case ARRAY_FIRST:
        if (code !== 0x5d) return this.beginValue(code, index);
        this.closeContainer();
        return 1;
      case OBJECT_FIRST:
      case KEY:
        if (code === 0x22) this.openString(true);
        else if (code === 0x7d && this.state === OBJECT_FIRST) this.closeContainer();
        else {
          const expected = this.state === KEY ? 'a' : 'a "}" or a';
          this.fail('unexpected-character', index, `expected ${expected} double-quoted property name, got ${describeCharacter(code)}`);
        }
        return 1;
      case COLON:
        if (code !== 0x3a) {
          this.fail('unexpected-character', index, `expected ":" after a property name, got ${describeCharacter(code)}`);
        }
        this.state = VALUE;
        return 1;
      case AFTER_VALUE: {
        const isArray = this.stack[this.stack.length - 1]!.isArray;
        if (code === 0x2c) this.state = isArray ? VALUE : KEY;
        else if (code === (isArray ? 0x5d : 0x7d)) this.closeContainer();
        else {
          const expected = isArray ? '"," or "]" after an array element' : '"," or "}" after a property value';
          this.fail('unexpected-character', index, `expected ${expected}, got ${describeCharacter(code)}`);
        }
        return 1;
      }
      default: // DONE
        return this.fail('unexpected-character', index, `unexpected ${describeCharacter(code)} after the end of the JSON value`);
    }
  }

  /** Starts the value beginning with `code`; returns how many characters it consumed (0 or 1). */
  private beginValue(code: number, index: number): number {
    if (code === 0x22) {
      this.openString(false);
      return 1;
    }
    if (code === 0x7b || code === 0x5b) {
      this.openContainer(code === 0x5b, index);
      return 1;
    }
    if (code === 0x2d || isDigit(code)) {
      // Nothing to show yet: the number state machine reads this character again.
      this.leaf = LEAF_NUMBER;
      this.numberState = N_START;
      this.numberText = '';
      this.validLength = 0;
      this.numberValue = undefined;
      this.state = NUMBER;
      return 0;
    }
    const literal = LITERALS[code];
    if (literal === undefined) {
      return this.fail('unexpected-character', index, `expected a JSON value, got ${describeCharacter(code)}`);
    }
    [this.literal, this.literalValue] = literal;
    this.literalIndex = 1;
    this.leaf = LEAF_LITERAL;
    this.state = LITERAL;
    this.changed();
    return 1;
  }

  private openContainer(isArray: boolean, index: number): void {
    if (this.stack.length >= this.maxDepth) {
      this.fail('max-depth', index, `arrays and objects nested deeper than maxDepth (${this.maxDepth})`);
    }
    this.changed();
    this.stack.push({ isArray, items: [], entries: {}, key: '', snapshot: undefined });
    this.state = isArray ? ARRAY_FIRST : OBJECT_FIRST;
  }

  private closeContainer(): void {
    // Its snapshot, if still valid, is the one its parent's snapshot holds: the parent keeps it.
    const container = this.stack.pop()!;
    this.finishValue(container.snapshot ?? buildSnapshot(container, undefined));
  }

  private readLiteral(code: number, index: number): void {
    if (code !== this.literal.charCodeAt(this.literalIndex)) {
      this.fail('unexpected-character', index, `expected "${this.literal}", got ${describeCharacter(code)}`);
    }
    this.literalIndex += 1;
    if (this.literalIndex === this.literal.length) this.finishValue(this.literalValue);
  }

  /** Reads a run of number characters from `start`; returns where it stopped. */
  private readNumber(delta: string, start: number): number {
    let index = start;
    let accepted = -1;
    let next = this.numberState;
    while (index < delta.length) {
      next = stepNumber(this.numberState, delta.charCodeAt(index));
      if (next < 0) break;
      this.numberState = next;
      index += 1;
      if (isAccepting(next)) accepted = index;
    }
    if (index > start) {
      const before = this.numberText.length;
      this.numberText += delta.slice(start, index);
      if (accepted !== -1) this.grewNumber(before + accepted - start);
    }
    if (next === N_ERROR) {
      const detail = NUMBER_EXPECTATIONS[this.numberState] ?? 'invalid number';
      this.fail('unexpected-character', index, `${detail}, got ${describeCharacter(delta.charCodeAt(index))}`);
    }
    // The states that are not accepting give N_ERROR, never N_END: here the number is valid.
    if (next === N_END) this.finishNumber();
    return index;
  }

  private grewNumber(validLength: number): void {
    this.validLength = validLength;
    if (validLength > EAGER_NUMBER_LENGTH) {
      this.numberValue = undefined; // converted when read
      this.changed();
      return;
    }
    // `1.0` shows the same 1 as `1`: nothing changed, the snapshots keep their identity.
    const value = Number(this.numberText.slice(0, validLength));
    if (!Object.is(value, this.numberValue)) {
      this.numberValue = value;
      this.changed();
    }
  }

  private finishNumber(): void {
    const value = Number(this.numberText);
    this.numberText = '';
    this.numberValue = undefined;
    this.finishValue(value);
  }

  private openString(key: boolean): void {
    this.inKey = key;
    this.leaf = key ? LEAF_NONE : LEAF_STRING;
    this.text = '';
    this.heldHighSurrogate = '';
    this.state = STRING;
    if (!key) this.changed();
  }

  /** Reads string characters from `start`, up to a quote, backslash or control character; returns where it stopped. */
  private readString(delta: string, start: number): number {
    let index = start;
    let code = 0;
    while (index < delta.length) {
      code = delta.charCodeAt(index);
      if (code === 0x22 || code === 0x5c || code < 0x20) break;
      index += 1;
    }
    if (index > start) this.appendText(delta.slice(start, index));
    if (index === delta.length) return index;
    if (code === 0x22) this.closeString();
    else if (code === 0x5c) this.state = ESCAPE;
    else {
      this.fail('unexpected-character', index, `control character ${describeCharacter(code)} in a string (it must be escaped)`);
    }
    return index + 1;
  }

  private readEscape(code: number, index: number): void {
    if (code === 0x75) {
      this.unicode = 0;
      this.unicodeDigits = 0;
      this.state = UNICODE;
      return;
    }
    const decoded = ESCAPES[code];
    if (decoded === undefined) {
      this.fail('invalid-escape', index, `invalid escape sequence "\\${String.fromCharCode(code)}"`);
    }
    this.appendText(decoded);
    this.state = STRING;
  }

  private readUnicode(code: number, index: number): void {
    const digit = hexValue(code);
    if (digit < 0) {
      this.fail('invalid-escape', index, `expected a hexadecimal digit in a \\u escape, got ${describeCharacter(code)}`);
    }
    this.unicode = this.unicode * 16 + digit;
    this.unicodeDigits += 1;
    if (this.unicodeDigits === 4) {
      this.appendText(String.fromCharCode(this.unicode));
      this.state = STRING;
    }
  }

  /** Appends decoded text to the string, holding back a trailing high surrogate. */
  private appendText(decoded: string): void {
    let run = this.heldHighSurrogate === '' ? decoded : this.heldHighSurrogate + decoded;
    this.heldHighSurrogate = '';
    const last = run.charCodeAt(run.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.heldHighSurrogate = run.slice(-1);
      run = run.slice(0, -1);
      if (run === '') return;
    }
    this.text += run;
    if (!this.inKey) this.changed();
  }

  private closeString(): void {
    if (this.heldHighSurrogate !== '') {
      // A lone high surrogate: JSON.parse keeps it, and so do we.
      this.text += this.heldHighSurrogate;
      this.heldHighSurrogate = '';
      if (!this.inKey) this.changed();
    }
    const text = this.text;
    this.text = '';
    if (this.inKey) {
      this.stack[this.stack.length - 1]!.key = text;
      this.inKey = false;
      this.state = COLON;
    } else {
      this.finishValue(text);
    }
  }
}
