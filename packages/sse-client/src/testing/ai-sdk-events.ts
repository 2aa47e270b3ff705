import { jsonEvent } from './format.js';
import { toEnding, type StreamEnding } from './stream-ending.js';

/**
 * The events of an AI SDK UI message stream (v1, `docs/wire-formats.md` §5), for
 * `aiSdkUIMessageProtocol`: data-only events `start`, `start-step`, `text-start`, one
 * `text-delta` per token, then the ending:
 * - `'done'`: `text-end`, `finish-step`, `finish` with `finishReason` (default `"stop"`; `usage`,
 *   when given, goes in its `messageMetadata`, which the protocol does not read, so the chat
 *   store's `finish.usage` stays undefined), then `data: [DONE]`;
 * - `'stop'`: the same with `finishReason` `"length"` by default;
 * - `'error'`: `{"type":"error","errorText":...}` (default `"An error occurred."`, what the AI SDK
 *   sends by default) then `data: [DONE]`: `ServerStreamError.payload` is the whole part;
 * - `'cut'`: nothing more (no `[DONE]`).
 *
 * Serve it with the header `x-vercel-ai-ui-message-stream: v1` for realism (the protocol does not check it).
 *
 * @param tokens - The answer's text deltas, in order.
 * @param ending - See {@link StreamEnding}. @defaultValue `'done'`
 * @returns One string per event, for `sseResponse` or a controlled response's `write`.
 *
 * @example
 * ```ts
 * const response = sseResponse(aiSdkUIMessageEvents(['Hel', 'lo']), { headers: { 'x-vercel-ai-ui-message-stream': 'v1' } });
 * ```
 */
export function aiSdkUIMessageEvents(tokens: Iterable<string>, ending: StreamEnding = 'done'): string[] {
  const end = toEnding(ending);
  const events = [jsonEvent({ type: 'start', messageId: 'msg-test' }), jsonEvent({ type: 'start-step' })];
  events.push(jsonEvent({ type: 'text-start', id: 'txt-0' }));
  for (const delta of tokens) events.push(jsonEvent({ type: 'text-delta', id: 'txt-0', delta }));
  switch (end.type) {
    case 'done':
    case 'stop': {
      events.push(jsonEvent({ type: 'text-end', id: 'txt-0' }), jsonEvent({ type: 'finish-step' }));
      const finishReason = end.finishReason ?? (end.type === 'done' ? 'stop' : 'length');
      const metadata = end.usage === undefined ? {} : { messageMetadata: { usage: end.usage } };
      events.push(jsonEvent({ type: 'finish', finishReason, ...metadata }), 'data: [DONE]\n\n');
      break;
    }
    case 'error':
      events.push(jsonEvent({ type: 'error', errorText: end.message ?? 'An error occurred.' }), 'data: [DONE]\n\n');
      break;
    case 'cut':
      break;
  }
  return events;
}
