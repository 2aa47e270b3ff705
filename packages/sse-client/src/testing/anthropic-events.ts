import { jsonEvent } from './format.js';
import { toEnding, type StreamEnding } from './stream-ending.js';

/**
 * The events of an Anthropic Messages stream (`docs/wire-formats.md` §4), for
 * `anthropicProtocol`. Every event has an `event:` line repeating its `type`: `message_start`,
 * `content_block_start` (a text block), a `ping`, one `content_block_delta` (`text_delta`) per
 * token, then the ending:
 * - `'done'`: `content_block_stop`, `message_delta` with `stop_reason` `finishReason` (default
 *   `"end_turn"`), `message_stop`. Usage: `message_start` carries `usage` when given, and
 *   `message_delta` its `output_tokens`, so the chat store's `finish.usage` equals `usage`; by
 *   default `message_start` says `{ input_tokens: 0, output_tokens: 0 }` and `message_delta`
 *   `{ output_tokens: <number of tokens> }`, so `finish.usage` is `{ input_tokens: 0, output_tokens: n }`;
 * - `'stop'`: the same with `stop_reason` `"max_tokens"` by default;
 * - `'error'`: `event: error` with `{"type":"error","error":{"type":"overloaded_error","message":...}}`
 *   (default message `"Overloaded"`): `ServerStreamError.payload` is the inner `error` object;
 * - `'cut'`: nothing more (no `message_stop`).
 *
 * @param tokens - The answer's text deltas, in order.
 * @param ending - See {@link StreamEnding}. @defaultValue `'done'`
 * @returns One string per event, for `sseResponse` or a controlled response's `write`.
 *
 * @example
 * ```ts
 * const fetch = createFakeFetch(() => sseResponse(anthropicEvents(['Bon', 'jour'], { type: 'error' })));
 * await streamTokens('/v1/messages', { protocol: anthropicProtocol, fetch }).text; // rejects: ServerStreamError, text "Bonjour"
 * ```
 */
export function anthropicEvents(tokens: Iterable<string>, ending: StreamEnding = 'done'): string[] {
  const end = toEnding(ending);
  const events: string[] = [];
  const add = (type: string, fields: Record<string, unknown> = {}): void => {
    events.push(jsonEvent({ type, ...fields }, type));
  };
  const list = [...tokens];
  const usage = end.usage;
  add('message_start', {
    message: {
      id: 'msg_test',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usage ?? { input_tokens: 0, output_tokens: 0 },
    },
  });
  add('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  add('ping');
  for (const text of list) add('content_block_delta', { index: 0, delta: { type: 'text_delta', text } });
  switch (end.type) {
    case 'done':
    case 'stop': {
      add('content_block_stop', { index: 0 });
      const outputTokens = usage === undefined ? list.length : usage.output_tokens;
      add('message_delta', {
        delta: { stop_reason: end.finishReason ?? (end.type === 'done' ? 'end_turn' : 'max_tokens'), stop_sequence: null },
        ...(outputTokens === undefined ? {} : { usage: { output_tokens: outputTokens } }),
      });
      add('message_stop');
      break;
    }
    case 'error':
      add('error', { error: { type: 'overloaded_error', message: end.message ?? 'Overloaded' } });
      break;
    case 'cut':
      break;
  }
  return events;
}
