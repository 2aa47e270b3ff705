/**
 * One event dispatched from a `text/event-stream`, with the field names that the DOM's
 * `MessageEvent` uses.
 *
 * Follows WHATWG HTML, "Server-sent events" § "Interpreting an event stream"
 * (dispatch rules 16–20 of `docs/event-stream-parsing.md`).
 *
 * @example
 * ```ts
 * // data: {"token":"Hel"}\n\n  becomes
 * const event: ServerSentEvent = { type: 'message', data: '{"token":"Hel"}', lastEventId: '' };
 * ```
 */
export interface ServerSentEvent {
  /** The `event` field's value, or `"message"` when the event had no (or an empty) `event` field. */
  readonly type: string;
  /**
   * The values of the event's `data` lines joined with `"\n"` (no trailing newline). May be `""`
   * (a bare `data` line); an event with no `data` line at all is never dispatched (rule 17).
   */
  readonly data: string;
  /**
   * The stream's last event ID when this event was dispatched: the most recent `id` field seen on
   * the stream, in this event or an earlier one. `""` when no `id` was ever sent (or it was reset with an empty `id`).
   */
  readonly lastEventId: string;
}
