// The JSON grammar (RFC 8259) as the partial-JSON parser reads it, one UTF-16 code unit at a time:
// its states, the number state machine, escapes and literals. Internal: not exported from the package.

// What the parser expects next.
export const VALUE = 0; // a value: at the start, after ':', after ',' in an array
export const ARRAY_FIRST = 1; // after '[': a value or ']'
export const OBJECT_FIRST = 2; // after '{': a key or '}'
export const KEY = 3; // after ',' in an object: a key
export const COLON = 4; // after a key: ':'
export const AFTER_VALUE = 5; // after a member: ',' or the closing bracket
export const DONE = 6; // after the top-level value: whitespace only
export const STRING = 7; // inside a string (a key or a value)
export const ESCAPE = 8; // after a backslash in a string
export const UNICODE = 9; // inside \uXXXX
export const NUMBER = 10;
export const LITERAL = 11; // inside true, false or null

// Number grammar (RFC 8259 § 6): -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
export const N_START = 0;
const N_MINUS = 1;
const N_ZERO = 2; // accepting
const N_INT = 3; // accepting
const N_DOT = 4;
const N_FRACTION = 5; // accepting
const N_E = 6;
const N_EXPONENT_SIGN = 7;
const N_EXPONENT = 8; // accepting
export const N_END = -1; // the character is not part of the number, which is complete
export const N_ERROR = -2; // the character cannot follow

// Numbers up to this many characters (any realistic one) are converted as they grow, so that a
// digit that does not change the value (`1.0`) changes no snapshot; longer ones when read.
export const EAGER_NUMBER_LENGTH = 64;

// The value leaf being read, if any (a key being read is not a value).
export const LEAF_NONE = 0;
export const LEAF_STRING = 1;
export const LEAF_NUMBER = 2;
export const LEAF_LITERAL = 3;

export const LITERALS: Record<number, readonly [string, boolean | null]> = {
  0x74: ['true', true],
  0x66: ['false', false],
  0x6e: ['null', null],
};

export const ESCAPES: Record<number, string> = {
  0x22: '"',
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
};

export function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

/** The number state after `code`, or N_END / N_ERROR. */
export function stepNumber(state: number, code: number): number {
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

export function isAccepting(state: number): boolean {
  return state === N_ZERO || state === N_INT || state === N_FRACTION || state === N_EXPONENT;
}

// Keyed by number state. Literal keys, not `[N_MINUS]`: bundlers cannot drop an unused object
// with computed keys, which would put these strings in every bundle (even one with only the parser).
export const NUMBER_EXPECTATIONS: Record<number, string> = {
  1: 'expected a digit after "-"', // N_MINUS
  2: 'a number cannot have a leading zero', // N_ZERO
  4: 'expected a digit after the decimal point', // N_DOT
  6: 'expected a digit or a sign after the exponent marker', // N_E
  7: 'expected a digit in the exponent', // N_EXPONENT_SIGN
};

export function describeCharacter(code: number): string {
  return JSON.stringify(String.fromCharCode(code));
}
