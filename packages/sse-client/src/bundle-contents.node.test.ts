// A bundle that imports only the parser contains no client, protocol, store or partial-JSON code,
// and one that imports only streamTokens no other protocol, partial-JSON or store code: the
// package is bundled into one ES module first (as tsup publishes it, and as an app's bundler
// then sees it), and each function alone is bundled from that, tree-shaken and minified. The
// source map says which source files the result still holds code from. (The byte budgets are
// checked by `pnpm size`.)
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/** The part of esbuild's API used here. */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles?: { path: string; text: string }[] }>;
}

// esbuild is not a dependency of this package: it is the one tsup builds with.
const require = createRequire(import.meta.url);
const esbuild = createRequire(require.resolve('tsup'))('esbuild') as Esbuild;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The indices into `sources` that a source map's `mappings` (Base64 VLQ) actually refer to. */
function mappedSources(mappings: string): Set<number> {
  const used = new Set<number>();
  let source = 0;
  for (const segment of mappings.split(/[;,]/)) {
    const fields: number[] = [];
    let value = 0;
    let shift = 0;
    for (const character of segment) {
      const digit = BASE64.indexOf(character);
      value += (digit & 31) << shift;
      if (digit & 32) {
        shift += 5;
      } else {
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
    }
    // [column, source delta, line, column(, name)]: a segment of one field maps to no source.
    if (fields.length >= 4) {
      source += fields[1]!;
      used.add(source);
    }
  }
  return used;
}

const directory = mkdtempSync(join(tmpdir(), 'bundle-contents-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** The source files (relative to `src/`) whose code a bundle of `names` from the package holds. */
async function sourcesOf(names: string): Promise<string[]> {
  const packageFile = join(directory, 'index.js');
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    sourcemap: true,
    outfile: packageFile,
    logLevel: 'silent',
  });
  const result = await esbuild.build({
    stdin: { contents: `export { ${names} } from './index.js';`, resolveDir: directory },
    bundle: true,
    format: 'esm',
    minify: true,
    sourcemap: 'external',
    outfile: join(directory, 'app.js'),
    write: false,
    logLevel: 'silent',
  });
  const map = JSON.parse(result.outputFiles!.find((file) => file.path.endsWith('.map'))!.text) as {
    sources: string[];
    mappings: string;
  };
  return [...mappedSources(map.mappings)].map((index) => map.sources[index]!.replace(/^.*\/src\//, '')).sort();
}

describe('what a bundle of createParser alone holds', () => {
  it('the parser and its error (EventTooLargeError and its base) only', async () => {
    // Before: the URL redaction (errors quoted redacted URLs), a retry constant and the
    // partial-JSON grammar's number messages (an object with computed keys) came along too.
    expect(await sourcesOf('createParser')).toEqual(['errors.ts', 'parse.ts']);
  }, 30_000);
});

describe('what a bundle of streamTokens alone holds', () => {
  it('the client and the token protocol: no other protocol, no partial-JSON parser, no chat store', async () => {
    const sources = await sourcesOf('streamTokens');
    expect(sources).toContain('protocols/token.ts');
    // Before: the partial-JSON grammar's number messages came along.
    expect(sources.filter((source) => /partial-json|tool-calls|finish|openai|anthropic|ai-sdk|chat-/.test(source))).toEqual([]);
  }, 30_000);
});
