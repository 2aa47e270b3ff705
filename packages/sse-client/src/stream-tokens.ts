import type { EventStreamRequestInit } from './options.js';
import type { StreamPart, StreamProtocol } from './protocols/types.js';
import { createSingleUseStream } from './single-use-stream.js';
import { streamPartBatches, type PartBatchesEnd } from './stream-parts.js';
import { TextAccumulator } from './text-accumulator.js';

/** Options for {@link streamTokens}: a streaming request plus how to read its tokens. */
export interface StreamTokensOptions extends EventStreamRequestInit {
  /**
   * The wire format of the stream. Only its text (`text-delta` parts) becomes tokens: use
   * `streamParts` for reasoning, tool calls and the rest.
   * @defaultValue `tokenProtocol` (`{"token"}` events ended by `[DONE]`)
   */
  protocol?: StreamProtocol | undefined;
  /**
   * Called with each token as it arrives, and the whole text so far (this token included). A
   * throw from it ends the stream with that error (the request is cancelled).
   */
  onToken?: ((token: string, text: string) => void) | undefined;
}

/**
 * A token stream in progress. Iterate it for tokens, or await {@link TokenStream.text} for the
 * whole answer; it can be consumed once.
 */
export interface TokenStream extends AsyncIterable<string> {
  /**
   * The whole text, once the stream has ended with its terminator. Reading it starts consuming
   * the stream when nobody iterates it yet; while a loop iterates it, it settles when the loop does.
   * Rejects with the same error the iteration throws; with an `AbortError` `DOMException` when a
   * loop stops early (`break`, or the iterator's `return()` or `throw()`, which cancel the request).
   */
  readonly text: Promise<string>;
}

/**
 * Sends a request (POST by default) to a token streaming endpoint and reads its answer as it
 * arrives: iterate the result for tokens, pass `onToken`, or await `.text` for the whole answer.
 *
 * The response must be status 200 with `Content-Type: text/event-stream`; its events are mapped to
 * text by `protocol` (by default `{"token"}` events ended by `data: [DONE]`, `docs/wire-formats.md` §1).
 * A stream that ends without its terminator is an error, never a silent success. The request starts
 * when the stream is first iterated or `.text` is first read.
 *
 * Memory stays proportional to the text, however many tokens it arrives in: the text kept for
 * errors and the one given to `onToken` are flattened as they grow (amortised: the copying stays
 * linear), so streaming one-byte text holds at most about 4 bytes per character.
 *
 * @throws {HTTPError} for a status other than 200, with the body (JSON or text, up to 64 KiB).
 * @throws {ContentTypeError} for a 200 that is not `text/event-stream`: its body is never parsed.
 * @throws {ServerStreamError} for a mid-stream error event, with the text received before it.
 * @throws {IncompleteStreamError} when the stream ends before its terminator, with the text so far.
 * @throws {ProtocolError} for an event the protocol cannot read, with its data and the text so far.
 *   As before an error event, every token that came before the bad event (in the same network
 *   chunk too) is delivered (yielded, and passed to `onToken`) first, so the text shown always
 *   equals the error's `text`.
 * @throws {NetworkError} when the request fails or the connection drops, with the text so far and `cause`.
 * @throws {TimeoutError} when `idleTimeout` or `timeout` passes, with the text so far (an error
 *   response still arriving is an `HTTPError` with the `TimeoutError` as `cause`).
 * @throws {EventTooLargeError} when one event grows past `maxEventSize` (the request is cancelled).
 * @throws {ReconnectLimitError} with `reconnect`, when the stream drops again after
 *   `reconnect.totalLimit` reconnections (text so far kept).
 * @throws `signal.reason`, not wrapped, when `signal` aborts (a plain `abort()` gives an `AbortError`).
 * @throws {TypeError} before anything is sent, for a request that cannot be made (an invalid URL,
 *   a relative URL with no base and the global `fetch`, credentials in the URL with the global
 *   `fetch`, an invalid header, method or option, a GET or HEAD with a body). Never retried.
 * @throws {RangeError} before anything is sent, for an invalid timeout, `maxEventSize`, `retry` or
 *   `reconnect` option (all options are checked when the stream starts).
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const stream = streamTokens('/chat/stream', { body: { prompt: 'Hello' }, signal: controller.signal });
 * for await (const token of stream) output.append(token);
 * ```
 * @example
 * ```ts
 * const text = await streamTokens('/chat/stream', { body: { prompt }, onToken: (token) => render(token) }).text;
 * ```
 */
export function streamTokens(input: string | URL, options: StreamTokensOptions = {}): TokenStream {
  const { onToken, signal } = options;
  const text = new TextAccumulator();
  return createSingleUseStream({
    name: 'TokenStream',
    key: 'text' as const,
    signal,
    open: () => streamPartBatches(input, options),
    // The text-only view of the parts. The text for onToken is kept only when there is an onToken.
    each: (part: StreamPart) => {
      if (part.type !== 'text-delta') return undefined;
      onToken?.(part.delta, text.append(part.delta));
      return part.delta;
    },
    end: (end: PartBatchesEnd) => end.text,
  });
}
