import { jsonEvent } from './format.js';
import { toEnding, type StreamEnding } from './stream-ending.js';
import { unsupportedItem, type StreamItem } from './stream-items.js';

/**
 * How a stream of the default wire format ends: any {@link StreamEnding}, or `{ error: payload }`
 * for an error event with exactly this payload (an object, say, where `'error'` sends a string).
 */
export type TokenStreamEnd = StreamEnding | { readonly error: unknown };

/** The message of the `'error'` ending when none is given. */
const DEFAULT_ERROR = 'upstream model timed out';

/**
 * The events of a stream in the default `{"token"}` wire format (`docs/wire-formats.md` §1), one
 * string per event: each token JSON-encoded as `data: {"token":"..."}`, then the ending:
 * - `'done'` and `'stop'`: `data: [DONE]` (the format has no finish reason or usage, so `finishReason`
 *   and `usage` are ignored: the `finish` part always says `stop`);
 * - `'error'`: `data: {"error":"<message>"}` (default message `"upstream model timed out"`), so
 *   `ServerStreamError.payload` is the message; `{ error: payload }`: `data: {"error":<payload>}`;
 * - `'cut'`: nothing (the stream is cut off).
 *
 * The format carries text only: a {@link StreamItem} that is not a string (reasoning, a tool call
 * or result) throws a `TypeError` rather than be dropped silently.
 *
 * @param tokens - The answer's text deltas, in order.
 * @param end - How the stream ends. @defaultValue `'done'`
 * @throws {TypeError} for an item that is not a string, or an unknown ending.
 *
 * @example
 * ```ts
 * tokenEvents(['Hel', 'lo']);
 * // ['data: {"token":"Hel"}\n\n', 'data: {"token":"lo"}\n\n', 'data: [DONE]\n\n']
 * tokenEvents(['Hel'], { type: 'error', message: 'model crashed' });
 * // ['data: {"token":"Hel"}\n\n', 'data: {"error":"model crashed"}\n\n']
 * ```
 */
export function tokenEvents(tokens: Iterable<StreamItem>, end: TokenStreamEnd = 'done'): string[] {
  const events: string[] = [];
  for (const token of tokens) {
    if (typeof token !== 'string') throw unsupportedItem('{"token"}', token);
    events.push(jsonEvent({ token }));
  }
  if (typeof end === 'object' && 'error' in end) {
    events.push(jsonEvent({ error: end.error }));
    return events;
  }
  const ending = toEnding(end);
  if (ending.type === 'done' || ending.type === 'stop') events.push('data: [DONE]\n\n');
  else if (ending.type === 'error') events.push(jsonEvent({ error: ending.message ?? DEFAULT_ERROR }));
  return events;
}
