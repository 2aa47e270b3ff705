// Test helper: a fake model provider on 127.0.0.1, speaking OpenAI's `POST /v1/chat/completions`
// and Anthropic's `POST /v1/messages` streaming formats (`docs/wire-formats.md` §2 and §4), as the
// official SDKs read them. It streams what the test scripts, records each request, and tells when
// a request was closed before its response ended (the relay aborted it).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/** What the fake answers the next requests with. */
export interface UpstreamScript {
  /** The text, streamed one piece per event, in order. */
  readonly tokens?: readonly string[];
  /** Reasoning streamed before the text (`reasoning_content`; Anthropic: a `thinking` block). */
  readonly reasoning?: readonly string[];
  /** A tool call after the text: its name and its arguments' JSON text, streamed in these pieces. */
  readonly toolCall?: { readonly name: string; readonly argumentPieces: readonly string[] };
  /** Answer with this status and the provider's JSON error body instead of a stream. */
  readonly status?: number;
  /** Read the request and never answer it (no status, no headers): a model slow to start. */
  readonly silent?: boolean;
  /** Extra response headers (with `status`: `Retry-After`, for example). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The error message of `status` or `end: 'error'`. */
  readonly errorMessage?: string;
  /**
   * How the stream ends after the tokens: `finish` (finish reason, usage, `[DONE]` / `message_stop`),
   * `error` (the provider's error event), `hold` (nothing more, the response left open until the
   * client closes it), `cut` (the response ends without the finish).
   * @defaultValue `'finish'`
   */
  readonly end?: 'finish' | 'error' | 'hold' | 'cut';
}

/** One request the fake received. */
export interface UpstreamRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  readonly body: Record<string, unknown>;
  /** Resolves when the request's connection closed before its response ended (the caller aborted it). */
  readonly aborted: Promise<void>;
}

/** A started fake provider. */
export interface FakeUpstream {
  /** The origin, `http://127.0.0.1:<port>`: Anthropic's base URL; OpenAI's is this plus `/v1`. */
  readonly origin: string;
  /** The requests received, in order. */
  readonly requests: UpstreamRequest[];
  /** What to answer the next requests with (change it between requests). */
  script: UpstreamScript;
  /** Resolves with the next request once its body has been read. */
  nextRequest(): Promise<UpstreamRequest>;
}

function sse(res: ServerResponse, data: unknown, event?: string): void {
  res.write(`${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`);
}

/** Waits a turn of the event loop, so each event goes out in its own network chunk. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function streamOpenAI(res: ServerResponse, script: UpstreamScript, includeUsage: boolean): Promise<void> {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> => ({
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'fake-model',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  sse(res, chunk({ role: 'assistant', content: '' }));
  for (const piece of script.reasoning ?? []) {
    await nextTurn();
    sse(res, chunk({ reasoning_content: piece }));
  }
  for (const token of script.tokens ?? []) {
    await nextTurn();
    sse(res, chunk({ content: token }));
  }
  if (script.toolCall !== undefined) {
    const { name, argumentPieces } = script.toolCall;
    sse(res, chunk({ tool_calls: [{ index: 0, id: 'call_fake', type: 'function', function: { name, arguments: '' } }] }));
    for (const piece of argumentPieces) sse(res, chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
  }
  await nextTurn();
  if (script.end === 'error') return void res.end(`data: ${JSON.stringify({ error: { message: script.errorMessage, type: 'server_error', code: null } })}\n\n`);
  if (script.end === 'cut') return void res.end();
  if (script.end === 'hold') return;
  sse(res, chunk({}, script.toolCall === undefined ? 'stop' : 'tool_calls'));
  if (includeUsage) sse(res, { ...chunk({}), choices: [], usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 } });
  res.end('data: [DONE]\n\n');
}

async function streamAnthropic(res: ServerResponse, script: UpstreamScript): Promise<void> {
  const usage = { input_tokens: 5, output_tokens: 1 };
  sse(res, { type: 'message_start', message: { id: 'msg_fake', type: 'message', role: 'assistant', model: 'fake-model', content: [], stop_reason: null, usage } }, 'message_start');
  let index = 0;
  /** Streams one content block; `open` leaves it without its `content_block_stop`. */
  const block = async (start: Record<string, unknown>, deltas: Record<string, unknown>[], open = false): Promise<void> => {
    sse(res, { type: 'content_block_start', index, content_block: start }, 'content_block_start');
    for (const delta of deltas) {
      await nextTurn();
      sse(res, { type: 'content_block_delta', index, delta }, 'content_block_delta');
    }
    if (open) return;
    sse(res, { type: 'content_block_stop', index }, 'content_block_stop');
    index += 1;
  };
  if (script.reasoning !== undefined) {
    const deltas = [...script.reasoning.map((thinking) => ({ type: 'thinking_delta', thinking })), { type: 'signature_delta', signature: 'sig' }];
    await block({ type: 'thinking', thinking: '', signature: '' }, deltas);
  }
  const texts = (script.tokens ?? []).map((text) => ({ type: 'text_delta', text }));
  const end = script.end ?? 'finish';
  if (end !== 'finish') {
    // Stop in the middle of the text block.
    await block({ type: 'text', text: '' }, texts, true);
    await nextTurn();
    if (end === 'error') sse(res, { type: 'error', error: { type: 'overloaded_error', message: script.errorMessage } }, 'error');
    if (end !== 'hold') res.end();
    return;
  }
  await block({ type: 'text', text: '' }, texts);
  if (script.toolCall !== undefined) {
    const deltas = script.toolCall.argumentPieces.map((partial_json) => ({ type: 'input_json_delta', partial_json }));
    await block({ type: 'tool_use', id: 'toolu_fake', name: script.toolCall.name, input: {} }, deltas);
  }
  const stopReason = script.toolCall === undefined ? 'end_turn' : 'tool_use';
  sse(res, { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 7 } }, 'message_delta');
  sse(res, { type: 'message_stop' }, 'message_stop');
  res.end();
}

/** The provider's JSON error body for an HTTP error. */
function errorBody(path: string, status: number, message: string): unknown {
  if (path === '/v1/messages') return { type: 'error', error: { type: status === 401 ? 'authentication_error' : 'api_error', message } };
  return { error: { message, type: status === 401 ? 'invalid_request_error' : 'server_error', code: status === 401 ? 'invalid_api_key' : null } };
}

/** Starts a fake provider on 127.0.0.1 and a free port; it is closed when the current test finishes. */
export async function startFakeUpstream(script: UpstreamScript = {}): Promise<FakeUpstream> {
  const requests: UpstreamRequest[] = [];
  const waiters: ((request: UpstreamRequest) => void)[] = [];
  const nextRequest = (): Promise<UpstreamRequest> => new Promise((resolve) => waiters.push(resolve));
  const upstream: FakeUpstream = { origin: '', requests, script, nextRequest };
  const server = createServer(async (req, res) => {
    let aborted!: () => void;
    const record = { aborted: new Promise<void>((resolve) => (aborted = resolve)) };
    res.on('close', () => {
      if (!res.writableFinished) aborted();
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '/';
    const request = { path, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>, ...record };
    requests.push(request);
    for (const resolve of waiters.splice(0)) resolve(request);
    const current = upstream.script;
    if (current.silent === true) return;
    if (current.status !== undefined) {
      res.writeHead(current.status, { 'Content-Type': 'application/json', ...current.headers });
      res.end(JSON.stringify(errorBody(path, current.status, current.errorMessage ?? 'failed')));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', ...current.headers });
    const includeUsage = (request.body['stream_options'] as { include_usage?: unknown } | undefined)?.include_usage === true;
    await (path === '/v1/messages' ? streamAnthropic(res, current) : streamOpenAI(res, current, includeUsage));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return Object.assign(upstream, { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}
