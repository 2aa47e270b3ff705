import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { planReply } from './model.js';
import { readJsonBody, type JsonBodyResult } from './read-json-body.js';
import { streamReply } from './stream-reply.js';

/** Options for {@link createChatServer}. */
export interface ChatServerOptions {
  /**
   * The pause before each token, in milliseconds.
   * @defaultValue `35`
   */
  tokenDelayMs?: number;
  /**
   * The largest request body accepted, in bytes; a larger one gets a 400.
   * @defaultValue `16384` (16 KiB)
   */
  maxBodyBytes?: number;
  /**
   * Receives one human-readable line per request outcome (reply finished, client disconnected,
   * request refused).
   * @defaultValue a function that discards them
   */
  log?: (message: string) => void;
  /**
   * Called when a client disconnects before its reply ended (stopped, navigated away, network
   * drop), after the server has stopped generating, with the number of tokens it was sent.
   * Not called for replies that ended normally or with their error event.
   */
  onClientClose?: (info: { tokensSent: number }) => void;
}

/** The default pause before each token: 35 ms. */
export const DEFAULT_TOKEN_DELAY_MS = 35;

/** The default request body limit: 16 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

/** The path of the streaming endpoint. */
export const CHAT_STREAM_PATH = '/chat/stream';

const BODY_ERRORS: Record<Exclude<JsonBodyResult, { ok: true }>['reason'], string> = {
  'too-large': 'The request body is too large',
  'invalid-utf8': 'The request body is not valid UTF-8',
  'invalid-json': 'The request body is not valid JSON',
  aborted: 'The request body was not received completely',
};

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** The prompt of a request body, or the message explaining why there is none. */
function promptOf(body: unknown): { prompt: string } | { error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { error: 'The request body must be a JSON object: {"prompt": "..."}' };
  }
  const { prompt } = body as { prompt?: unknown };
  if (prompt === undefined) return { error: 'Missing "prompt"' };
  if (typeof prompt !== 'string') return { error: '"prompt" must be a string' };
  if (prompt.trim() === '') return { error: '"prompt" must not be empty' };
  return { prompt };
}

/**
 * Creates the example chat server (an `http.Server`, not yet listening). Routes:
 *
 * - `POST /chat/stream` with the JSON body `{"prompt": string}` answers `200` with a
 *   `text/event-stream` in the `{"token"}` wire format (`docs/wire-formats.md` §1): the built-in
 *   demo model's reply, one `data: {"token": "..."}` event per word, then `data: [DONE]`.
 *   If the prompt contains the word "error" (any case), a few tokens are sent, then
 *   `data: {"error": "The demo model failed on purpose (your prompt asked for an error)"}`, and
 *   the stream ends: a way to see a mid-stream failure.
 *   When the client disconnects, generation stops at once (see `onClientClose`).
 * - `400` with `{"error": "..."}` for a body that is not JSON, is over `maxBodyBytes` (the
 *   connection is then closed), or has a missing, non-string or empty `prompt`.
 * - `405` with `{"error": "..."}` and `Allow: POST` for another method on `/chat/stream`.
 * - `404` with `{"error": "..."}` for any other path.
 *
 * @example
 * ```ts
 * const server = createChatServer({ log: console.log });
 * server.listen(8787, '127.0.0.1');
 * ```
 */
export function createChatServer(options: ChatServerOptions = {}): Server {
  const {
    tokenDelayMs = DEFAULT_TOKEN_DELAY_MS,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    log = () => undefined,
    onClientClose,
  } = options;

  async function handleChatStream(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJsonBody(req, maxBodyBytes);
    if (!body.ok) {
      if (body.reason === 'aborted') return;
      log(`400: ${BODY_ERRORS[body.reason]}`);
      // An oversized body may still be arriving: close the connection rather than read it all.
      sendJson(res, 400, { error: BODY_ERRORS[body.reason] }, body.reason === 'too-large' ? { Connection: 'close' } : {});
      return;
    }
    const result = promptOf(body.value);
    if ('error' in result) {
      log(`400: ${result.error}`);
      sendJson(res, 400, { error: result.error });
      return;
    }
    const plan = planReply(result.prompt);
    log(`streaming a reply of ${plan.tokens.length} tokens${plan.error === undefined ? '' : ' and an error'}`);
    streamReply(res, plan, { tokenDelayMs, log, onClientClose });
  }

  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== CHAT_STREAM_PATH) {
      sendJson(res, 404, { error: `Not found: ${path}` });
      return;
    }
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: `Method ${req.method ?? ''} not allowed: use POST` }, { Allow: 'POST' });
      return;
    }
    handleChatStream(req, res).catch((error: unknown) => {
      log(`500: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal server error' });
      else res.destroy();
    });
  });
}
