// Test helpers: the chat server on a free port of 127.0.0.1 (closed when the test ends), and a raw
// TCP client for what `fetch` cannot do (pipelining, `Connection: close`, a body sent slowly).
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';
import { createChatServer, type ChatServerOptions } from './server.js';

/** A started chat server: its `/chat/stream` URL, its port, and the `http.Server`. */
export interface StartedChatServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
}

/**
 * Starts `createChatServer(options)` (with a 1 ms token delay unless given) on 127.0.0.1 and a
 * free port, and closes it, with every open connection, when the current test finishes.
 */
export async function startChatServer(options: ChatServerOptions = {}): Promise<StartedChatServer> {
  const server = createChatServer({ tokenDelayMs: 1, ...options });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/chat/stream`, port, server };
}

/** The text of an HTTP/1.1 `POST /chat/stream` request with `body` and the given extra header lines. */
export function chatRequest(body: string, headers: readonly string[] = ['Content-Type: application/json']): string {
  return [
    'POST /chat/stream HTTP/1.1',
    'Host: 127.0.0.1',
    ...headers,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** A raw TCP connection to the server, and everything it received until the server ended it. */
export interface RawConnection {
  readonly socket: Socket;
  /** Everything received so far, as text. */
  received(): string;
  /** Resolves with everything received once the server has ended the connection. */
  readonly ended: Promise<string>;
}

/** Opens a TCP connection to `port` on 127.0.0.1 and writes `text` (the raw request bytes). */
export async function rawConnection(port: number, text = ''): Promise<RawConnection> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  onTestFinished(() => {
    socket.destroy();
  });
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    data += chunk;
  });
  const ended = new Promise<string>((resolve, reject) => {
    socket.once('end', () => resolve(data));
    socket.once('error', reject);
  });
  if (text !== '') socket.write(text);
  return { socket, received: () => data, ended };
}

/** A `log` option that records the lines and can wait for one that matches. */
export function recordLog(): { log: (line: string) => void; lines: string[]; waitFor: (match: RegExp, count?: number) => Promise<void> } {
  const lines: string[] = [];
  const waiters: { match: RegExp; count: number; resolve: () => void }[] = [];
  const matching = (match: RegExp): number => lines.filter((line) => match.test(line)).length;
  return {
    lines,
    log: (line) => {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (matching(waiter.match) < waiter.count) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
    waitFor: (match, count = 1) =>
      matching(match) >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ match, count, resolve })),
  };
}
