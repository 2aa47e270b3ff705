// `pnpm bench`: every benchmark, one after the other, each in its own process (so that one's
// compiled code and heap do not weigh on the next): the parser tables, the end-to-end tables, the
// size table, then (full run only) the parser memory figures, partial JSON and React renders.
// `pnpm bench:quick` (or `pnpm bench --quick`): the same tables with fewer rounds and smaller
// inputs, in under a minute on an idle 2-core machine; it leaves out memory, partial JSON and renders.
// `--wall` times the parser and end-to-end tables with the wall clock instead of CPU time;
// `--only=parsers,end-to-end,sizes,memory,partial-json,renders` runs only the steps named.
//
// tokenstream is timed as users run it, not as the tests do: each timed step is bundled first
// (the bench file with tokenstream's source, by the esbuild that tsup builds `dist/` with, the
// same target, no `keepNames`), and the bundle runs under plain `node`, so tokenstream and the
// alternatives (imported from node_modules, their published JavaScript) both run as shipped
// JavaScript. Under tsx, tokenstream alone would run through tsx's transform (`keepNames` wraps
// every named function in `__name(...)`).
//
// Figures compare candidates with each other within one run on one machine: never compare
// absolute times across runs. No test asserts on time.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_VARIABLE, CLOCK, machine, QUICK, WALL } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');

interface Step {
  /** Its name for `--only=`. */
  readonly key: string;
  readonly file: string;
  readonly what: string;
  readonly about: string;
  readonly full?: true;
  /** Timed: bundled (tokenstream as shipped JavaScript) and run under plain node. */
  readonly bundle?: true;
}

const steps: Step[] = [
  { key: 'parsers', file: join(here, 'parse.bench.ts'), what: 'parsers', about: QUICK ? '~10 s' : '~1 min', bundle: true },
  { key: 'end-to-end', file: join(here, 'end-to-end.bench.ts'), what: 'end to end (bytes to tokens, tool calls)', about: QUICK ? '~5 s' : '~30 s', bundle: true },
  { key: 'sizes', file: join(here, 'size.bench.ts'), what: 'sizes', about: '~5 s' },
  { key: 'memory', file: join(here, 'parse-memory.bench.ts'), what: 'parser memory', about: '~30 s', full: true, bundle: true },
  { key: 'partial-json', file: join(here, 'partial-json.bench.ts'), what: 'partial JSON', about: '~3 min', full: true, bundle: true },
  { key: 'renders', file: join(root, 'packages/react/bench/render.bench.ts'), what: 'React renders', about: '~1 min', full: true },
];
const only = process.argv.find((argument) => argument.startsWith('--only='))?.slice('--only='.length).split(',');
const unknown = only?.filter((key) => !steps.some((step) => step.key === key));
if (unknown?.length) throw new Error(`--only: unknown step ${unknown.join(', ')} (steps: ${steps.map((step) => step.key).join(', ')})`);
const run = steps.filter((step) => (only ? only.includes(step.key) : !(QUICK && step.full)));

console.log(`# tokenstream benchmarks (${QUICK ? 'quick' : 'full'} run)`);
console.log(`Machine: ${machine()}`);
console.log(`Timing: ${CLOCK} of each candidate's runs${WALL ? '' : ' (`--wall` for the wall clock)'}.`);
console.log(`Started ${new Date().toISOString()}. Steps, with their time on an idle machine (more on a loaded one):`);
for (const [index, step] of run.entries()) console.log(`  ${index + 1}. ${step.what} (${step.about})`);
if (QUICK && !only) console.log('  Left out of the quick run: parser memory, partial JSON, React renders (`pnpm bench` runs them).');

// Inside this package's node_modules, so that the bundle's imports of the alternatives resolve
// from there as they do from bench/ (and a fresh clone has nothing to build or ignore).
const outDirectory = resolve(here, '../node_modules/.cache/tokenstream-bench');
const TARGET = 'es2022'; // tsup.config.ts's target

/** The part of esbuild's API used here (esbuild is tsup's dependency, not this package's). */
interface Esbuild {
  buildSync(options: Record<string, unknown>): unknown;
}

/** Bundles a bench file with tokenstream's source (packages external) into one ES module. */
function bundle(file: string): string {
  // tsup's own esbuild: the build that makes `dist/`.
  const requireFromTsup = createRequire(createRequire(import.meta.url).resolve('tsup'));
  const esbuild = requireFromTsup('esbuild') as Esbuild;
  const outfile = join(outDirectory, basename(file).replace(/\.ts$/, '.mjs'));
  mkdirSync(outDirectory, { recursive: true });
  esbuild.buildSync({
    entryPoints: [file],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: TARGET,
    conditions: ['@tokenstream/source'],
    keepNames: false,
    logLevel: 'warning',
  });
  return outfile;
}

const started = performance.now();
for (const [index, step] of run.entries()) {
  console.log(`\n[${index + 1}/${run.length}] ${step.what}: ${relative(root, step.file)}`);
  const flags = [...(QUICK ? ['--quick'] : []), ...(WALL ? ['--wall'] : [])];
  const args = step.bundle ? [bundle(step.file), ...flags] : [...process.execArgv, step.file, ...flags];
  const env = step.bundle
    ? { ...process.env, [BUILD_VARIABLE]: `bundled from src/ by esbuild ${TARGET} as tsup builds dist/ (no keepNames), plain node` }
    : process.env;
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`\n${relative(root, step.file)} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}
console.log(`\nAll done in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
