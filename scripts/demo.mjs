// `pnpm demo` (or `node scripts/demo.mjs`): starts the example server, then the example chat app
// (Vite) proxying `/chat` to it, and prints the URL to open. Ctrl+C (SIGINT) or SIGTERM stops both
// and exits with code 0: stopping the demo is not a failure.
//
// It needs no globally installed tool: both processes run from the workspace's own packages
// (tsx in examples/server, vite in examples/react-chat) with the Node that runs this script.
//
// Environment:
// - PORT: the server's port (default 8787; 0 picks a free one).
// - APP_PORT: the app's port (default 5173, from examples/react-chat/vite.config.ts; 0 picks a free one).
//
// Exit codes: 0 when stopped by a signal, 1 when the server or the app failed or exited on its own.
//
// Ctrl+C and pnpm: pnpm runs scripts in `sh -c` by default, and on Ctrl+C that shell gets the SIGINT
// too; dash (Debian's and Ubuntu's sh) then kills itself once its child has exited, however
// cleanly, and pnpm reports `ELIFECYCLE Command failed`. pnpm-workspace.yaml sets `shellEmulator:
// true`, so pnpm runs scripts in its own cross-platform shell (no sh, no cmd) and sees this
// script's exit code 0.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const serverDir = join(root, 'examples', 'server');
const appDir = join(root, 'examples', 'react-chat');

/** The JavaScript file of a dependency's command, as installed for the package in `packageDir`. */
function binOf(packageDir, dependency) {
  const require = createRequire(join(packageDir, 'package.json'));
  const manifestPath = require.resolve(`${dependency}/package.json`);
  const { bin } = require(manifestPath);
  return join(dirname(manifestPath), typeof bin === 'string' ? bin : bin[dependency]);
}

/** The running child processes, by name. */
const children = new Map();
let stopping = false;

/**
 * Runs `node <args>` in `cwd`, prefixes each line it prints with `[name]`, and calls `onLine` with it.
 * stdin stays an open pipe: Vite exits when its stdin ends, so the app cannot outlive this script.
 */
function start(name, cwd, args, env, onLine) {
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.set(name, child);
  for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      out.write(line.trim() === '' ? '\n' : `[${name}] ${line}\n`);
      onLine(line);
    });
  }
  child.on('error', (error) => fail(`${name} could not start: ${error.message}`));
  // 'close', not 'exit': it comes after the child's last output has been read.
  child.on('close', (code, signal) => {
    children.delete(name);
    if (stopping) {
      if (children.size === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    fail(`${name} exited (${signal ?? `code ${code}`})`);
  });
}

/** Stops every child (SIGTERM, SIGKILL after 5 s) and exits once they have all exited. */
function stop() {
  stopping = true;
  if (children.size === 0) process.exit(process.exitCode ?? 0);
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 5_000).unref();
}

function fail(message) {
  if (stopping) return;
  console.error(`demo: ${message}; stopping the demo`);
  process.exitCode = 1;
  stop();
}

// Ctrl+C in a terminal sends SIGINT to every process of the job (pnpm, this script and the
// children), and pnpm forwards one more: the children stop either way, and a repeated signal
// changes nothing.
function onSignal(signal) {
  if (stopping) return;
  console.log(`\ndemo: ${signal}, stopping the server and the app`);
  stop();
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// The app starts once the server listens, with SERVER_URL pointing at it (vite.config.ts proxies there).
start('server', serverDir, [binOf(serverDir, 'tsx'), 'src/main.ts'], {}, (line) => {
  const listening = /listening on (http:\/\/\S+)/.exec(line);
  if (listening === null || children.has('app') || stopping) return;
  const appArgs = process.env['APP_PORT'] === undefined ? [] : ['--port', process.env['APP_PORT']];
  start('app', appDir, [binOf(appDir, 'vite'), ...appArgs], { SERVER_URL: listening[1] }, (appLine) => {
    const ready = /tokenstream demo: open (\S+)/.exec(appLine);
    if (ready !== null) console.log(`\ndemo ready: open ${ready[1]} (Ctrl+C stops the server and the app)\n`);
  });
});
