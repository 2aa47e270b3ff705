import type { ServerSentEvent } from '../types.js';

/** A piece of answer text. */
export interface TextDeltaPart {
  readonly type: 'text-delta';
  /** The text to append (a token or a few). An empty delta is ignored: it is not a token. */
  readonly delta: string;
}

/** The stream ended successfully (its terminator arrived). Nothing after it is read. */
export interface FinishPart {
  readonly type: 'finish';
  /** Why generation stopped, as the wire format names it (`"stop"`, `"length"`, `"end_turn"`…), when it says. */
  readonly finishReason?: string | undefined;
  /** Token usage, when the wire format reports it. */
  readonly usage?: Readonly<Record<string, unknown>> | undefined;
}

/** The server reported an error mid-stream. Nothing after it is read. */
export interface ErrorPart {
  readonly type: 'error';
  /** A human-readable message taken from the payload. */
  readonly message: string;
  /** The error payload as the server sent it. */
  readonly payload: unknown;
}

/** What a protocol makes of one event. */
export type StreamPart = TextDeltaPart | FinishPart | ErrorPart;

/**
 * Maps the events of one stream to {@link StreamPart}s. Return `undefined` (or `[]`) to ignore an
 * event (keep-alives, metadata). Throw to say the event is malformed: the client turns that into a
 * {@link ProtocolError} carrying the event's data and the text so far.
 */
export type StreamDecoder = (event: ServerSentEvent) => StreamPart | readonly StreamPart[] | undefined;

/**
 * A token stream wire format: how parsed events map to text, the end of the stream and errors.
 * A stream that ends without a `finish` part is incomplete, never a success.
 *
 * @example A custom protocol for `data: {"text": "..."}` events ended by `event: end`:
 * ```ts
 * const myProtocol: StreamProtocol = {
 *   name: 'my-format',
 *   createDecoder: () => (event) =>
 *     event.type === 'end' ? { type: 'finish' } : { type: 'text-delta', delta: JSON.parse(event.data).text },
 * };
 * ```
 */
export interface StreamProtocol {
  /** A short name, used in error messages. */
  readonly name: string;
  /** Creates the decoder for one stream (a decoder may keep state across that stream's events). */
  createDecoder(): StreamDecoder;
}
