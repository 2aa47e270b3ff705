// Property tests of the partial-JSON parser on generated JSON texts (any value, any unicode, any
// escaping, whitespace anywhere) cut at arbitrary points, one-character deltas included:
// - the final value equals JSON.parse;
// - every snapshot is consistent with the text seen so far: it is "partial of" the final value
//   (isPartialOf in test/partial-json-helpers.ts states the rule) and equals the one-shot
//   parse of that prefix, whatever the deltas were;
// - snapshots are frozen and share every subtree that did not change;
// - invalid texts fail where JSON.parse says, however they are cut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPartialJSONParser, PartialJSONError, parsePartialJSON } from './partial-json.js';
import {
  codeUnits,
  isDeepFrozen,
  isPartialOf,
  numberLiteral,
  pushDeltas,
  sameValue,
  splitAt,
  unsharedPath,
} from './test/partial-json-helpers.js';
import { createRandom } from './testing/index.js';

const NUM_RUNS = 200;
const SEED = 20_260_801; // fixed: the suite is deterministic; change it locally to explore
const options = { numRuns: NUM_RUNS, seed: SEED };
// Each property runs hundreds of texts through every cut and every prefix: seconds, not milliseconds.
const slow = { timeout: 60_000 };

// --- Generated JSON texts ---------------------------------------------------------------------

/** Characters that matter to strings: quotes, backslashes, controls, surrogate halves and pairs. */
const trickyUnit = fc.constantFrom('"', '\\', '/', '\n', '\t', '\u0000', '\u001f', 'é', '中', '😀', '\uD83D', '\uDE00', 'a', ' ', 'u');

const jsonValue = fc.oneof(
  fc.jsonValue(),
  fc.jsonValue({ stringUnit: 'binary' }),
  fc.jsonValue({ stringUnit: trickyUnit }),
  fc.jsonValue({ stringUnit: trickyUnit, maxDepth: 1 }).map((value) => [value, -0, 0.1, 1e21, -5e-324]),
);

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Writes `value` as JSON text like JSON.stringify, but with whitespace between tokens here and
 * there, and each character of a string written raw, as a short escape or as `\uXXXX` (any case).
 */
function serialize(value: unknown, next: () => number): string {
  const space = (): string => (next() < 0.3 ? [' ', '\n', '\t', '\r\n  ', '  '][Math.floor(next() * 5)]! : '');
  const string = (text: string): string => {
    let out = '"';
    for (const unit of codeUnits(text)) {
      const code = unit.charCodeAt(0);
      const roll = next();
      const mustEscape = unit === '"' || unit === '\\' || code < 0x20;
      if (roll < 0.15 || (mustEscape && roll < 0.5)) {
        const hex = code.toString(16).padStart(4, '0');
        out += `\\u${roll < 0.07 ? hex.toUpperCase() : hex}`;
      } else if (mustEscape || (unit === '/' && roll < 0.6)) {
        out += SHORT_ESCAPES[unit] ?? `\\u${code.toString(16).padStart(4, '0')}`;
      } else {
        out += unit;
      }
    }
    return `${out}"`;
  };
  const write = (item: unknown): string => {
    if (typeof item === 'string') return string(item);
    if (typeof item === 'number') return numberLiteral(item);
    if (item === null || typeof item === 'boolean') return String(item);
    if (Array.isArray(item)) return `[${space()}${item.map((element) => `${write(element)}${space()}`).join(`,${space()}`)}]`;
    const entries = Object.entries(item as Record<string, unknown>);
    return `{${space()}${entries.map(([key, member]) => `${string(key)}${space()}:${space()}${write(member)}${space()}`).join(`,${space()}`)}}`;
  };
  return space() + write(value) + space();
}

/** A JSON text (written with a seeded generator, so one seed gives one serialisation) and cut points for it. */
const textWithCuts = fc
  .tuple(jsonValue, fc.integer())
  .map(([value, seed]) => serialize(value, createRandom(seed)))
  .chain((text) =>
    fc
      .array(fc.integer({ min: 0, max: text.length }), { maxLength: 30 })
      .map((positions) => ({ text, positions: [...positions].sort((a, b) => a - b) })),
  );

// --- Properties -------------------------------------------------------------------------------

describe('generated JSON text, cut anywhere', () => {
  it('the final value equals JSON.parse, and done is true once the value is complete', slow, () => {
    fc.assert(
      fc.property(textWithCuts, ({ text, positions }) => {
        const expected = JSON.parse(text) as unknown;
        for (const deltas of [splitAt(text, positions), codeUnits(text)]) {
          const { parser } = pushDeltas(deltas);
          // A top-level number is complete only when something follows it.
          expect(parser.done).toBe(typeof expected !== 'number' || /\s$/.test(text));
          expect(sameValue(parser.end(), expected)).toBe(true);
          expect(parser.done).toBe(true);
        }
      }),
      options,
    );
  });

  it('every snapshot is partial of the final value, and equals the one-shot parse of the text so far', slow, () => {
    fc.assert(
      fc.property(textWithCuts, ({ text, positions }) => {
        const expected = JSON.parse(text) as unknown;
        const byCharacter = pushDeltas(codeUnits(text)).snapshots;
        for (const [index, snapshot] of byCharacter.entries()) {
          if (!isPartialOf(snapshot, expected)) {
            throw new Error(`after ${JSON.stringify(text.slice(0, index + 1))}: ${JSON.stringify(snapshot)} is not partial of the final value`);
          }
        }
        const cut = pushDeltas(splitAt(text, positions));
        for (const [index, snapshot] of cut.snapshots.entries()) {
          const length = cut.lengths[index]!;
          const prefix = text.slice(0, length);
          expect(sameValue(snapshot, parsePartialJSON(prefix)), `after ${JSON.stringify(prefix)}`).toBe(true);
          if (length > 0) expect(sameValue(snapshot, byCharacter[length - 1]), `after ${JSON.stringify(prefix)}`).toBe(true);
        }
      }),
      options,
    );
  });

  it('snapshots are frozen, never change, and share every subtree that did not change', slow, () => {
    fc.assert(
      fc.property(textWithCuts, ({ text, positions }) => {
        for (const deltas of [splitAt(text, positions), codeUnits(text)]) {
          const { snapshots, parser } = pushDeltas(deltas);
          const copies = snapshots.map((snapshot) => structuredClone(snapshot));
          parser.end();
          for (const [index, snapshot] of snapshots.entries()) {
            expect(isDeepFrozen(snapshot)).toBe(true);
            expect(sameValue(snapshot, copies[index])).toBe(true);
            if (index > 0) expect(unsharedPath(snapshots[index - 1], snapshot)).toBeUndefined();
          }
          expect(unsharedPath(snapshots.at(-1), parser.end())).toBeUndefined();
        }
      }),
      options,
    );
  });
});

describe('generated number literals, cut anywhere', () => {
  const numberText = fc.stringMatching(/^-?(0|[1-9][0-9]{0,20})(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?$/);

  it('show the value of their longest valid prefix, and end as JSON.parse', () => {
    fc.assert(
      fc.property(numberText, (text) => {
        const valid = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
        const { snapshots, parser } = pushDeltas(codeUnits(`[${text}`));
        for (let length = 1; length <= text.length; length += 1) {
          let best: number | undefined;
          for (let end = 1; end <= length; end += 1) {
            if (valid.test(text.slice(0, end))) best = Number(text.slice(0, end));
          }
          expect(sameValue(snapshots[length], best === undefined ? [] : [best]), text.slice(0, length)).toBe(true);
        }
        parser.push(']');
        expect(sameValue(parser.end(), [JSON.parse(text)])).toBe(true);
      }),
      options,
    );
  });
});

describe('invalid text', () => {
  /** A valid text with one character inserted, replaced or removed, or cut short. */
  const damagedText = fc
    .tuple(
      jsonValue.map((value) => JSON.stringify(value)),
      fc.nat(),
      fc.constantFrom('insert', 'replace', 'remove', 'cut'),
      fc.constantFrom(',', ':', '"', '\\', '[', ']', '{', '}', '0', '1', '-', '.', 'e', 't', 'x', ' ', '\n', '\u0001'),
    )
    .map(([text, at, edit, character]) => {
      const position = at % (text.length + 1);
      if (edit === 'insert') return text.slice(0, position) + character + text.slice(position);
      if (edit === 'replace') return text.slice(0, position) + character + text.slice(position + 1);
      if (edit === 'remove') return text.slice(0, position) + text.slice(position + 1);
      return text.slice(0, position);
    });

  /** JSON.parse's verdict, with the position V8 names in its message when it names one. */
  function nativeVerdict(text: string): { valid: boolean; position?: number } {
    try {
      JSON.parse(text);
      return { valid: true };
    } catch (error) {
      const match = / at position (\d+)/.exec((error as Error).message);
      return match ? { valid: false, position: Number(match[1]) } : { valid: false };
    }
  }

  it('fails exactly when JSON.parse does, at the same position when V8 names one, however it is cut', slow, () => {
    fc.assert(
      fc.property(damagedText, (text) => {
        const native = nativeVerdict(text);
        const outcomes = [[text], codeUnits(text)].map((deltas) => {
          const parser = createPartialJSONParser({ maxDepth: Infinity });
          try {
            for (const delta of deltas) parser.push(delta);
            parser.end();
            return undefined;
          } catch (error) {
            if (!(error instanceof PartialJSONError)) throw error;
            return { reason: error.reason, position: error.position };
          }
        });
        expect(outcomes[1]).toEqual(outcomes[0]);
        const ours = outcomes[0];
        expect(ours === undefined, `${JSON.stringify(text)}: ${JSON.stringify(ours)}`).toBe(native.valid);
        if (ours !== undefined) {
          if (native.position !== undefined) expect(ours.position, JSON.stringify(text)).toBe(native.position);
          // Everything before the position was accepted: it is a valid beginning of JSON text.
          expect(() => parsePartialJSON(text.slice(0, ours.position), { maxDepth: Infinity })).not.toThrow();
        }
      }),
      { ...options, numRuns: 1000 },
    );
  });
});
