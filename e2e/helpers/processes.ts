// Child processes for the end-to-end tests: the demo (`node scripts/demo.mjs`), or the example
// server and a Vite dev server started separately. Each one's output is kept line by line, so a
// test can wait for a line (the URL to open, the server's disconnect log) and assert on it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository's root directory. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A line a process printed, with the time it was read (`Date.now()`, ms). */
export interface LogLine {
  readonly text: string;
  readonly at: number;
}

/** A running child process and what it printed so far. */
export interface RunningProcess {
  /** Every line printed so far (stdout and stderr), oldest first. */
  readonly lines: readonly LogLine[];
  /**
   * Resolves with the first line matching `pattern` among those printed from index `from` on
   * (default: all of them) within `timeoutMs`; rejects on timeout, or when the process exits
   * first, with the last lines printed in the message.
   */
  waitForLine(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<{ line: LogLine; match: RegExpExecArray }>;
  /** Sends SIGTERM (SIGKILL after `graceMs`) and resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** The JavaScript file of a dependency's command, as installed for the package in `packageDir`. */
export function binOf(packageDir: string, dependency: string): string {
  const require = createRequire(join(packageDir, 'package.json'));
  const manifestPath = require.resolve(`${dependency}/package.json`);
  const { bin } = require(manifestPath) as { bin: string | Record<string, string> };
  return join(dirname(manifestPath), typeof bin === 'string' ? bin : bin[dependency]!);
}

/** Removes terminal colour codes, which Vite adds when it believes it writes to a terminal. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/**
 * Runs `node <args>` in `cwd` with `env` over this process's environment (an `undefined` value
 * removes the variable). stdin stays an open pipe (Vite exits when its stdin ends, so nothing
 * outlives the test run for long).
 */
export function startNode(name: string, cwd: string, args: readonly string[], env: Record<string, string | undefined> = {}): RunningProcess {
  const childEnv = Object.fromEntries(
    Object.entries({ ...process.env, ...env }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env: childEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const listeners = new Set<() => void>();
  let exited: string | undefined;
  const closed = new Promise<void>((resolve) => {
    child.on('close', (code, signal) => {
      exited = `${name} exited (${signal ?? `code ${code}`})`;
      for (const listener of listeners) listener();
      resolve();
    });
  });
  child.on('error', (error) => {
    exited = `${name} could not start: ${error.message}`;
    for (const listener of listeners) listener();
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (text) => {
      lines.push({ text: plain(text), at: Date.now() });
      for (const listener of listeners) listener();
    });
  }

  function tail(): string {
    return lines.slice(-15).map((line) => `  [${name}] ${line.text}`).join('\n');
  }

  return {
    lines,
    waitForLine(pattern, { from = 0, timeoutMs = 10_000 } = {}) {
      return new Promise((resolve, reject) => {
        let checked = from;
        const check = (): void => {
          for (; checked < lines.length; checked += 1) {
            const match = pattern.exec(lines[checked]!.text);
            if (match !== null) {
              done();
              resolve({ line: lines[checked]!, match });
              return;
            }
          }
          if (exited !== undefined) {
            done();
            reject(new Error(`${exited} before printing a line matching ${pattern}; its last lines:\n${tail()}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${name} printed no line matching ${pattern} within ${timeoutMs} ms; its last lines:\n${tail()}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async stop(graceMs = 5_000) {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}
