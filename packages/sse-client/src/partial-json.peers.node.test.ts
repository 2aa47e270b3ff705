// The partial values are the ones users know: on every prefix of generated JSON texts they equal
// what the AI SDK's `parsePartialJson` repairs the prefix into, and what the `partial-json`
// package gives except where that package drops a number that ends in "." (it shows `[1, 2.`
// as `[1]`) or trims the text (it shows `["a ` as `["a"]`). Texts whose strings hold surrogates, and numbers with "e+" exponents, are left out:
// we hold back a high surrogate until its other half arrives, and `parsePartialJson` cuts a number
// at "e+" (it shows 1e+30 as 1 until the whole text is complete).
import fc from 'fast-check';
import { parsePartialJson } from 'ai';
import { parse as partialJsonParse } from 'partial-json';
import { describe, expect, it } from 'vitest';
import { parsePartialJSON } from './partial-json.js';
import { sameValue } from './test/partial-json-helpers.js';

const options = { numRuns: 100, seed: 20_260_802 };
const slow = { timeout: 60_000 }; // every prefix of a hundred texts, the AI SDK's awaited: seconds

const text = fc
  .tuple(fc.jsonValue(), fc.constantFrom(0, 1, 2))
  .map(([value, indent]) => JSON.stringify(value, null, indent))
  .filter((json) => !/e\+|[\uD800-\uDFFF]/.test(json));

/** The prefixes of `json`, from one character to all of it. */
const prefixesOf = (json: string): string[] => Array.from({ length: json.length }, (_, index) => json.slice(0, index + 1));

describe('partial values agree with the re-parsing libraries users have today', () => {
  it("equal the AI SDK's parsePartialJson on every prefix", slow, async () => {
    await fc.assert(
      fc.asyncProperty(text, async (json) => {
        for (const prefix of prefixesOf(json)) {
          const theirs = await parsePartialJson(prefix);
          expect(sameValue(parsePartialJSON(prefix), theirs.value), `${JSON.stringify(prefix)} (${theirs.state})`).toBe(true);
        }
      }),
      options,
    );
  });

  it('equal the partial-json package on every prefix that does not end in "digits." or whitespace', slow, () => {
    fc.assert(
      fc.property(text, (json) => {
        for (const prefix of prefixesOf(json)) {
          if (/^-?$|[0-9]\.$|\s$/.test(prefix)) continue; // it throws on a lone "-", drops "2.", trims
          expect(sameValue(parsePartialJSON(prefix), partialJsonParse(prefix)), JSON.stringify(prefix)).toBe(true);
        }
      }),
      options,
    );
  });
});
