// The size table: min+gzip of what an app pulls in for `createParser`, `streamTokens` and
// `useChatStream` (React ignored), beside the AI SDK's `useChat` (measured here, from the installed
// `@ai-sdk/react`) and TanStack AI (quoted, not measured: it is not installed). Measured with
// size-limit (esbuild, minified, gzip level 9), as `pnpm size` does in CI, but bundled from the
// TypeScript source (the `@tokenstream/source` condition), so that no build is needed and the
// figures are those of the working tree.
//
// Run from the repository root: `pnpm bench` (everything) or `pnpm bench:quick`; alone:
//   pnpm tsx packages/sse-client/bench/size.bench.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, progress } from './harness.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const aiSDKReact = join(root, 'packages/react/node_modules/@ai-sdk/react');

interface Entry {
  readonly name: string;
  readonly path: string;
  readonly import: string;
  /** The budget of the issue, in bytes (min+gzip). */
  readonly budget?: number;
}

const entries: Entry[] = [
  { name: 'tokenstream createParser', path: 'packages/sse-client/src/index.ts', import: '{ createParser }', budget: 1.2e3 },
  { name: 'tokenstream streamTokens', path: 'packages/sse-client/src/index.ts', import: '{ streamTokens }', budget: 4.5e3 },
  { name: 'tokenstream useChatStream (React ignored)', path: 'packages/react/src/index.ts', import: '{ useChatStream }', budget: 6e3 },
  { name: 'tokenstream: everything (sse-client)', path: 'packages/sse-client/src/index.ts', import: '*' },
];

let aiSDKVersion: string | undefined;
try {
  aiSDKVersion = (JSON.parse(readFileSync(join(aiSDKReact, 'package.json'), 'utf8')) as { version: string }).version;
  entries.push({ name: `AI SDK useChat (@ai-sdk/react ${aiSDKVersion}, React ignored)`, path: join(aiSDKReact, 'dist/index.js'), import: '{ useChat }' });
} catch {
  // not installed: its row says so
}

const directory = mkdtempSync(join(tmpdir(), 'tokenstream-size-'));
const config = join(directory, 'size-limit.mjs');
writeFileSync(
  config,
  `const source = (config) => ({ ...config, conditions: ['@tokenstream/source'] });
export default ${JSON.stringify(
    entries.map((entry) => ({
      name: entry.name,
      path: resolve(root, entry.path),
      import: entry.import,
      ignore: ['react', 'react-dom'],
      gzip: true,
    })),
  )}.map((check) => ({ ...check, modifyEsbuildConfig: source }));
`,
);

progress('sizes: bundling with size-limit (esbuild, min+gzip)');
let sizes: { name: string; size: number }[];
try {
  const output = execFileSync(process.execPath, [join(root, 'node_modules/size-limit/bin.js'), '--json', '--config', config], {
    cwd: root,
    encoding: 'utf8',
  });
  sizes = JSON.parse(output) as { name: string; size: number }[];
} finally {
  rmSync(directory, { recursive: true, force: true });
}

const kB = (bytes: number): string => `${(bytes / 1000).toFixed(2)} kB`;
const rows = entries.map((entry) => {
  const size = sizes.find((result) => result.name === entry.name)?.size;
  const budget = entry.budget === undefined ? '' : `≤ ${kB(entry.budget)}`;
  const verdict = entry.budget === undefined || size === undefined ? '' : size <= entry.budget ? 'met' : 'NOT met';
  return [entry.name, size === undefined ? 'not measured' : kB(size), budget, verdict];
});
if (aiSDKVersion === undefined) rows.push(['AI SDK useChat (@ai-sdk/react)', 'not installed', '', '']);
rows.push(['TanStack AI (quoted from the issue, not measured)', '≈ 46 kB', '', '']);

console.log('\n## Size (min+gzip, esbuild via size-limit, React ignored; bundled from the working tree\'s source)');
printTable('', ['what an app imports', 'min+gzip', 'budget', ''], rows);
