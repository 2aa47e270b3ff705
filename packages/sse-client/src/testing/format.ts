/** The fields of one event to write to a `text/event-stream`. */
export interface EventInit {
  /** The event's data. Each line of it (split at CR, LF or CRLF) becomes one `data:` line. */
  readonly data: string;
  /** The `event` field (the event type); omitted when undefined. */
  readonly event?: string | undefined;
  /** The `id` field; omitted when undefined. */
  readonly id?: string | undefined;
  /** The `retry` field, in milliseconds; omitted when undefined. */
  readonly retry?: number | undefined;
  /** A comment line written before the fields (`: comment`). */
  readonly comment?: string | undefined;
}

/**
 * Serialises one event as `text/event-stream` text, ending with the blank line that dispatches it.
 *
 * @example
 * ```ts
 * formatEvent({ event: 'greeting', data: 'hello\nworld' });
 * // 'event: greeting\ndata: hello\ndata: world\n\n'
 * ```
 */
export function formatEvent(event: EventInit): string {
  let text = '';
  if (event.comment !== undefined) text += `: ${event.comment}\n`;
  if (event.event !== undefined) text += `event: ${event.event}\n`;
  if (event.id !== undefined) text += `id: ${event.id}\n`;
  if (event.retry !== undefined) text += `retry: ${event.retry}\n`;
  for (const line of event.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/** How a stream of the default wire format ends. */
export type TokenStreamEnd =
  /** `data: [DONE]`: success. */
  | 'done'
  /** Nothing: the stream is cut off (an incomplete stream). */
  | 'none'
  /** `data: {"error": ...}`: a mid-stream error with this payload. */
  | { readonly error: unknown };

/**
 * The events of a stream in the default `{"token"}` wire format (`spec/wire-formats.md` §1), one
 * string per event: each token JSON-encoded as `data: {"token": "..."}`, then the end.
 *
 * @param end - How the stream ends. @defaultValue `'done'`
 *
 * @example
 * ```ts
 * tokenEvents(['Hel', 'lo']);
 * // ['data: {"token":"Hel"}\n\n', 'data: {"token":"lo"}\n\n', 'data: [DONE]\n\n']
 * ```
 */
export function tokenEvents(tokens: Iterable<string>, end: TokenStreamEnd = 'done'): string[] {
  const events: string[] = [];
  for (const token of tokens) events.push(formatEvent({ data: JSON.stringify({ token }) }));
  if (end === 'done') events.push(formatEvent({ data: '[DONE]' }));
  else if (end !== 'none') events.push(formatEvent({ data: JSON.stringify({ error: end.error }) }));
  return events;
}
