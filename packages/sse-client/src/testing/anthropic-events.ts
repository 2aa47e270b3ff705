import { jsonEvent } from './format.js';
import { toEnding, type StreamEnding } from './stream-ending.js';
import { toolCallItem, unsupportedItem, type StreamItem } from './stream-items.js';

/**
 * The events of an Anthropic Messages stream (`docs/wire-formats.md` §4), for
 * `anthropicProtocol`. Every event has an `event:` line repeating its `type`: `message_start`,
 * then one content block per run of items (a `ping` after the first block's
 * `content_block_start`, as the API writes it), then the ending. The items
 * ({@link StreamItem}), in order:
 * - strings: one `content_block_delta` (`text_delta`) each, in a `text` block;
 * - `{ type: 'reasoning', text }`: one `thinking_delta` each, in a `thinking` block that ends
 *   with a `signature_delta`;
 * - `{ type: 'tool-call', … }`: a `tool_use` block of its own (`id`, `name`, `input: {}`), an
 *   empty `input_json_delta` then one `input_json_delta` per piece of the argument text;
 * - `{ type: 'tool-result', … }`: a `TypeError` (the API carries only its own tools' results).
 *
 * Without items there is one empty `text` block. The endings:
 * - `'done'`: `content_block_stop` of the last block, `message_delta` with `stop_reason`
 *   `finishReason` (default `"tool_use"` when the last item is a tool call, else `"end_turn"`),
 *   `message_stop`. Usage: `message_start` carries `usage` when given, and `message_delta` its
 *   `output_tokens`, so the `finish` part's `rawUsage` equals `usage`; by default `message_start`
 *   says `{ input_tokens: 0, output_tokens: 0 }` and `message_delta` `{ output_tokens: <number of
 *   items> }`;
 * - `'stop'`: the same with `stop_reason` `"max_tokens"` by default; a last `tool_use` block is
 *   left open (no `content_block_stop`), as the API leaves a block the token limit cut, so
 *   `inputDeltas` can stream arguments cut in the middle;
 * - `'error'`: `event: error` with `{"type":"error","error":{"type":"overloaded_error","message":...}}`
 *   (default message `"Overloaded"`): `ServerStreamError.payload` is the inner `error` object;
 * - `'cut'`: nothing more (no `message_stop`).
 *
 * @param items - The reply, in order: text deltas, reasoning, tool calls.
 * @param ending - See {@link StreamEnding}. @defaultValue `'done'`
 * @returns One string per event, for `sseResponse` or a controlled response's `write`.
 * @throws {TypeError} for a `tool-result` item, or an unknown ending.
 *
 * @example
 * ```ts
 * const fetch = createFakeFetch(() => sseResponse(anthropicEvents(['Bon', 'jour'], { type: 'error' })));
 * await streamTokens('/v1/messages', { protocol: anthropicProtocol, fetch }).text; // rejects: ServerStreamError, text "Bonjour"
 * anthropicEvents([{ type: 'reasoning', text: 'Weather, so a tool.' }, { type: 'tool-call', toolName: 'get_weather', input: { city: 'Paris' } }]);
 * ```
 */
export function anthropicEvents(items: Iterable<StreamItem>, ending: StreamEnding = 'done'): string[] {
  const end = toEnding(ending);
  const events: string[] = [];
  const add = (type: string, fields: Record<string, unknown> = {}): void => {
    events.push(jsonEvent({ type, ...fields }, type));
  };
  const list = [...items];
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

  let index = -1;
  let open: 'text' | 'thinking' | 'tool' | undefined;
  let calls = 0;
  const close = (): void => {
    if (open === 'thinking') add('content_block_delta', { index, delta: { type: 'signature_delta', signature: 'c2lnbmF0dXJl' } });
    if (open !== undefined) add('content_block_stop', { index });
    open = undefined;
  };
  const begin = (kind: 'text' | 'thinking' | 'tool', block: Record<string, unknown>): void => {
    close();
    index += 1;
    add('content_block_start', { index, content_block: block });
    if (index === 0) add('ping');
    open = kind;
  };

  if (list.length === 0) begin('text', { type: 'text', text: '' });
  for (const item of list) {
    if (typeof item === 'string') {
      if (open !== 'text') begin('text', { type: 'text', text: '' });
      add('content_block_delta', { index, delta: { type: 'text_delta', text: item } });
    } else if (item.type === 'reasoning') {
      if (open !== 'thinking') begin('thinking', { type: 'thinking', thinking: '', signature: '' });
      add('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: item.text } });
    } else if (item.type === 'tool-call') {
      const call = toolCallItem(item, calls++);
      begin('tool', { type: 'tool_use', id: call.toolCallId, name: call.toolName, input: {} });
      for (const partial_json of ['', ...call.inputDeltas]) {
        add('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } });
      }
    } else {
      throw unsupportedItem('Anthropic Messages', item);
    }
  }

  switch (end.type) {
    case 'done':
    case 'stop': {
      // The token limit leaves a tool_use block open (the recorded API behaviour).
      if (!(end.type === 'stop' && open === 'tool')) close();
      const last = list.at(-1);
      const usual = typeof last === 'object' && last.type === 'tool-call' ? 'tool_use' : 'end_turn';
      const outputTokens = usage === undefined ? list.length : usage.output_tokens;
      add('message_delta', {
        delta: { stop_reason: end.finishReason ?? (end.type === 'done' ? usual : 'max_tokens'), stop_sequence: null },
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
