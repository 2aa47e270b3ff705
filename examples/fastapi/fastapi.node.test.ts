import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { HTTPError, ServerStreamError, streamTokens } from '@tokenstream/sse-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The FastAPI example (app.py) run by Debian's uvicorn in a real process, and read with the client.

const here = fileURLToPath(new URL('.', import.meta.url));
/** The Python that has fastapi and uvicorn: Debian's python3-fastapi and python3-uvicorn by default. */
const python = process.env['PYTHON'] ?? '/usr/bin/python3';
const TOKEN_DELAY_MS = 20;
/** No __pycache__ folder left in the repository by the test run. */
const pythonEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };

let server: ChildProcess | undefined;
let exited: Promise<void> | undefined;
let output = '';
const waiters = new Set<() => void>();
let url = '';

/** Resolves with the first match of `pattern` in uvicorn's output; rejects if uvicorn exits first. */
function waitForOutput(pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const match = pattern.exec(output);
      if (match === null) return;
      waiters.delete(check);
      resolve(match);
    };
    waiters.add(check);
    check();
    void exited?.then(() => {
      if (!waiters.delete(check)) return;
      reject(new Error(`uvicorn exited before printing ${pattern}:\n${output}`));
    });
  });
}

/** A port that is free now (uvicorn 0.17 does not print the port it got for `--port 0`). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** What the model in app.py replies to `prompt`, asked of app.py itself. */
function replyText(prompt: string): string {
  const script = 'import json, sys, app; print(json.dumps(app.reply_text(sys.argv[1])))';
  const result = spawnSync(python, ['-c', script, prompt], { cwd: here, env: pythonEnv, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`app.reply_text failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as string;
}

beforeAll(async () => {
  const check = spawnSync(python, ['-c', 'import fastapi, uvicorn'], { encoding: 'utf8' });
  if (check.status !== 0) {
    throw new Error(
      `The FastAPI example needs ${python} with fastapi and uvicorn (on Debian: ` +
        `apt-get install python3-fastapi python3-uvicorn; .ci/run installs them; PYTHON=... picks another Python):\n` +
        `${check.error?.message ?? check.stderr}`,
    );
  }
  const port = await freePort();
  server = spawn(python, ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: here,
    env: { ...pythonEnv, TOKEN_DELAY_MS: String(TOKEN_DELAY_MS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onData = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    for (const check of [...waiters]) check();
  };
  server.stdout!.on('data', onData);
  server.stderr!.on('data', onData);
  exited = new Promise((resolve) => server!.on('close', () => resolve()));
  await waitForOutput(/Uvicorn running on/);
  url = `http://127.0.0.1:${port}/chat/stream`;
}, 15_000);

afterAll(async () => {
  if (server === undefined || server.exitCode !== null || server.signalCode !== null) return;
  server.kill('SIGTERM');
  await exited;
});

describe('POST /chat/stream on the FastAPI example', () => {
  it('streams the reply as {"token"} events that the client joins into the model\'s text', async () => {
    const prompt = 'Hello from TypeScript, café 日本語';
    const tokens: string[] = [];

    const text = await streamTokens(url, { body: { prompt }, onToken: (token) => tokens.push(token) }).text;

    expect(text).toBe(replyText(prompt));
    expect(tokens.length).toBeGreaterThan(10);
  });

  it('sends the headers of an unbuffered event stream', async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"Hi"}' });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(await response.text()).toMatch(/^data: \{"token": "You "\}\n\n[\s\S]*\n\ndata: \[DONE\]\n\n$/);
  });

  it('reports the error event of a prompt that asks for one as a ServerStreamError, keeping the text before it', async () => {
    const prompt = 'Show me an error';
    const error = await streamTokens(url, { body: { prompt } }).text.catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ServerStreamError);
    const { message, payload, text } = error as ServerStreamError;
    expect(message).toContain('The demo model failed on purpose (your prompt asked for an error)');
    expect(payload).toBe('The demo model failed on purpose (your prompt asked for an error)');
    // The first 6 tokens of the reply, then the error.
    expect(text).toBe(replyText(prompt).match(/\s*\S+\s*/g)!.slice(0, 6).join(''));
  });

  it('refuses a body that is not application/json with a 415, and a bad JSON body with a 400', async () => {
    const refused = await streamTokens(url, { body: '{"prompt":"Hi"}', headers: { 'content-type': 'text/plain' } }).text.catch(
      (caught: unknown) => caught,
    );
    expect(refused).toBeInstanceOf(HTTPError);
    expect((refused as HTTPError).status).toBe(415);
    expect((refused as HTTPError).body).toEqual({ error: 'Content-Type must be application/json' });

    for (const body of ['{"prompt":""}', '{}', '[1]', 'not JSON', '{"prompt":3}']) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status, body).toBe(400);
      expect(await response.json(), body).toEqual({ error: expect.any(String) });
    }
  });

  it('stops generating when the client stops reading (Stop): the server logs the disconnect mid-stream', async () => {
    const prompt = 'Please stop me';
    const controller = new AbortController();
    const stream = streamTokens(url, { body: { prompt }, signal: controller.signal });

    const stopped = (async () => {
      for await (const _token of stream) controller.abort();
    })();

    await expect(stopped).rejects.toMatchObject({ name: 'AbortError' });
    const [, sent, total] = await waitForOutput(/client disconnected after (\d+) of (\d+) tokens; stopped generating/);
    expect(Number(sent)).toBeGreaterThanOrEqual(1);
    expect(Number(sent)).toBeLessThan(Number(total));
    expect(Number(total)).toBe(replyText(prompt).match(/\s*\S+\s*/g)!.length);
  }, 10_000);
});
