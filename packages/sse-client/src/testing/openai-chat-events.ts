import { jsonEvent } from './format.js';
import { toEnding, type StreamEnding } from './stream-ending.js';

function chunk(choices: readonly unknown[], extra: Record<string, unknown> = {}): string {
  return jsonEvent({
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'gpt-4o-mini',
    choices,
    ...extra,
  });
}

function choice(delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> {
  return { index: 0, delta, logprobs: null, finish_reason: finishReason };
}

/**
 * The events of an OpenAI Chat Completions stream (`docs/wire-formats.md` §2; also Ollama, vLLM,
 * OpenRouter…), for `openAIChatProtocol`: a role chunk (`delta.role`, empty content), one
 * `choices[0].delta.content` chunk per token, then the ending:
 * - `'done'`: a chunk with `finish_reason` (default `"stop"`), the usage chunk (`"choices":[]`)
 *   when `usage` is given, and `data: [DONE]`. The chat store's `finish` is
 *   `{ finishReason, usage }` (`usage` undefined when not given);
 * - `'stop'`: the same with `finish_reason` `"length"` by default (the token limit);
 * - `'error'`: `data: {"error":{"message":...,"type":"server_error","param":null,"code":null}}`
 *   (default message `"The server had an error while processing your request."`):
 *   `ServerStreamError.payload` is the `error` object;
 * - `'cut'`: nothing more (no `[DONE]`).
 *
 * @param tokens - The answer's text deltas, in order.
 * @param ending - See {@link StreamEnding}. @defaultValue `'done'`
 * @returns One string per event, for `sseResponse` or a controlled response's `write`.
 *
 * @example
 * ```ts
 * const fetch = createFakeFetch(() => sseResponse(openAIChatEvents(['Hel', 'lo'], { type: 'done', usage: { total_tokens: 5 } })));
 * await streamTokens('/v1/chat/completions', { protocol: openAIChatProtocol, fetch }).text; // "Hello"
 * ```
 */
export function openAIChatEvents(tokens: Iterable<string>, ending: StreamEnding = 'done'): string[] {
  const end = toEnding(ending);
  const events = [chunk([choice({ role: 'assistant', content: '' })])];
  for (const token of tokens) events.push(chunk([choice({ content: token })]));
  switch (end.type) {
    case 'done':
    case 'stop':
      events.push(chunk([choice({}, end.finishReason ?? (end.type === 'done' ? 'stop' : 'length'))]));
      if (end.usage !== undefined) events.push(chunk([], { usage: end.usage }));
      events.push('data: [DONE]\n\n');
      break;
    case 'error':
      events.push(
        jsonEvent({
          error: {
            message: end.message ?? 'The server had an error while processing your request.',
            type: 'server_error',
            param: null,
            code: null,
          },
        }),
      );
      break;
    case 'cut':
      break;
  }
  return events;
}
