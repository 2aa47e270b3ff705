import { jsonEvent } from './format.js';
import { toEnding, type StreamEnding } from './stream-ending.js';
import { toolCallItem, unsupportedItem, type StreamItem } from './stream-items.js';

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
 * DeepSeek, OpenRouter…), for `openAIChatProtocol`: a role chunk (`delta.role`, empty content),
 * then one chunk per item:
 * - a string: `choices[0].delta.content`;
 * - `{ type: 'reasoning', text }`: `choices[0].delta.reasoning_content` (DeepSeek's and vLLM's field);
 * - `{ type: 'tool-call', … }`: a first chunk `delta.tool_calls: [{ index, id, type: "function",
 *   function: { name, arguments: "" } }]`, then one chunk `delta.tool_calls: [{ index, function:
 *   { arguments } }]` per piece of the argument text. `index` counts the reply's tool calls from 0.
 *
 * Then the ending:
 * - `'done'`: a chunk with `finish_reason` (default `"stop"`, or `"tool_calls"` when the reply has
 *   tool calls), the usage chunk (`"choices":[]`) when `usage` is given, and `data: [DONE]`. The
 *   chat store's `finish` has that `finish_reason` as `rawFinishReason`, normalised as
 *   `finishReason`, and `usage` normalised (with `rawUsage` as given; none when not given);
 * - `'stop'`: the same with `finish_reason` `"length"` by default (the token limit);
 * - `'error'`: `data: {"error":{"message":...,"type":"server_error","param":null,"code":null}}`
 *   (default message `"The server had an error while processing your request."`):
 *   `ServerStreamError.payload` is the `error` object;
 * - `'cut'`: nothing more (no `[DONE]`).
 *
 * @param items - The reply, in order: text deltas, reasoning and tool calls (see {@link StreamItem}).
 * @param ending - See {@link StreamEnding}. @defaultValue `'done'`
 * @returns One string per event, for `sseResponse` or a controlled response's `write`.
 * @throws {TypeError} for a `tool-result` item (the format carries no tool results), or an unknown ending.
 *
 * @example
 * ```ts
 * const fetch = createFakeFetch(() => sseResponse(openAIChatEvents(['Hel', 'lo'], { type: 'done', usage: { total_tokens: 5 } })));
 * await streamTokens('/v1/chat/completions', { protocol: openAIChatProtocol, fetch }).text; // "Hello"
 * ```
 *
 * @example Reasoning, then a tool call whose arguments are cut by the token limit:
 * ```ts
 * openAIChatEvents(
 *   [
 *     { type: 'reasoning', text: 'Weather, so a tool.' },
 *     { type: 'tool-call', toolName: 'get_weather', inputDeltas: ['{"city":', '"Par'] },
 *   ],
 *   'stop',
 * ); // the call is reported invalid (its text is not JSON), and the finish is "length"
 * ```
 */
export function openAIChatEvents(items: Iterable<StreamItem>, ending: StreamEnding = 'done'): string[] {
  const end = toEnding(ending);
  const events = [chunk([choice({ role: 'assistant', content: '' })])];
  let toolCalls = 0;
  for (const item of items) {
    if (typeof item === 'string') {
      events.push(chunk([choice({ content: item })]));
    } else if (item.type === 'reasoning') {
      events.push(chunk([choice({ reasoning_content: item.text })]));
    } else if (item.type === 'tool-call') {
      const index = toolCalls;
      const { toolCallId, toolName, inputDeltas } = toolCallItem(item, toolCalls++);
      const start = { index, id: toolCallId, type: 'function', function: { name: toolName, arguments: '' } };
      events.push(chunk([choice({ tool_calls: [start] })]));
      for (const piece of inputDeltas) events.push(chunk([choice({ tool_calls: [{ index, function: { arguments: piece } }] })]));
    } else {
      throw unsupportedItem('OpenAI Chat Completions', item);
    }
  }
  switch (end.type) {
    case 'done':
    case 'stop': {
      const finishReason = end.finishReason ?? (end.type === 'stop' ? 'length' : toolCalls > 0 ? 'tool_calls' : 'stop');
      events.push(chunk([choice({}, finishReason)]));
      if (end.usage !== undefined) events.push(chunk([], { usage: end.usage }));
      events.push('data: [DONE]\n\n');
      break;
    }
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
