// `pnpm test:runtimes`: runs the smoke test of the built @tokenstream/sse-client in Deno and in Bun,
// with the binaries of the `deno` and `bun` devDependencies (node_modules/.bin). Node and Chromium
// are covered by `pnpm test` and `pnpm test:browser`. Needs `pnpm build` first. Nothing is fetched
// from the internet: the scripts import local files only and talk to their own server on 127.0.0.1.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const bin = (name) => here(`../../node_modules/.bin/${name}${process.platform === 'win32' ? '.cmd' : ''}`);
/** How long one runtime's smoke test may take before it is stopped and counted as failed (ms). */
const RUN_TIMEOUT = 60_000;

const runtimes = [
  {
    name: 'Deno',
    command: bin('deno'),
    // Network for 127.0.0.1 only; no remote (https:, jsr:) or npm: modules, no deno.json/package.json,
    // no lockfile: the script imports local files and nothing else.
    args: ['run', '--allow-net=127.0.0.1', '--no-remote', '--no-npm', '--no-config', '--no-lock', here('./deno-smoke.js')],
  },
  {
    name: 'Bun',
    command: bin('bun'),
    // --no-install: never auto-install a package from the registry on import.
    args: ['--no-install', here('./bun-smoke.js')],
  },
];

const env = {
  ...process.env,
  DENO_NO_UPDATE_CHECK: '1', // Deno checks for a newer release over the network unless told not to
  DENO_NO_PROMPT: '1',
  DO_NOT_TRACK: '1', // Bun: no telemetry or crash reports
};

function run({ name, command, args }) {
  return new Promise((resolve) => {
    if (!existsSync(command)) {
      console.error(`${name}: ${command} not found; run \`pnpm install\` (and allow the ${name.toLowerCase()} postinstall script)`);
      resolve(false);
      return;
    }
    const child = spawn(command, args, { env, stdio: 'inherit', shell: process.platform === 'win32' });
    const timer = setTimeout(() => {
      console.error(`${name}: no result after ${RUN_TIMEOUT} ms, stopping it`);
      child.kill('SIGKILL');
    }, RUN_TIMEOUT);
    child.on('error', (error) => {
      clearTimeout(timer);
      console.error(`${name}: could not start: ${error.message}`);
      resolve(false);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) console.error(`${name}: failed (${signal ?? `exit code ${code}`})`);
      resolve(code === 0);
    });
  });
}

if (!existsSync(here('../../packages/sse-client/dist/index.js'))) {
  console.error('packages/sse-client/dist/index.js is missing: run `pnpm build` first.');
  process.exit(1);
}

const failures = [];
for (const runtime of runtimes) {
  if (!(await run(runtime))) failures.push(runtime.name);
  console.log('');
}
if (failures.length > 0) {
  console.error(`Runtime smoke test failed in: ${failures.join(', ')}`);
  process.exit(1);
}
console.log(`Runtime smoke test passed in: ${runtimes.map((runtime) => runtime.name).join(', ')}`);
