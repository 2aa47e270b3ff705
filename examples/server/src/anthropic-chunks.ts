/**
 * Anthropic's Messages stream events (`docs/wire-formats.md` §4) as OpenAI `chat.completion.chunk`
 * objects (§2), so a relay to Claude answers `/v1/chat/completions` like OpenAI would.
 *
 * @module
 */
import type { RawMessageStreamEvent, StopReason } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';

/** OpenAI's `finish_reason` for each of Anthropic's `stop_reason`s (`pause_turn` and others: `stop`). */
const FINISH_REASONS: Partial<Record<StopReason, ChatCompletionChunk.Choice['finish_reason']>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/** The delta of one chunk, with the `reasoning_content` field that OpenAI-compatible servers add for reasoning. */
type Delta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string };

/**
 * Returns a function that maps each event of one Anthropic stream, in order, to the OpenAI chunks
 * that say the same (none for most):
 *
 * | Anthropic event | OpenAI chunk |
 * | --- | --- |
 * | `message_start` | a role chunk, `{"role": "assistant", "content": ""}`, with the message's `id` and `model` |
 * | `text_delta` (and a `text` block that starts with text) | `delta.content` |
 * | `thinking_delta` (and a `thinking` block that starts with text) | `delta.reasoning_content` (as DeepSeek and vLLM send it) |
 * | `content_block_start` of a `tool_use` block | `delta.tool_calls[{index, id, type: "function", function: {name, arguments: ""}}]`, `index` counting the message's tool calls from 0 |
 * | `input_json_delta` | `delta.tool_calls[{index, function: {arguments: partial_json}}]` |
 * | `message_delta` with a `stop_reason` | the finish chunk (`end_turn` → `stop`, `max_tokens` → `length`, `tool_use` → `tool_calls`, `refusal` → `content_filter`), then, when `includeUsage`, the usage chunk (empty `choices`) |
 * | `signature_delta`, `citations_delta`, `content_block_stop`, `message_stop`, other blocks | nothing |
 *
 * `created` is the time of the first event, in seconds. Anthropic's `event: error` never reaches
 * it: the SDK throws it as an `APIError`.
 */
export function anthropicToOpenAIChunks(options: { includeUsage: boolean }): (event: RawMessageStreamEvent) => ChatCompletionChunk[] {
  let base = { id: '', object: 'chat.completion.chunk' as const, created: Math.floor(Date.now() / 1000), model: '' };
  let inputTokens = 0;
  /** The OpenAI `tool_calls` index of each tool block, by Anthropic content block index. */
  const toolIndexes = new Map<number, number>();
  const chunk = (delta: Delta, finishReason: ChatCompletionChunk.Choice['finish_reason'] = null): ChatCompletionChunk => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });

  return (event) => {
    switch (event.type) {
      case 'message_start':
        base = { ...base, id: event.message.id, model: event.message.model };
        inputTokens = event.message.usage.input_tokens;
        return [chunk({ role: 'assistant', content: '' })];
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text' && block.text !== '') return [chunk({ content: block.text })];
        if (block.type === 'thinking' && block.thinking !== '') return [chunk({ reasoning_content: block.thinking })];
        if (block.type !== 'tool_use') return [];
        const index = toolIndexes.size;
        toolIndexes.set(event.index, index);
        return [chunk({ tool_calls: [{ index, id: block.id, type: 'function', function: { name: block.name, arguments: '' } }] })];
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta') return [chunk({ content: delta.text })];
        if (delta.type === 'thinking_delta') return [chunk({ reasoning_content: delta.thinking })];
        const index = toolIndexes.get(event.index);
        if (delta.type !== 'input_json_delta' || index === undefined) return [];
        return [chunk({ tool_calls: [{ index, function: { arguments: delta.partial_json } }] })];
      }
      case 'message_delta': {
        if (event.delta.stop_reason === null) return [];
        const finish = chunk({}, FINISH_REASONS[event.delta.stop_reason] ?? 'stop');
        if (!options.includeUsage) return [finish];
        const outputTokens = event.usage.output_tokens;
        const usage = { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens };
        return [finish, { ...base, choices: [], usage }];
      }
      default:
        return [];
    }
  };
}
