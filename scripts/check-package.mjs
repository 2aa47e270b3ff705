#!/usr/bin/env node
// Checks the package in the current directory as it is published: packs it with `pnpm pack` (the
// way the repo publishes, so `publishConfig` overrides apply), extracts the tarball and asserts:
//   - the tarball holds only package.json, README.md, LICENSE and dist/ (no source, no tests);
//   - LICENSE is shipped, and is the repository's root LICENSE byte for byte;
//   - every path that `exports` (every condition), main, module, types and typesVersions name exists
//     in the tarball (so no condition points at unshipped source), and the packed `exports` are the
//     repository's minus the source condition (so `publishConfig.exports` cannot drift from them);
//   - publint --strict and are-the-types-wrong (every resolution: node10, node16 CJS/ESM, bundler)
//     find no problem in the tarball;
//   - a tiny TypeScript consumer importing every entry point compiles with tsc under
//     moduleResolution node10, node16 (from ESM and from CJS) and bundler, against the extracted
//     packages only (the workspace packages this one depends on are packed and extracted too);
//   - every entry point loads in Node through both `import` and `require`.
// Builds nothing: run `pnpm build` first. Used by each package's `check` script (`pnpm check:packages`).
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = process.cwd();

/**
 * What the consumer writes for each entry point: imports, then statements that use them, so a
 * resolution to `any` or to the wrong declarations fails to compile (the consumer is `strict`).
 * Every entry point a package exports must be listed here: a new one fails the check until it is.
 */
const consumerCode = {
  '@tokenstream/sse-client': {
    imports: ["import { streamTokens, type TokenStream } from '@tokenstream/sse-client';"],
    uses: ["export const startStream = (fetch: typeof globalThis.fetch): TokenStream => streamTokens('/chat', { fetch, body: { prompt: 'Hi' } });"],
  },
  '@tokenstream/sse-client/testing': {
    imports: ["import { createFakeFetch, sseResponse, tokenEvents, type FakeFetch } from '@tokenstream/sse-client/testing';"],
    uses: ["export const fakeFetch: FakeFetch & typeof globalThis.fetch = createFakeFetch(() => sseResponse(tokenEvents(['Hel', 'lo'])));"],
  },
  '@tokenstream/react': {
    imports: ["import { useChatStream, type UseChatStreamResult } from '@tokenstream/react';"],
    uses: ['export const useChat: (...args: Parameters<typeof useChatStream>) => UseChatStreamResult = useChatStream;'],
  },
};

/** The consumer's compiler options per resolution mode, and the files compiled in each. */
const resolutionModes = {
  node10: { options: { module: 'commonjs', moduleResolution: 'node10' }, files: ['consumer.ts'] },
  node16: { options: { module: 'node16', moduleResolution: 'node16' }, files: ['consumer.mts', 'consumer.cts'] },
  bundler: { options: { module: 'esnext', moduleResolution: 'bundler' }, files: ['consumer.ts'] },
};

/** The export condition that points the repository's tests, typecheck and Vite at TypeScript source; never published. */
const sourceCondition = '@tokenstream/source';

const failures = [];
const fail = (message) => failures.push(message);

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** Runs a command; on failure records its output as a failure instead of throwing. `show` prints its output on success too. */
function check(label, command, args, { show = false, ...options } = {}) {
  try {
    const output = run(command, args, options);
    console.log(`ok   ${label}`);
    if (show) console.log(output.trim().replace(/^/gm, '     '));
  } catch (error) {
    fail(`${label}:\n${[error.stdout, error.stderr].filter(Boolean).join('\n').trim() || error.message}`);
    console.log(`FAIL ${label}`);
  }
}

/** The workspace packages, by name. */
function workspacePackages() {
  const byName = new Map();
  for (const entry of readdirSync(join(repoRoot, 'packages'), { withFileTypes: true })) {
    const dir = join(repoRoot, 'packages', entry.name);
    if (entry.isDirectory() && existsSync(join(dir, 'package.json'))) byName.set(readJson(join(dir, 'package.json')).name, dir);
  }
  return byName;
}

/** The package plus, transitively, the workspace packages it depends on at runtime. */
function packagesToPack(dir, workspace, seen = new Map()) {
  const manifest = readJson(join(dir, 'package.json'));
  seen.set(manifest.name, dir);
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (range.startsWith('workspace:') && !seen.has(name)) packagesToPack(workspace.get(name), workspace, seen);
  }
  return seen;
}

/** `pnpm pack` into `destination`; returns the tarball's path. */
function pack(dir, destination) {
  const pnpm = process.env.npm_execpath && /pnpm/.test(process.env.npm_execpath) ? [process.execPath, [process.env.npm_execpath]] : ['pnpm', []];
  const output = run(pnpm[0], [...pnpm[1], 'pack', '--json', '--pack-destination', destination], {
    cwd: dir,
    shell: pnpm[0] === 'pnpm' && process.platform === 'win32',
  });
  return JSON.parse(output.slice(output.indexOf('{'))).filename;
}

function listFiles(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path, base) : [relative(base, path).split(sep).join('/')];
  });
}

/** Every string target in an `exports` / `typesVersions` value, with where it was found. */
function targets(value, where) {
  if (typeof value === 'string') return [[where, value]];
  if (Array.isArray(value)) return value.flatMap((item, index) => targets(item, `${where}[${index}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => targets(item, `${where}["${key}"]`));
  return [];
}

/** `exports` without the source condition. */
function withoutSourceCondition(value) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== sourceCondition).map(([key, item]) => [key, withoutSourceCondition(item)]));
}

/** Asserts the extracted package's contents and that every path its manifest names exists. */
function checkContents(extracted, files, repoManifest) {
  const manifest = readJson(join(extracted, 'package.json'));
  if (JSON.stringify(manifest.exports) !== JSON.stringify(withoutSourceCondition(repoManifest.exports))) {
    fail(`the packed exports are not the repository's without the ${sourceCondition} condition (is publishConfig.exports out of date?):\n${JSON.stringify(manifest.exports, null, 2)}`);
  }
  const unexpected = files.filter((file) => !['package.json', 'README.md', 'LICENSE'].includes(file) && !file.startsWith('dist/'));
  const testFiles = files.filter((file) => /(^|\/)(test|tests|__tests__)\/|\.test\.|\.spec\./.test(file));
  if (unexpected.length > 0) fail(`files outside dist/, README.md, LICENSE and package.json are packed: ${unexpected.join(', ')}`);
  if (testFiles.length > 0) fail(`test files are packed: ${testFiles.join(', ')}`);
  for (const required of ['README.md', 'LICENSE']) if (!files.includes(required)) fail(`${required} is not in the tarball`);

  const license = join(extracted, 'LICENSE');
  if (existsSync(license)) {
    if (!lstatSync(license).isFile()) fail('LICENSE in the tarball is not a regular file');
    else if (!readFileSync(license).equals(readFileSync(join(repoRoot, 'LICENSE')))) fail('LICENSE in the tarball differs from the root LICENSE');
    if (manifest.license !== 'MIT' || !readFileSync(license, 'utf8').startsWith('MIT License')) fail(`package.json declares license ${manifest.license}, LICENSE is not the MIT License`);
  }

  const named = [
    ...targets(manifest.exports, 'exports'),
    ...['main', 'module', 'types', 'typings'].flatMap((field) => targets(manifest[field], field)),
    ...targets(manifest.typesVersions, 'typesVersions'),
  ];
  for (const [where, target] of named) {
    if (target.includes('*')) fail(`${where} uses a pattern (${target}); this check only handles plain paths`);
    else if (!files.includes(relative(extracted, join(extracted, target)).split(sep).join('/'))) fail(`${where} points at ${target}, which is not in the tarball`);
  }
  if (named.length === 0) fail('package.json names no entry points');
  return manifest;
}

/** The entry points (import specifiers) a manifest exports, except ./package.json. */
function entryPoints(manifest) {
  const subpaths = manifest.exports && typeof manifest.exports === 'object' && Object.keys(manifest.exports).some((key) => key.startsWith('.')) ? Object.keys(manifest.exports) : ['.'];
  return subpaths.filter((subpath) => subpath !== './package.json').map((subpath) => (subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`));
}

/** Where a package is installed in the workspace, looking up from `fromDir` to the repository root like Node does. */
function installedDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const installed = join(dir, 'node_modules', name);
    if (existsSync(join(installed, 'package.json'))) return installed;
    if (dir === repoRoot || dir === dirname(dir)) return undefined;
  }
}

/** The path of a command installed in the workspace (its package.json `bin`). */
function installedBin(packageName, command) {
  const dir = installedDir(packageName, repoRoot);
  if (!dir) throw new Error(`${packageName} is not installed: run pnpm install`);
  const { bin } = readJson(join(dir, 'package.json'));
  return join(dir, typeof bin === 'string' ? bin : bin[command]);
}

/** Links a package installed in the workspace (a peer such as react, or its @types) into the consumer's node_modules. */
function linkInstalled(name, fromDir, nodeModules) {
  const installed = installedDir(name, fromDir);
  if (!installed) return;
  mkdirSync(dirname(join(nodeModules, name)), { recursive: true });
  symlinkSync(installed, join(nodeModules, name), 'junction');
}

function consumerSource(specifiers) {
  const parts = specifiers.map((specifier) => consumerCode[specifier]);
  return [...parts.flatMap((part) => part.imports), '', ...parts.flatMap((part) => part.uses), ''].join('\n');
}

const workspace = workspacePackages();
const toPack = packagesToPack(packageDir, workspace);
const [checkedName] = toPack.keys();
const temp = mkdtempSync(join(tmpdir(), 'tokenstream-check-package-'));
console.log(`Checking the packed ${checkedName} (pnpm pack, in ${temp})`);
try {
  const tarballs = join(temp, 'tarballs');
  const consumer = join(temp, 'consumer');
  const nodeModules = join(consumer, 'node_modules');
  mkdirSync(tarballs);
  mkdirSync(nodeModules, { recursive: true });

  const specifiers = [];
  let checkedTarball;
  for (const [name, dir] of toPack) {
    const tarball = pack(dir, tarballs);
    const extracted = join(nodeModules, name);
    mkdirSync(extracted, { recursive: true });
    run('tar', ['-xzf', tarball, '-C', extracted, '--strip-components=1']);
    const manifest = readJson(join(extracted, 'package.json'));
    if (name === checkedName) {
      checkedTarball = tarball;
      const files = listFiles(extracted);
      console.log(`packed files: ${files.join(', ')}`);
      checkContents(extracted, files, readJson(join(dir, 'package.json')));
    }
    for (const specifier of entryPoints(manifest)) {
      if (consumerCode[specifier]) specifiers.push(specifier);
      else fail(`entry point ${specifier} has no consumer code in scripts/check-package.mjs: add it there`);
    }
    for (const peer of Object.keys(manifest.peerDependencies ?? {})) {
      linkInstalled(peer, dir, nodeModules);
      linkInstalled(`@types/${peer}`, dir, nodeModules);
    }
  }
  console.log(failures.length === 0 ? 'ok   tarball contents, LICENSE and every path package.json names' : 'FAIL tarball contents, LICENSE and every path package.json names');

  check('publint --strict (tarball)', process.execPath, [installedBin('publint', 'publint'), 'run', '--strict', checkedTarball]);
  check('attw, every resolution (tarball)', process.execPath, [installedBin('@arethetypeswrong/cli', 'attw'), checkedTarball, '--profile', 'strict', '--format', 'table-flipped', '--no-color'], { show: true });

  const source = consumerSource(specifiers);
  for (const file of ['consumer.ts', 'consumer.mts', 'consumer.cts']) writeFileSync(join(consumer, file), source);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  const tsc = installedBin('typescript', 'tsc');
  for (const [mode, { options, files }] of Object.entries(resolutionModes)) {
    const tsconfig = {
      compilerOptions: { ...options, target: 'es2022', lib: ['es2022', 'dom', 'dom.iterable'], types: [], strict: true, skipLibCheck: false, noEmit: true },
      files,
    };
    writeFileSync(join(consumer, `tsconfig.${mode}.json`), JSON.stringify(tsconfig, null, 2));
    check(`tsc, moduleResolution ${mode} (${files.join(', ')})`, process.execPath, [tsc, '-p', `tsconfig.${mode}.json`], { cwd: consumer });
  }

  for (const specifier of specifiers) {
    const loaders = {
      import: ['--input-type=module', '-e', `const m = await import(${JSON.stringify(specifier)}); if (Object.keys(m).length === 0) throw new Error('no exports');`],
      require: ['-e', `const m = require(${JSON.stringify(specifier)}); if (Object.keys(m).length === 0) throw new Error('no exports');`],
    };
    for (const [how, args] of Object.entries(loaders)) check(`node ${how} ${specifier}`, process.execPath, args, { cwd: consumer });
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\n${checkedName}: ${failures.length} problem(s) in the packed package:\n\n${failures.map((failure) => `- ${failure}`).join('\n\n')}`);
  process.exit(1);
}
console.log(`${checkedName}: the packed package is complete and resolves everywhere`);
