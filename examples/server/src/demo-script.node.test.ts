import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServerStreamError, streamTokens } from '@tokenstream/sse-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DEMO_ERROR_MESSAGE, replyText, TOKENS_BEFORE_ERROR } from './model.js';

// First use: the README's commands and `pnpm demo` (the repository's scripts/demo.mjs, which
// starts this server and the example app). These tests start real processes.

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** A started process and everything it printed (stdout and stderr together). */
interface Run {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the output's first match of `pattern`, or rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs `command` in the repository root as the leader of a new process group (as a shell runs a
 * foreground job), so that `interrupt` can signal the whole group as Ctrl+C in a terminal does.
 */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Run {
  const child = spawn(command, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    for (const check of waiters) check();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  });
  return {
    child,
    output: () => output,
    exit,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(output);
          if (match === null) return;
          waiters.delete(check);
          resolve(match);
        };
        waiters.add(check);
        check();
        void exit.then(({ code, signal }) => {
          waiters.delete(check);
          reject(new Error(`exited (${signal ?? code}) before printing ${pattern}:\n${output}`));
        });
      }),
  };
}

/**
 * A PATH without pnpm: a folder with links to `node` and to the POSIX tools that package scripts
 * and their `node_modules/.bin` shims use, as on a machine where only Node is installed.
 */
function pathWithoutPnpm(): string {
  const dir = mkdtempSync(join(tmpdir(), 'path-without-pnpm-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  symlinkSync(process.execPath, join(dir, 'node'));
  for (const tool of ['sh', 'dirname', 'sed', 'uname']) {
    const found = (process.env['PATH'] ?? '').split(delimiter).find((folder) => existsSync(join(folder, tool)));
    if (found !== undefined) symlinkSync(join(found, tool), join(dir, tool));
  }
  return dir;
}

/**
 * How to start pnpm: the one running these tests (`pnpm test` sets npm_execpath to its entry
 * point), else the `pnpm` on PATH (`pnpm vitest` sets no npm_execpath).
 */
function pnpmCommand(): [command: string, args: string[]] {
  const execPath = process.env['npm_execpath'];
  if (execPath !== undefined && /pnpm/.test(execPath)) return [process.execPath, [execPath]];
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (existsSync(join(dir, 'pnpm'))) return [join(dir, 'pnpm'), []];
  }
  throw new Error('These tests start `pnpm demo`: run them with pnpm (pnpm test, pnpm vitest)');
}

describe("the README's first commands", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const commands = /```sh\n([\s\S]*?)```/.exec(readme)![1]!.split('\n').filter((line) => line.trim() !== '');
  const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { packageManager: string };
  const pnpmVersion = /^pnpm@([^+]+)/.exec(packageManager)![1]!;

  it('install nothing globally (npm install -g fails without root), so they work for any user', () => {
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) expect(command).not.toMatch(/install\s+(-g|--global)\b/);
  });

  it("run pnpm through npx, at the version of package.json's packageManager, without prompting", () => {
    for (const command of commands) {
      const steps = command.replace(/#.*$/, '').split('&&').map((step) => step.trim());
      for (const step of steps) expect(step).toMatch(new RegExp(`^npx --yes pnpm@${pnpmVersion.replace(/\./g, '\\.')} `));
    }
  });
});

describe('pnpm demo', () => {
  it('starts the server and the app without a pnpm on PATH, and Ctrl+C stops both with exit code 0 and no error', async () => {
    const [pnpm, pnpmArgs] = pnpmCommand();
    const demo = run(pnpm, [...pnpmArgs, 'demo'], {
      ...process.env,
      PATH: pathWithoutPnpm(),
      PORT: '0',
      APP_PORT: '0',
    });
    const appUrl = (await demo.waitFor(/demo ready: open (http:\S+)/))[1]!;
    const serverUrl = (await demo.waitFor(/listening on (http:\S+)/))[1]!;

    // The app proxies /chat/stream to the server the demo started.
    const prompt = 'Show me an error';
    const error: unknown = await streamTokens(new URL('/chat/stream', appUrl), { body: { prompt } }).text.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerStreamError);
    expect((error as ServerStreamError).payload).toBe(DEMO_ERROR_MESSAGE);
    expect((error as ServerStreamError).text).toBe(replyText(prompt).split(/(?<=\s)(?=\S)/).slice(0, TOKENS_BEFORE_ERROR).join(''));

    // Ctrl+C in a terminal: SIGINT to every process of the foreground group.
    process.kill(-demo.child.pid!, 'SIGINT');
    expect(await demo.exit).toEqual({ code: 0, signal: null });
    expect(demo.output()).not.toMatch(/ERR_PNPM|ELIFECYCLE|Command failed|Error:/);
    // Both were stopped before the demo exited.
    await expect(fetch(appUrl)).rejects.toThrow();
    await expect(fetch(serverUrl)).rejects.toThrow();
  }, 30_000);

  it('exits with code 1 and says why when the server cannot start', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const { port } = taken.address() as AddressInfo;

    const demo = run(process.execPath, ['scripts/demo.mjs'], { ...process.env, PORT: String(port) });

    expect(await demo.exit).toEqual({ code: 1, signal: null });
    expect(demo.output()).toContain('[server] example server failed: listen EADDRINUSE');
    expect(demo.output()).toContain('demo: server exited (code 1); stopping the demo');
  }, 30_000);
});
