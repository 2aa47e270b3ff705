import { jsonEvent } from './format.js';
import { toEnding, type StreamEnding } from './stream-ending.js';

/**
 * The events of an OpenAI Responses stream (`docs/wire-formats.md` §3), for
 * `openAIResponsesProtocol`. Every event has an `event:` line repeating its `type` and a
 * `sequence_number`: `response.created`, `response.in_progress`, `response.output_item.added`,
 * `response.content_part.added`, one `response.output_text.delta` per token, then the ending:
 * - `'done'`: `response.output_text.done`, `response.content_part.done`, `response.output_item.done`
 *   and `response.completed` whose `response.status` is `finishReason` (default `"completed"`) and
 *   `response.usage` is `usage` (default `null`). The chat store's `finish` is `{ finishReason, usage }`;
 * - `'stop'`: the same but `response.incomplete` with `incomplete_details.reason` `finishReason`
 *   (default `"max_output_tokens"`): `finish.finishReason` is that reason;
 * - `'error'`: `response.failed` with `response.error` `{ code: 'server_error', message }`
 *   (default message `"The model failed to generate a response."`): `ServerStreamError.payload` is that object;
 * - `'cut'`: nothing more (no `response.completed`).
 *
 * @param tokens - The answer's text deltas, in order.
 * @param ending - See {@link StreamEnding}. @defaultValue `'done'`
 * @returns One string per event, for `sseResponse` or a controlled response's `write`.
 *
 * @example
 * ```ts
 * const fetch = createFakeFetch(() => sseResponse(openAIResponsesEvents(['Hel', 'lo'], 'stop')));
 * const store = createChatStore({ url: '/v1/responses', protocol: openAIResponsesProtocol, fetch });
 * await store.send('Hi'); // finish.finishReason === 'max_output_tokens'
 * ```
 */
export function openAIResponsesEvents(tokens: Iterable<string>, ending: StreamEnding = 'done'): string[] {
  const end = toEnding(ending);
  const events: string[] = [];
  const add = (type: string, fields: Record<string, unknown>): void => {
    events.push(jsonEvent({ type, sequence_number: events.length, ...fields }, type));
  };
  const response = (status: string, fields: Record<string, unknown> = {}) => ({
    id: 'resp_test',
    object: 'response',
    created_at: 1_700_000_000,
    status,
    error: null,
    incomplete_details: null,
    model: 'gpt-4.1-mini',
    output: [],
    usage: null,
    ...fields,
  });
  add('response.created', { response: response('in_progress') });
  add('response.in_progress', { response: response('in_progress') });
  const message = { id: 'msg_test', type: 'message', status: 'in_progress', content: [], role: 'assistant' };
  add('response.output_item.added', { output_index: 0, item: message });
  const part = { item_id: 'msg_test', output_index: 0, content_index: 0 };
  add('response.content_part.added', { ...part, part: { type: 'output_text', annotations: [], text: '' } });
  let text = '';
  for (const delta of tokens) {
    text += delta;
    add('response.output_text.delta', { ...part, delta });
  }
  switch (end.type) {
    case 'done':
    case 'stop': {
      add('response.output_text.done', { ...part, text });
      add('response.content_part.done', { ...part, part: { type: 'output_text', annotations: [], text } });
      add('response.output_item.done', { output_index: 0, item: { ...message, status: 'completed' } });
      const usage = end.usage ?? null;
      if (end.type === 'done') add('response.completed', { response: response(end.finishReason ?? 'completed', { usage }) });
      else {
        const incomplete_details = { reason: end.finishReason ?? 'max_output_tokens' };
        add('response.incomplete', { response: response('incomplete', { incomplete_details, usage }) });
      }
      break;
    }
    case 'error': {
      const error = { code: 'server_error', message: end.message ?? 'The model failed to generate a response.' };
      add('response.failed', { response: response('failed', { error }) });
      break;
    }
    case 'cut':
      break;
  }
  return events;
}
