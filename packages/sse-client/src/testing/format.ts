/** The fields of one event to write to a `text/event-stream` (a `ServerSentEvent`-like object). */
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

/**
 * One data-only event whose data is `value` as JSON: `data: {...}\n\n`.
 *
 * @example
 * ```ts
 * jsonEvent({ token: 'Hi' }); // 'data: {"token":"Hi"}\n\n'
 * jsonEvent({ type: 'ping' }, 'ping'); // 'event: ping\ndata: {"type":"ping"}\n\n'
 * ```
 */
export function jsonEvent(value: unknown, event?: string): string {
  return formatEvent({ event, data: JSON.stringify(value) });
}
