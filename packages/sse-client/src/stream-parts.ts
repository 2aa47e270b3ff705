import { IncompleteStreamError, ProtocolError, ServerStreamError } from './errors.js';
import { callBatches, type BatchMapper } from './fetch-event-stream.js';
import type { EventStreamRequestInit, InternalRequestInit } from './options.js';
import { tokenProtocol } from './protocols/token.js';
import type { FinishPart, StreamPart, StreamProtocol, ToolCallPart } from './protocols/types.js';
import { createSingleUseStream } from './single-use-stream.js';
import { TextAccumulator } from './text-accumulator.js';

/** The request options and wire format that {@link streamParts} and `streamTokens` share. @internal */
export type PartBatchesOptions = InternalRequestInit & { readonly protocol?: StreamProtocol | undefined };

/** Options for {@link streamParts}: a streaming request, its wire format, and a callback per part. */
export interface StreamPartsOptions extends EventStreamRequestInit {
  /**
   * The wire format of the stream: how its events map to parts.
   * @defaultValue {@link tokenProtocol} (`{"token"}` events ended by `[DONE]`: text only)
   */
  protocol?: StreamProtocol | undefined;
  /**
   * Called with each part as it arrives, before the iterator yields it (the `finish` part too). A
   * throw from it ends the stream with that error (the request is cancelled).
   */
  onPart?: ((part: StreamPart) => void) | undefined;
}

/** How a stream ended, when it ended well: the answer text and its `finish` part. @internal */
export interface PartBatchesEnd {
  readonly text: string;
  readonly finish: FinishPart;
}

/** True for what can be a part: an object with a string `type`, and a string `delta` for the delta parts. */
function isPart(part: unknown): part is StreamPart {
  const { type, delta } = (part ?? 0) as { type?: unknown; delta?: unknown };
  return typeof part === 'object' && typeof type === 'string' && (typeof delta === 'string' || !/^(text|reasoning|refusal)-delta$/.test(type));
}

/**
 * The engine behind {@link streamParts}, `streamTokens` and the chat store: yields the parts of
 * each network chunk together, in stream order (empty text, reasoning and refusal deltas
 * dropped; the `finish` part last, then it returns), throws the typed errors, and returns the
 * answer text and the `finish` part. A `finish` part without a `finishReason` (a custom protocol
 * written before reasons were normalised) gets `'stop'`. Before it throws for an `error` part or
 * a malformed event, it yields the parts of the chunk that came before it, so the text a consumer
 * built always equals the error's `text`.
 *
 * @internal
 */
export function streamPartBatches(
  input: string | URL,
  options: PartBatchesOptions,
): AsyncGenerator<readonly StreamPart[], PartBatchesEnd, undefined> {
  const { protocol = tokenProtocol } = options;
  const decode = protocol.createDecoder();
  const text = new TextAccumulator();
  const mapper: BatchMapper<StreamPart, PartBatchesEnd> = {
    get text() {
      return text.text;
    },
    map(events, request) {
      const batch: StreamPart[] = [];
      for (const event of events) {
        let parts: readonly StreamPart[];
        try {
          const decoded = decode(event);
          parts = decoded === undefined ? [] : Array.isArray(decoded) ? decoded : [decoded as StreamPart];
          if (!parts.every(isPart)) throw new TypeError('the decoder returned a non-part');
        } catch (cause) {
          // Like an error part: what came before the bad event is delivered first, so what the
          // caller has shown always equals the error's `text`.
          mapper.error = new ProtocolError({ protocol: protocol.name, data: event.data, request, text: text.text, cause });
          return batch;
        }
        for (const part of parts) {
          // An empty text, reasoning or refusal delta (the parts with a `delta`) carries nothing.
          if ('delta' in part && part.delta === '') continue;
          if (part.type === 'error') {
            mapper.error = new ServerStreamError({ message: part.message, payload: part.payload, request, text: text.text });
            return batch;
          }
          if (part.type === 'text-delta') text.append(part.delta);
          if (part.type === 'finish') {
            // The end: delivered with what came before it; the engine then stops reading.
            const finish: FinishPart = part.finishReason === undefined ? { ...part, finishReason: 'stop' } : part;
            batch.push(finish);
            mapper.end = { text: text.text, finish };
            return batch;
          }
          batch.push(part);
        }
      }
      return batch;
    },
    ended(request) {
      throw new IncompleteStreamError({ request, text: text.text });
    },
  };
  return callBatches(input, options, mapper);
}

/** What a part stream resolves with once it has ended well: {@link PartStream.result}. */
export interface PartStreamResult {
  /** The answer: every `text-delta` joined. */
  readonly text: string;
  /** The model's reasoning: every `reasoning-delta` joined (`""` when it sent none). */
  readonly reasoning: string;
  /** The refusal: every `refusal-delta` joined (`""` when the model did not refuse). */
  readonly refusal: string;
  /** The `tool-call` parts, in stream order (invalid ones included: see `ToolCallPart.invalid`). */
  readonly toolCalls: readonly ToolCallPart[];
  /** The `finish` part: finish reason and usage, normalised, with the format's own values. */
  readonly finish: FinishPart;
}

/**
 * A stream of parts in progress. Iterate it for every {@link StreamPart} in stream order, or
 * await {@link PartStream.result} for the end result; it can be consumed once.
 */
export interface PartStream extends AsyncIterable<StreamPart> {
  /**
   * The end result, once the stream has ended with its `finish` part: the text, the reasoning,
   * the refusal, the tool calls and the finish part. Reading it starts consuming the stream when
   * nobody iterates it yet; while a loop iterates it, it settles when the loop does. Rejects with
   * the same error the iteration throws; with an `AbortError` `DOMException` when a loop stops
   * early (`break`, or the iterator's `return()` or `throw()`, which cancel the request).
   */
  readonly result: Promise<PartStreamResult>;
}

/**
 * Sends a request (POST by default) to a streaming endpoint and reads everything the model sends,
 * as it arrives: text, reasoning, refusals, tool calls (with their input parsed as it streams),
 * tool results, sources, files, data parts and the finish reason and usage. Iterate the result for
 * {@link StreamPart}s, pass `onPart`, or await `.result` for the end result.
 *
 * The parts follow the AI SDK's stream part names (`text-delta`, `reasoning-delta`,
 * `tool-input-start`, `tool-input-delta`, `tool-call`, `finish`…); `protocol` maps the format's
 * events to them (by default `{"token"}` events ended by `data: [DONE]`, `docs/wire-formats.md`
 * §1, which carry text only). They are yielded in stream order; empty text, reasoning and refusal
 * deltas are dropped; the `finish` part comes last, then the iteration ends. An `error` part is
 * never yielded: it is thrown as a `ServerStreamError`. The request starts when the stream is
 * first iterated or `.result` is first read.
 *
 * Everything else is as in `streamTokens`: the same request options, status and content-type
 * checks, timeouts, retries, resume and cancellation, and the same typed errors, whose `text` is
 * the answer text (the `text-delta`s) received so far.
 *
 * @throws {HTTPError} for a status other than 200, with the body (JSON or text, up to 64 KiB).
 * @throws {ContentTypeError} for a 200 that is not `text/event-stream`: its body is never parsed.
 * @throws {ServerStreamError} for a mid-stream error event, with the text received before it.
 *   The parts before it (in the same network chunk too) are delivered first.
 * @throws {IncompleteStreamError} when the stream ends before its `finish` part, with the text so far.
 * @throws {ProtocolError} for an event the protocol cannot read (its decoder threw, or returned
 *   something that is not a part), with its data and the text so far. The parts before the bad
 *   event (in the same network chunk too) are delivered (yielded, and passed to `onPart`) first.
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
 * const stream = streamParts('/v1/chat/completions', { protocol: openAIChatProtocol, body, signal });
 * for await (const part of stream) {
 *   if (part.type === 'text-delta') answer.append(part.delta);
 *   else if (part.type === 'reasoning-delta') thoughts.append(part.delta);
 *   else if (part.type === 'tool-input-delta') showToolInput(part.toolCallId, part.input); // partial
 *   else if (part.type === 'tool-call') runTool(part.toolName, part.input); // complete
 * }
 * ```
 * @example
 * ```ts
 * const { text, toolCalls, finish } = await streamParts(url, { protocol: anthropicProtocol, body }).result;
 * ```
 */
export function streamParts(input: string | URL, options: StreamPartsOptions = {}): PartStream {
  const { onPart, signal } = options;
  const reasoning = new TextAccumulator();
  const refusal = new TextAccumulator();
  const toolCalls: ToolCallPart[] = [];
  return createSingleUseStream({
    name: 'PartStream',
    key: 'result' as const,
    signal,
    open: () => streamPartBatches(input, options),
    each(part: StreamPart) {
      if (part.type === 'reasoning-delta') reasoning.append(part.delta);
      else if (part.type === 'refusal-delta') refusal.append(part.delta);
      else if (part.type === 'tool-call') toolCalls.push(part);
      onPart?.(part);
      return part;
    },
    end: ({ text, finish }: PartBatchesEnd): PartStreamResult => ({
      text,
      reasoning: reasoning.text,
      refusal: refusal.text,
      toolCalls,
      finish,
    }),
  });
}
