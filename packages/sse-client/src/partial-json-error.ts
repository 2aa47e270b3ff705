import { TokenStreamError } from './errors.js';

/**
 * Why a {@link PartialJSONError} was thrown:
 * - `'unexpected-character'`: a character that cannot come where it is (a missing comma or
 *   colon, a trailing comma, `01`, `tx`, an unescaped control character inside a string,
 *   non-whitespace after the complete value, ...);
 * - `'invalid-escape'`: a backslash not followed by one of `" \ / b f n r t u`, or `\u` not
 *   followed by four hexadecimal digits;
 * - `'unexpected-end'`: `end()` was called before the value was complete;
 * - `'max-depth'`: arrays and objects nested deeper than the parser's `maxDepth`.
 *
 * @example
 * ```ts
 * if (error instanceof PartialJSONError && error.reason === 'unexpected-end') showTruncated();
 * ```
 */
export type PartialJSONErrorReason = 'unexpected-character' | 'invalid-escape' | 'unexpected-end' | 'max-depth';

/**
 * The text given to a partial-JSON parser is not JSON (RFC 8259, the grammar `JSON.parse`
 * follows), or is nested too deeply. It is thrown at the first character where the text can no
 * longer be the beginning of a JSON text: by `push()` for a bad character, by `end()` when the
 * text stops short.
 *
 * The parser keeps what it had: its `value` is still the best value of the text before
 * {@link PartialJSONError.position}, and every later `push()` or `end()` throws this same error.
 *
 * @example
 * ```ts
 * const parser = createPartialJSONParser();
 * try {
 *   parser.push('{"a": 1 "b": 2}');
 * } catch (error) {
 *   if (error instanceof PartialJSONError) console.log(error.reason, error.position); // "unexpected-character" 8
 * }
 * parser.value; // { a: 1 }
 * ```
 */
export class PartialJSONError extends TokenStreamError {
  override name = 'PartialJSONError' as const;
  /**
   * Where the problem is, in UTF-16 code units from the start of the whole text (all the deltas
   * pushed so far, as `String.prototype.length` counts): the offending character, or the length of
   * the text for `'unexpected-end'`.
   */
  readonly position: number;
  /** What kind of problem it is; the message says it in words. */
  readonly reason: PartialJSONErrorReason;

  constructor(reason: PartialJSONErrorReason, position: number, detail: string) {
    super(`${reason === 'unexpected-end' ? 'Incomplete' : 'Invalid'} JSON at position ${position}: ${detail}`);
    this.reason = reason;
    this.position = position;
  }
}
