/**
 * Relays a real provider's streamed reply to the client, in the endpoint's wire format, and stops
 * the provider's work when the client goes away.
 *
 * @module
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { openAIError } from './openai-chat.js';
import type { Provider, ProviderRequest } from './providers.js';
import { EVENT_STREAM_HEADERS } from './stream-reply.js';

/** Options for {@link relayReply}. */
export interface RelayReplyOptions {
  /** Receives one line per outcome (finished, failed upstream, client disconnected). Never the API key. */
  readonly log: (message: string) => void;
  /** Called once when the client disconnects before the reply ended, with how many tokens (events) it was sent. */
  readonly onClientClose: ((info: { tokensSent: number }) => void) | undefined;
}

/** An SDK error's HTTP status, headers, message and type, when it has them (`APIError` of either SDK). */
interface UpstreamError {
  readonly status?: unknown;
  readonly headers?: unknown;
  readonly message?: unknown;
  readonly type?: unknown;
  readonly code?: unknown;
}

function dataEvent(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/** The `200`, the event stream's headers and a `: ping` comment, so the client has the response at once. */
function startEventStream(res: ServerResponse): void {
  res.writeHead(200, EVENT_STREAM_HEADERS);
  res.write(': ping\n\n');
}

/** True for a delta with reasoning text (`reasoning_content`, or `reasoning` as OpenRouter and Ollama send it). */
function isReasoning(delta: object | undefined): boolean {
  const { reasoning_content: content, reasoning } = (delta ?? {}) as { reasoning_content?: unknown; reasoning?: unknown };
  return (typeof content === 'string' && content !== '') || (typeof reasoning === 'string' && reasoning !== '');
}

/**
 * What the client is told about an upstream failure: the provider's message, except for `401`
 * and `403`, whose message may quote part of the API key ("Incorrect API key provided: sk-…").
 */
function clientMessage(error: UpstreamError, status: number | undefined): string {
  if (status === 401 || status === 403) return `The model provider refused the server's credentials (HTTP ${status})`;
  const message = typeof error.message === 'string' && error.message !== '' ? error.message : 'unknown error';
  return `The model provider failed: ${message}`;
}

/**
 * Streams `provider`'s reply to `request` to `res`, as `route`'s wire format:
 * - `token` (`/chat/stream`): each chunk's `delta.content` as `data: {"token": "..."}`, then
 *   `data: [DONE]`. The format carries text only: tool calls are not sent, and each reasoning chunk
 *   becomes a `: reasoning` comment, which keeps a client's idle timeout from tripping while a
 *   reasoning model thinks;
 * - `openai` (`/v1/chat/completions`): each chunk as it came (`reasoning_content` and `tool_calls`
 *   included), then `data: [DONE]`.
 *
 * The `200`, the event stream's headers and a `: ping` comment go out with the provider's first
 * chunk, so that:
 * - a failure before it (the provider answered 4xx or 5xx, could not be reached, or sent an error
 *   event first) is answered with an HTTP error and a JSON body in the endpoint's shape
 *   (`{"error": "..."}`, or OpenAI's `{"error": {"message", "type", "code"}}`): the provider's
 *   status when it has one (4xx or 5xx: `401`, `429` with its `Retry-After`, `500`…), else `502`;
 * - a failure after it ends the stream with the endpoint's error event, the same as the built-in
 *   model's: `data: {"error": "..."}`, or `data: {"error": {"message", "type", "code"}}`.
 *
 * When the client disconnects first, the upstream request is aborted (the SDK's `signal`), so the
 * provider stops generating (and billing); it is logged and `onClientClose` called. While the
 * client does not read, the next chunk is not read from the provider (backpressure).
 */
export async function relayReply(
  res: ServerResponse,
  route: 'token' | 'openai',
  provider: Provider,
  request: ProviderRequest,
  options: RelayReplyOptions,
): Promise<void> {
  const { log, onClientClose } = options;
  const upstream = new AbortController();
  let tokensSent = 0;

  // `res` (not `req`) closes when the connection does; `req` closes once its body has been read.
  res.on('close', () => {
    if (res.writableFinished) return;
    upstream.abort();
    log(`client disconnected after ${tokensSent} tokens; aborted the request to ${provider.name}`);
    onClientClose?.({ tokensSent });
  });

  // While the client does not read, wait for it before reading the next chunk from the provider.
  const write = async (text: string): Promise<void> => {
    if (!res.write(text)) await once(res, 'drain', { signal: upstream.signal });
  };
  const writeToken = (event: string): Promise<void> => {
    tokensSent += 1;
    return write(event);
  };

  log(`relaying to ${provider.name} (model ${provider.model})`);
  try {
    const chunks = await provider.stream(request, upstream.signal);
    let finishReason: string | null | undefined;
    for await (const chunk of chunks) {
      if (!res.headersSent) startEventStream(res);
      const choice = chunk.choices[0];
      finishReason ??= choice?.finish_reason;
      if (route === 'openai') await writeToken(dataEvent(chunk));
      else if (typeof choice?.delta.content === 'string' && choice.delta.content !== '') await writeToken(dataEvent({ token: choice.delta.content }));
      else if (isReasoning(choice?.delta)) await write(': reasoning\n\n');
    }
    if (upstream.signal.aborted) return; // the SDKs end the iteration quietly once aborted
    // The SDKs also end it quietly when the provider's response ends early: not a success.
    if (!finishReason) throw new Error('the reply ended before its finish reason (the connection to it was cut)');
    // (A finish reason comes in a chunk, so the event stream has started by now.)
    res.end('data: [DONE]\n\n');
    log(`relayed ${tokensSent} tokens from ${provider.name} and [DONE]`);
  } catch (caught) {
    if (upstream.signal.aborted) return; // the client went away: logged above
    const error = (typeof caught === 'object' && caught !== null ? caught : {}) as UpstreamError;
    const upstreamStatus = typeof error.status === 'number' && error.status >= 400 && error.status <= 599 ? error.status : undefined;
    const message = clientMessage(error, upstreamStatus);
    const type = typeof error.type === 'string' ? error.type : 'upstream_error';
    const code = typeof error.code === 'string' ? error.code : null;
    if (res.headersSent) {
      log(`${provider.name} failed after ${tokensSent} tokens (${message}); sent the error event`);
      res.end(route === 'openai' ? dataEvent(openAIError(message, type, code)) : dataEvent({ error: message }));
      return;
    }
    const status = upstreamStatus ?? 502;
    const retryAfter = error.headers instanceof Headers ? error.headers.get('retry-after') : null;
    log(`${status}: ${provider.name} failed before the first token (${message})`);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...(retryAfter === null ? {} : { 'Retry-After': retryAfter }) });
    res.end(JSON.stringify(route === 'openai' ? openAIError(message, type, code) : { error: message }));
  }
}
