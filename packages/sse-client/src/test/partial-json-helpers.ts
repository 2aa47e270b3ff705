// Helpers for the partial-JSON parser's tests: pushing text in deltas, and the relations the
// snapshots must satisfy ("same value", "partial of", "shares what did not change").
import { createPartialJSONParser, type PartialJSONParserOptions } from '../partial-json.js';

/** What pushing some deltas gave: the value read after each delta, and the parser. */
export interface PushResult {
  /** `snapshots[i]` is `value` read right after `deltas[i]` was pushed. */
  readonly snapshots: unknown[];
  /** The length of the text pushed when `snapshots[i]` was read. */
  readonly lengths: number[];
  readonly parser: ReturnType<typeof createPartialJSONParser>;
}

/** Pushes each delta into a new parser, reading `value` after each. */
export function pushDeltas(deltas: readonly string[], options?: PartialJSONParserOptions): PushResult {
  const parser = createPartialJSONParser(options);
  const snapshots: unknown[] = [];
  const lengths: number[] = [];
  let length = 0;
  for (const delta of deltas) {
    parser.push(delta);
    length += delta.length;
    snapshots.push(parser.value);
    lengths.push(length);
  }
  return { snapshots, lengths, parser };
}

/** The text cut at `positions` (sorted, each from 0 to `text.length`; repeats give empty deltas). */
export function splitAt(text: string, positions: readonly number[]): string[] {
  const deltas: string[] = [];
  let start = 0;
  for (const position of positions) {
    deltas.push(text.slice(start, position));
    start = position;
  }
  deltas.push(text.slice(start));
  return deltas;
}

/** One delta per UTF-16 code unit (surrogate pairs are split too). */
export function codeUnits(text: string): string[] {
  return Array.from({ length: text.length }, (_, index) => text[index]!);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values, telling -0 from 0 (`Object.is` on leaves). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  if (isRecord(a)) {
    if (!isRecord(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameValue(a[key], b[key]));
  }
  return Object.is(a, b);
}

const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** How the tests' serialiser writes a number (`JSON.stringify`, but `-0` kept). */
export function numberLiteral(value: number): string {
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

/** The values a partial number may show while `literal` streams: those of its valid prefixes. */
export function numberPrefixValues(literal: string): number[] {
  const values: number[] = [];
  for (let end = 1; end <= literal.length; end += 1) {
    const prefix = literal.slice(0, end);
    if (NUMBER.test(prefix)) values.push(Number(prefix));
  }
  return values;
}

/** True when `text` has a surrogate pair at `index - 1` and `index`: cutting there would halve it. */
function splitsPair(text: string, index: number): boolean {
  const high = text.charCodeAt(index - 1);
  const low = text.charCodeAt(index);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}

/**
 * True when `snapshot` is what the documented rules allow while the text of `final` streams:
 * `undefined` (nothing yet); a string that `final` starts with, not ending in half a surrogate
 * pair of `final`; a number that a valid prefix of
 * `final`'s literal denotes; the same literal; an array whose elements but the last equal
 * `final`'s and whose last is partial of its counterpart; an object whose keys are keys of
 * `final`, all values equal but at most one, which is partial of its counterpart.
 */
export function isPartialOf(snapshot: unknown, final: unknown, top = true): boolean {
  if (snapshot === undefined) return top;
  if (typeof snapshot === 'string') return typeof final === 'string' && final.startsWith(snapshot) && !splitsPair(final, snapshot.length);
  if (typeof snapshot === 'number') {
    return typeof final === 'number' && numberPrefixValues(numberLiteral(final)).some((value) => Object.is(value, snapshot));
  }
  if (Array.isArray(snapshot)) {
    if (!Array.isArray(final) || snapshot.length > final.length) return false;
    return snapshot.every((item, index) =>
      index < snapshot.length - 1 ? sameValue(item, final[index]) : isPartialOf(item, final[index], false),
    );
  }
  if (isRecord(snapshot)) {
    if (!isRecord(final)) return false;
    let partial = 0;
    for (const key of Object.keys(snapshot)) {
      if (!Object.hasOwn(final, key)) return false;
      if (sameValue(snapshot[key], final[key])) continue;
      partial += 1;
      if (partial > 1 || !isPartialOf(snapshot[key], final[key], false)) return false;
    }
    return true;
  }
  return Object.is(snapshot, final);
}

/** True when every array and object in `value` is frozen. */
export function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

/**
 * Where `next` rebuilt an array or object that did not change since `previous` (equal but not
 * the same object), as a path like `$.edits[0]`; `undefined` when everything unchanged is shared.
 */
export function unsharedPath(previous: unknown, next: unknown, path = '$'): string | undefined {
  if (previous === next || typeof previous !== 'object' || previous === null || typeof next !== 'object' || next === null) {
    return undefined;
  }
  if (sameValue(previous, next)) return path;
  if (Array.isArray(previous) && Array.isArray(next)) {
    for (let index = 0; index < Math.min(previous.length, next.length); index += 1) {
      const found = unsharedPath(previous[index], next[index], `${path}[${index}]`);
      if (found !== undefined) return found;
    }
  } else if (isRecord(previous) && isRecord(next)) {
    for (const key of Object.keys(previous)) {
      if (!Object.hasOwn(next, key)) continue;
      const found = unsharedPath(previous[key], next[key], `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
