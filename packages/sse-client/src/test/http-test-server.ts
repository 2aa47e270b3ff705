import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** What the server saw of one request. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** Resolves when the client closed the connection before the response finished. */
  readonly clientGone: Promise<void>;
  /** True once the client closed the connection before the response finished. */
  readonly isClientGone: () => boolean;
}

/** A real HTTP server on 127.0.0.1 and a free port, for tests that cross a real socket. */
export interface HttpTestServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Every request, oldest first. */
  readonly requests: readonly SeenRequest[];
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}

/** Handles one request; `index` counts from 0 across the server's life. */
export type TestHandler = (request: SeenRequest, response: ServerResponse, index: number) => void | Promise<void>;

/**
 * Starts a `node:http` server on 127.0.0.1 (a free port) that records each request, its body, and
 * whether the client went away before the response ended (`res.on('close')` with
 * `!res.writableFinished`: what a streaming server uses to stop generating).
 */
export async function startHttpTestServer(handler: TestHandler): Promise<HttpTestServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let gone = false;
      const clientGone = new Promise<void>((resolve) => {
        res.on('close', () => {
          if (!res.writableFinished) {
            gone = true;
            resolve();
          }
        });
      });
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        clientGone,
        isClientGone: () => gone,
      };
      requests.push(seen);
      void handler(seen, res, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Gives a test file real servers that are closed after the test that started them (vitest's
 * `afterEach`). Call once at the top level of a `*.node.test.ts` file.
 *
 * @returns A function that starts a server running `handler` (see {@link startHttpTestServer}).
 */
export function useHttpTestServers(): (handler: TestHandler) => Promise<HttpTestServer> {
  const open: HttpTestServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  return async (handler) => {
    const server = await startHttpTestServer(handler);
    open.push(server);
    return server;
  };
}

/** The origin (`http://127.0.0.1:PORT`) of a server that was started and closed again: connecting to it is refused. */
export async function closedServerUrl(): Promise<string> {
  const server = await startHttpTestServer(() => undefined);
  await server.close();
  return server.url;
}

/** Writes the headers of an event stream (status 200) and flushes them. */
export function startEventStream(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...headers,
  });
  res.flushHeaders();
}
