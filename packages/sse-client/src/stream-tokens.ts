import { IncompleteStreamError, ProtocolError, ServerStreamError } from './errors.js';
import { eventStreamBatches, startCall, type EventStreamRequestInit } from './fetch-event-stream.js';
import { tokenProtocol } from './protocols/token.js';
import type { FinishPart, StreamPart, StreamProtocol } from './protocols/types.js';
import { TextAccumulator } from './text-accumulator.js';

/** Options for {@link streamTokens}: a streaming request plus how to read its tokens. */
export interface StreamTokensOptions extends EventStreamRequestInit {
  /**
   * The wire format of the stream.
   * @defaultValue {@link tokenProtocol} (`{"token"}` events ended by `[DONE]`)
   */
  protocol?: StreamProtocol | undefined;
  /**
   * Called with each token as it arrives, and the whole text so far (this token included). A
   * throw from it ends the stream with that error (the request is cancelled).
   */
  onToken?: ((token: string, text: string) => void) | undefined;
}

/** How a token stream ended, when it ended well. @internal */
export interface TokenStreamResult {
  readonly text: string;
  readonly finish: FinishPart;
}

function asParts(parts: StreamPart | readonly StreamPart[] | undefined): readonly StreamPart[] {
  if (parts === undefined) return [];
  return Array.isArray(parts) ? parts : [parts as StreamPart];
}

/**
 * The engine behind {@link streamTokens} and the chat store: yields the tokens of each network
 * chunk together, throws the typed errors, and returns the text and finish information. Before
 * it throws for a terminal part or a malformed event, it yields the tokens of the chunk that came
 * before it, so the text a consumer built always equals the error's `text`.
 *
 * @internal
 */
export async function* streamTokenBatches(
  input: string | URL,
  options: StreamTokensOptions,
): AsyncGenerator<readonly string[], TokenStreamResult, undefined> {
  const { protocol = tokenProtocol } = options;
  const call = startCall(input, options);
  const request = call.prepared.description;
  const decode = protocol.createDecoder();
  const text = new TextAccumulator();
  try {
    for await (const events of eventStreamBatches(options, call)) {
      const tokens: string[] = [];
      for (const event of events) {
        let parts: readonly StreamPart[];
        try {
          parts = asParts(decode(event));
        } catch (cause) {
          // Like a terminal part: deliver what came before the bad event first, so what the
          // caller has shown always equals the error's `text`.
          if (tokens.length > 0) yield tokens;
          throw new ProtocolError(protocol.name, event.data, request, { text: text.text, cause });
        }
        for (const part of parts) {
          if (part.type === 'text-delta') {
            if (part.delta === '') continue;
            tokens.push(part.delta);
            text.append(part.delta);
            continue;
          }
          // A terminal part: deliver what came before it, then stop reading (leaving the loop
          // cancels the body, so a server that keeps the connection open is disconnected).
          if (tokens.length > 0) yield tokens;
          if (part.type === 'finish') return { text: text.text, finish: part };
          throw new ServerStreamError(part.message, part.payload, request, { text: text.text });
        }
      }
      if (tokens.length > 0) yield tokens;
    }
  } catch (error) {
    throw call.scope.mapError(error, request, text.text);
  } finally {
    call.scope.dispose();
  }
  throw new IncompleteStreamError(request, { text: text.text });
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
   * loop stops early (`break`).
   */
  readonly text: Promise<string>;
}

class TokenStreamImpl implements TokenStream {
  readonly #text: Promise<string>;
  #started = false;
  #resolve!: (text: string) => void;
  #reject!: (error: unknown) => void;
  readonly #input: string | URL;
  readonly #options: StreamTokensOptions;

  constructor(input: string | URL, options: StreamTokensOptions) {
    this.#input = input;
    this.#options = options;
    this.#text = new Promise<string>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // The rejection reaches whoever awaits `text` or iterates; it is never an unhandled rejection.
    this.#text.catch(() => undefined);
  }

  get text(): Promise<string> {
    if (!this.#started) this.#drain();
    return this.#text;
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    if (this.#started) throw new TypeError('A TokenStream can be consumed only once');
    this.#started = true;
    return this.#iterate();
  }

  #drain(): void {
    this.#started = true;
    void (async () => {
      for await (const _token of this.#iterate()) {
        // onToken sees each token; the text promise settles at the end.
      }
    })().catch(() => undefined);
  }

  async *#iterate(): AsyncGenerator<string, void, undefined> {
    const { onToken, signal } = this.#options;
    const source = streamTokenBatches(this.#input, this.#options);
    const text = new TextAccumulator();
    let settled = false;
    let sourceEnded = false;
    try {
      for (;;) {
        let next: IteratorResult<readonly string[], TokenStreamResult>;
        try {
          next = await source.next();
        } catch (error) {
          sourceEnded = true;
          throw error;
        }
        if (next.done) {
          sourceEnded = true;
          // An abort from the last `onToken` or loop body wins over the completion behind it.
          signal?.throwIfAborted();
          settled = true;
          this.#resolve(next.value.text);
          return;
        }
        for (const token of next.value) {
          onToken?.(token, text.append(token));
          // An abort from `onToken` or from the loop's body takes effect at once, not a chunk later.
          signal?.throwIfAborted();
          yield token;
          signal?.throwIfAborted();
        }
      }
    } catch (error) {
      settled = true;
      this.#reject(error);
      throw error;
    } finally {
      // Leaving early (a `break`, a throw, an abort between tokens) closes the source, which
      // cancels the request and clears its timers.
      if (!sourceEnded) await source.return(undefined as never);
      if (!settled) this.#reject(new DOMException('The token stream was closed before it ended', 'AbortError'));
    }
  }
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
 * linear), so streaming one-byte text holds at most about 4 bytes per character (it was about
 * 64 bytes per token before: 33 MiB for 500,000 one-character tokens).
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
 * @throws {EventTooLargeError} when one event grows past `maxEventSize` (the request is cancelled).
 * @throws `signal.reason`, not wrapped, when `signal` aborts (a plain `abort()` gives an `AbortError`).
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
  return new TokenStreamImpl(input, options);
}
