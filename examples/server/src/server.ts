import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { demoFailureOf, LOGIN_PAGE_HTML, type DemoFailure } from './demo-failures.js';
import { planReply } from './model.js';
import { OPENAI_CHAT_PATH, openAIError, parseOpenAIChatRequest, planOpenAIChat } from './openai-chat.js';
import type { Provider } from './providers.js';
import { readJsonBody, type JsonBodyResult } from './read-json-body.js';
import { relayReply } from './relay-reply.js';
import { streamEvents, streamReply } from './stream-reply.js';

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
  /**
   * Web origins (scheme, host and port, such as `"https://chat.example.com"`) whose pages may call
   * `POST /chat/stream` cross-origin. Their CORS preflight (`OPTIONS` with `Origin`) is answered
   * `204` with `Access-Control-Allow-Origin: <origin>`, `Access-Control-Allow-Methods: POST`,
   * `Access-Control-Allow-Headers: content-type` and `Access-Control-Max-Age: 600`, and their
   * requests' responses carry `Access-Control-Allow-Origin: <origin>`. Other origins get no CORS
   * headers, so browsers send them nothing but the preflight (refused with a `405`).
   * Not needed for same-origin pages, nor behind a dev-server proxy such as the demo app's.
   * @defaultValue `[]` (no cross-origin caller)
   */
  allowedOrigins?: readonly string[];
  /**
   * How long a client may take to send a request's headers, in milliseconds (Node's
   * `server.headersTimeout`); after that it gets `408 Request Timeout` and the connection is
   * closed. At most `requestTimeoutMs`; `0` disables it.
   * @defaultValue `10000` (10 s)
   */
  headersTimeoutMs?: number;
  /**
   * How long a client may take to send a whole request, headers and body, in milliseconds (Node's
   * `server.requestTimeout`); after that it gets `408 Request Timeout` and the connection is
   * closed, before any generation starts. It does not limit the reply: a stream may last longer.
   * `0` disables it.
   * @defaultValue `30000` (30 s)
   */
  requestTimeoutMs?: number;
  /**
   * A real model to relay the chats to (`providerFromEnv`, `openAIProvider`, `anthropicProvider`
   * in `providers.ts`) instead of the built-in one; see `relay-reply.ts` for what the client gets.
   * A request that asks for a demo failure is still answered by the built-in model.
   * @defaultValue `undefined` (the built-in model)
   */
  provider?: Provider | undefined;
  /**
   * With the demo failure `slow-first-token`, the pause before the first token, in milliseconds.
   * @defaultValue `3000` (3 s)
   */
  slowFirstTokenMs?: number;
  /**
   * With the demo failure `429`, the `Retry-After` header's value, in seconds.
   * @defaultValue `1`
   */
  retryAfterSeconds?: number;
}

/** The default pause before each token: 35 ms. */
export const DEFAULT_TOKEN_DELAY_MS = 35;

/** The default request body limit: 16 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

/** The default time allowed for a request's headers: 10 s (Node's own default is 60 s). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;

/**
 * The default time allowed for a whole request: 30 s (Node's own default is 300 s). A chat request
 * is a small JSON body; a client that takes longer is broken or holding the connection on purpose.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The path of the streaming endpoint in the `{"token"}` format. */
export const CHAT_STREAM_PATH = '/chat/stream';

/** The default pause before the first token with the demo failure `slow-first-token`: 3 s. */
export const DEFAULT_SLOW_FIRST_TOKEN_MS = 3_000;

/** The endpoints, by path: each one's wire format. */
const ROUTES: Readonly<Record<string, 'token' | 'openai'>> = { [CHAT_STREAM_PATH]: 'token', [OPENAI_CHAT_PATH]: 'openai' };

/**
 * An error body in the endpoint's own shape: `{"error": "..."}` for `/chat/stream`, OpenAI's
 * `{"error": {"message", "type", "code"}}` for `/v1/chat/completions`.
 */
function errorBody(route: 'token' | 'openai' | undefined, message: string, type: string, code: string | null = null): unknown {
  return route === 'openai' ? openAIError(message, type, code) : { error: message };
}

const BODY_ERRORS: Record<Exclude<JsonBodyResult, { ok: true }>['reason'], string> = {
  'too-large': 'The request body is too large',
  'invalid-utf8': 'The request body is not valid UTF-8',
  'invalid-json': 'The request body is not valid JSON',
  aborted: 'The request body was not received completely',
};

/**
 * True when a `Content-Type` header's media type is `application/json` (any case, any parameters).
 * Browsers send cross-origin POSTs without asking first only for `text/plain`, form-encoded and
 * multipart bodies; a JSON body makes them send a CORS preflight, which the server refuses unless
 * the page's origin is in `allowedOrigins`.
 */
function isJsonContentType(header: string | undefined): boolean {
  return header?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';
}

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
 *   Generation pauses while the client does not read (backpressure), and a pipelined request's
 *   reply starts once the replies before it on the connection have been sent.
 * - `POST /v1/chat/completions` with an OpenAI Chat Completions body (`messages`, `"stream": true`)
 *   answers `200` with `chat.completion.chunk` events (`docs/wire-formats.md` §2), then
 *   `data: [DONE]`; reasoning and a streamed tool call when the prompt has the word "weather" or
 *   "tool" (see `openai-chat.ts`). Its refusals use OpenAI's error shape
 *   `{"error": {"message", "type", "code"}}`.
 * - With `provider` set, both endpoints relay the chat to that real model instead (the request's
 *   text messages and tools, not its `model`), in their own format; see `relay-reply.ts` for the
 *   upstream failures and the disconnect (which aborts the upstream request).
 * - On either endpoint, the header `X-Demo-Failure` or the body field `"demo_failure"` chooses a
 *   failure mode (`demo-failures.ts`): `slow-first-token`, `stall`, `drop`, `429` (with
 *   `Retry-After`, every other time), `500`, `html`, `crlf`, `split-utf8`; an unknown one gets a `400`.
 * - `415` with `{"error": "Content-Type must be application/json"}` when the request's media type
 *   is not `application/json` (or is missing), before the body is read and without generating:
 *   a web page can make a browser send a `text/plain` or form POST to any origin without a CORS
 *   preflight, but not a JSON one.
 * - `400` with `{"error": "..."}` for a body that is not JSON, is over `maxBodyBytes` (the
 *   connection is then closed), or has a missing, non-string or empty `prompt`.
 * - `204` with the CORS headers for the preflight (`OPTIONS`) of an origin in `allowedOrigins`.
 * - `405` with `{"error": "..."}` and `Allow: POST` for another method on either endpoint.
 * - `404` with `{"error": "..."}` for any other path.
 * - `408 Request Timeout` (from Node), and the connection closed, for a request whose headers
 *   take longer than `headersTimeoutMs` or which takes longer than `requestTimeoutMs` as a whole.
 *
 * Connections are Node's: kept alive between requests (5 s idle, Node's `keepAliveTimeout`)
 * unless the client sends `Connection: close`.
 *
 * @throws RangeError (Node's `ERR_OUT_OF_RANGE`) when `headersTimeoutMs` is greater than a non-zero
 * `requestTimeoutMs`.
 *
 * @example
 * ```ts
 * const server = createChatServer({ log: console.log });
 * server.listen(8787, '127.0.0.1');
 *
 * // A page served from another origin calls it directly:
 * createChatServer({ allowedOrigins: ['https://chat.example.com'] });
 * ```
 */
export function createChatServer(options: ChatServerOptions = {}): Server {
  const {
    tokenDelayMs = DEFAULT_TOKEN_DELAY_MS,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    log = () => undefined,
    onClientClose,
    allowedOrigins = [],
    headersTimeoutMs = DEFAULT_HEADERS_TIMEOUT_MS,
    requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
    slowFirstTokenMs = DEFAULT_SLOW_FIRST_TOKEN_MS,
    retryAfterSeconds = 1,
    provider,
  } = options;

  // The demo failure `429` answers every other request that asks for it (the first, third, …).
  let tooManyRequestsAsked = 0;

  /**
   * Answers a failure mode that replaces the whole response (`429`, `500`, `html`); returns false
   * for the others, which shape the stream itself.
   */
  function sendFailureResponse(res: ServerResponse, route: 'token' | 'openai', failure: DemoFailure | undefined): boolean {
    if (failure === '429') {
      tooManyRequestsAsked += 1;
      if (tooManyRequestsAsked % 2 === 0) return false;
      log(`429 on purpose (demo failure "429"), Retry-After: ${retryAfterSeconds}`);
      const message = 'Rate limit reached (demo failure "429"): retry after the Retry-After delay';
      sendJson(res, 429, errorBody(route, message, 'rate_limit_exceeded', 'rate_limit_exceeded'), { 'Retry-After': String(retryAfterSeconds) });
      return true;
    }
    if (failure === '500') {
      log('500 on purpose (demo failure "500")');
      sendJson(res, 500, errorBody(route, 'The demo server failed on purpose (demo failure "500")', 'server_error'));
      return true;
    }
    if (failure === 'html') {
      log('200 with an HTML login page on purpose (demo failure "html")');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(LOGIN_PAGE_HTML);
      return true;
    }
    return false;
  }

  async function handleStream(req: IncomingMessage, res: ServerResponse, route: 'token' | 'openai'): Promise<void> {
    const body = await readJsonBody(req, maxBodyBytes);
    if (!body.ok) {
      if (body.reason === 'aborted') {
        log(`no reply: ${BODY_ERRORS.aborted} (the client went away or the request timed out)`);
        return;
      }
      log(`400: ${BODY_ERRORS[body.reason]}`);
      // An oversized body may still be arriving: close the connection rather than read it all.
      const headers: Record<string, string> = body.reason === 'too-large' ? { Connection: 'close' } : {};
      sendJson(res, 400, errorBody(route, BODY_ERRORS[body.reason], 'invalid_request_error'), headers);
      return;
    }
    const failure = demoFailureOf(req, body.value);
    if (typeof failure === 'object') {
      log(`400: ${failure.error}`);
      sendJson(res, 400, errorBody(route, failure.error, 'invalid_request_error'));
      return;
    }
    const streamOptions = { tokenDelayMs, log, onClientClose, failure, slowFirstTokenMs };
    if (route === 'openai') {
      const request = parseOpenAIChatRequest(body.value);
      if ('error' in request) {
        log(`400: ${request.error}`);
        sendJson(res, 400, errorBody(route, request.error, 'invalid_request_error'));
        return;
      }
      if (provider !== undefined && failure === undefined) {
        const { messages, tools, includeUsage } = request;
        await relayReply(res, route, provider, { messages, tools, includeUsage }, { log, onClientClose });
        return;
      }
      if (sendFailureResponse(res, route, failure)) return;
      const plan = planOpenAIChat(request);
      log(`streaming ${plan.events.length} chat.completion.chunk events${failure === undefined ? '' : ` (demo failure "${failure}")`}`);
      streamEvents(res, plan, streamOptions);
      return;
    }
    const result = promptOf(body.value);
    if ('error' in result) {
      log(`400: ${result.error}`);
      sendJson(res, 400, { error: result.error });
      return;
    }
    if (provider !== undefined && failure === undefined) {
      const request = { messages: [{ role: 'user' as const, content: result.prompt }], tools: [], includeUsage: false };
      await relayReply(res, route, provider, request, { log, onClientClose });
      return;
    }
    if (sendFailureResponse(res, route, failure)) return;
    const plan = planReply(result.prompt);
    const failureNote = failure === undefined ? '' : ` (demo failure "${failure}")`;
    log(`streaming a reply of ${plan.tokens.length} tokens${plan.error === undefined ? '' : ' and an error'}${failureNote}`);
    streamReply(res, plan, streamOptions);
  }

  // Node checks its request timeouts on an interval (30 s by default, longer than the timeouts
  // themselves): check four times per shortest timeout, and at least once a second.
  const shortestTimeoutMs = Math.min(headersTimeoutMs || Infinity, requestTimeoutMs || Infinity);
  const serverOptions = {
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, Math.ceil(shortestTimeoutMs / 4)),
  };

  return createServer(serverOptions, (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = ROUTES[path];
    if (route === undefined) {
      sendJson(res, 404, { error: `Not found: ${path}` });
      return;
    }
    // CORS: an allowed origin may read every response of the endpoint, refusals included.
    const origin = req.headers.origin;
    const originAllowed = origin !== undefined && allowedOrigins.includes(origin);
    if (allowedOrigins.length > 0) res.setHeader('Vary', 'Origin');
    if (originAllowed) res.setHeader('Access-Control-Allow-Origin', origin);
    if (req.method === 'OPTIONS' && originAllowed) {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'content-type',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    if (req.method !== 'POST') {
      const message = `Method ${req.method ?? ''} not allowed: use POST`;
      sendJson(res, 405, errorBody(route, message, 'invalid_request_error'), { Allow: 'POST' });
      return;
    }
    if (!isJsonContentType(req.headers['content-type'])) {
      const error = 'Content-Type must be application/json';
      log(`415: ${error}, got ${req.headers['content-type'] ?? 'none'}`);
      sendJson(res, 415, errorBody(route, error, 'invalid_request_error'));
      return;
    }
    handleStream(req, res, route).catch((error: unknown) => {
      log(`500: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, errorBody(route, 'Internal server error', 'server_error'));
      else res.destroy();
    });
  });
}
