import { finishPart, normalizeFinishReason, openAIUsage } from './finish.js';
import { errorMessage, isRecord, plainTextErrorPart } from './shared.js';
import { createToolCallAssembler, type ToolCallAssembler } from './tool-calls.js';
import type { StreamPart, StreamProtocol } from './types.js';

/** A string field of a delta: `undefined` when missing or `null`; a `SyntaxError` for anything else. */
function textField(delta: Readonly<Record<string, unknown>>, field: string): string | undefined {
  const value = delta[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SyntaxError(`Expected choices[0].delta.${field} to be a string or null`);
  return value;
}

/** The argument text of one `tool_calls` entry's `function.arguments` (see the mapping below). */
function argumentsText(fn: Readonly<Record<string, unknown>>): string | undefined {
  const value = fn.arguments;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  // A few compatible servers send the whole arguments as an object, in one chunk.
  if (isRecord(value)) return JSON.stringify(value);
  throw new SyntaxError('Expected choices[0].delta.tool_calls[].function.arguments to be a string');
}

/** The tool calls of one stream, by their `index` in `delta.tool_calls`. */
function createChatToolCalls(calls: ToolCallAssembler) {
  // The call id of each index; `null` for an index whose call is not a function call (custom tools).
  const idByIndex = new Map<number, string | null>();
  return (toolCalls: unknown, parts: StreamPart[]): void => {
    if (toolCalls === undefined || toolCalls === null) return;
    if (!Array.isArray(toolCalls)) throw new SyntaxError('Expected choices[0].delta.tool_calls to be an array');
    toolCalls.forEach((toolCall: unknown, position) => {
      if (!isRecord(toolCall)) throw new SyntaxError('Expected each of choices[0].delta.tool_calls to be an object');
      const index = typeof toolCall.index === 'number' ? toolCall.index : position;
      const fn = isRecord(toolCall.function) ? toolCall.function : {};
      let toolCallId = idByIndex.get(index);
      if (toolCallId === null) return;
      if (toolCallId === undefined) {
        if (toolCall.type !== undefined && toolCall.type !== null && toolCall.type !== 'function') {
          idByIndex.set(index, null);
          return;
        }
        toolCallId = typeof toolCall.id === 'string' && toolCall.id !== '' ? toolCall.id : `call_${index}`;
        idByIndex.set(index, toolCallId);
        const start = calls.start(toolCallId, typeof fn.name === 'string' ? fn.name : '');
        if (start !== undefined) parts.push(start);
      }
      const text = argumentsText(fn);
      const delta = text === undefined ? undefined : calls.delta(toolCallId, text);
      if (delta !== undefined) parts.push(delta);
    });
  };
}

/**
 * OpenAI Chat Completions streaming (`POST /v1/chat/completions` with `"stream": true`,
 * `docs/wire-formats.md` §2), also spoken by Ollama, vLLM, llama.cpp server, LM Studio,
 * OpenRouter, DeepSeek, Groq, Together and other OpenAI-compatible servers.
 *
 * Only the choice whose `index` is 0 is read (a choice without an `index` counts as 0); with
 * `n > 1` the other choices are ignored. Of its `delta`, in this order within one chunk:
 * - **Reasoning**: `delta.reasoning_content` (DeepSeek, vLLM, Qwen, LM Studio), else
 *   `delta.reasoning` (OpenRouter, Ollama, Groq, newer vLLM): a `reasoning-delta` part. Only one
 *   of the two is read per chunk, as servers that send both repeat the same text in them (as the
 *   AI SDK's OpenAI-compatible provider does). A `delta.reasoning` that is not a string is ignored.
 * - **Text**: `delta.content`: a `text-delta` part.
 * - **Refusal**: `delta.refusal` (the model declined, structured outputs): a `refusal-delta` part.
 * - **Tool calls**: `delta.tool_calls[]`, each entry keyed by its `index` (its position in the
 *   array when it has none), so several calls may stream in parallel, interleaved. The first entry
 *   of an index begins the call: `tool-input-start` with `toolCallId` its `id` (`call_<index>`
 *   when the server sent none) and `toolName` its `function.name`. Every `function.arguments`
 *   piece (the first entry's included) is a `tool-input-delta` with the partial input parsed so
 *   far; a server that sends the whole arguments as an object gives one delta of its JSON. Later
 *   `id`s and names of an index are ignored, as `openai-node`'s `ChatCompletionStream` keeps the
 *   first. An entry whose `type` is not `"function"` (a custom tool's free-form input) begins no
 *   call, and its index is ignored. Every open call ends (`tool-call`, its input parsed, or marked `invalid` with the text
 *   and the parse error when its arguments are not valid JSON, e.g. cut by the token limit) when
 *   choice 0 gets its `finish_reason`, or at `[DONE]` at the latest.
 *
 * Empty and `null` fields add nothing. `delta.role`, `delta.audio`, `logprobs`, the deprecated
 * `delta.function_call` and custom (free-form) tool calls are not read.
 *
 * - **Terminator**: `data: [DONE]`, and only it. It gives the calls still open, then the
 *   `finish` part, with
 *   - `finishReason`: the `finish_reason` of choice 0, remembered from the late chunk that carries
 *     it, normalised (`stop` → `stop`, `length` → `length`, `content_filter` → `content-filter`,
 *     `tool_calls` and `function_call` → `tool-calls`, anything else → `other`; `stop` when the
 *     server sent none), and that value as `rawFinishReason`;
 *   - `usage`: the last `usage` object seen (the usage chunk, with empty `choices`, sent when the
 *     request asks for `stream_options: { include_usage: true }`; some servers put it on other
 *     chunks), normalised: `prompt_tokens` → `inputTokens`, `completion_tokens` → `outputTokens`,
 *     `total_tokens` → `totalTokens`, `completion_tokens_details.reasoning_tokens` →
 *     `reasoningTokens`, `prompt_tokens_details.cached_tokens` → `cachedInputTokens`; the object as
 *     sent is `rawUsage`. Both absent when the server sent none.
 *
 *   `"length"` (the token limit) is an early stop, not an error: the stream still ends with `[DONE]`.
 * - **A stream that ends without `[DONE]`** is an `IncompleteStreamError` (its `text` kept), even
 *   after a chunk with a `finish_reason`. OpenAI always sends `[DONE]`, after the usage chunk, so a
 *   stream without it was cut off (by a proxy, a timeout or a crash), and its usage may be missing.
 *   A compatible server that closes the stream after the `finish_reason` chunk without `[DONE]` is
 *   therefore reported as incomplete.
 * - **Errors**: a chunk with an `error` member (`data: {"error":{"message":"...","type":"...","code":...}}`;
 *   OpenRouter sends it beside `choices`), or any event of type `error` (`event: error`), is a
 *   mid-stream error: the `message` is `error.message` (or `error` itself when it is a string), the
 *   `payload` is the `error` value (for an `event: error` without an `error` member, the whole data).
 *   An `event: error` whose data is not a JSON object (plain text, as Hono's `streamSSE` error
 *   handler writes: `data: upstream model timed out`) is a mid-stream error too: the `message` is
 *   the text (trimmed, at most 1,024 characters), the `payload` the data as sent.
 * - **Ignored**: events of another type than `message` or `error`, and JSON data that is not an
 *   object with `choices` or `error`. Each stream gets a fresh decoder, so no state leaks between streams.
 *
 * @throws {SyntaxError} (turned into a `ProtocolError` by the client) for `message` data that is
 *   not JSON (other than `[DONE]`), a `delta.content`, `delta.reasoning_content` or
 *   `delta.refusal` that is neither a string nor `null`, a `delta.tool_calls`
 *   that is not an array of objects, or `function.arguments` that is not a string (or an object).
 *
 * @example
 * ```ts
 * const stream = streamTokens('https://api.openai.com/v1/chat/completions', {
 *   protocol: openAIChatProtocol,
 *   headers: { authorization: `Bearer ${key}` },
 *   body: { model, messages, stream: true, stream_options: { include_usage: true } },
 * });
 * for await (const token of stream) output.append(token);
 * ```
 *
 * @example Reasoning and tool calls, with `streamParts`:
 * ```ts
 * const { text, reasoning, toolCalls, finish } = await streamParts('https://api.deepseek.com/chat/completions', {
 *   protocol: openAIChatProtocol,
 *   headers: { authorization: `Bearer ${key}` },
 *   body: { model: 'deepseek-reasoner', messages, tools, stream: true },
 * }).result;
 * if (finish.finishReason === 'tool-calls') for (const call of toolCalls) run(call.toolName, call.input);
 * ```
 */
export const openAIChatProtocol: StreamProtocol = {
  name: 'openai-chat',
  createDecoder: () => {
    let finishReason: string | undefined;
    let usage: Readonly<Record<string, unknown>> | undefined;
    const calls = createToolCallAssembler();
    const toolCallParts = createChatToolCalls(calls);
    return (event) => {
      if (event.type !== 'message' && event.type !== 'error') return undefined;
      const textError = plainTextErrorPart(event);
      if (textError !== undefined) return textError;
      if (event.type === 'message' && event.data === '[DONE]') {
        return [...calls.endAll(), finishPart(normalizeFinishReason(finishReason, 'stop'), finishReason, usage, openAIUsage)];
      }
      const chunk = JSON.parse(event.data) as unknown;
      const error = isRecord(chunk) && chunk.error !== undefined && chunk.error !== null ? chunk.error : undefined;
      if (error !== undefined || event.type === 'error') {
        const payload = error ?? chunk;
        return { type: 'error', message: errorMessage(payload), payload };
      }
      if (!isRecord(chunk)) return undefined;
      if (isRecord(chunk.usage)) usage = chunk.usage;
      const choices: unknown[] = Array.isArray(chunk.choices) ? chunk.choices : [];
      const choice = choices.find((candidate) => isRecord(candidate) && (candidate.index ?? 0) === 0);
      if (!isRecord(choice)) return undefined;
      const parts: StreamPart[] = [];
      if (isRecord(choice.delta)) {
        const delta = choice.delta;
        const reasoning = textField(delta, 'reasoning_content') || (typeof delta.reasoning === 'string' ? delta.reasoning : '');
        if (reasoning) parts.push({ type: 'reasoning-delta', delta: reasoning });
        const content = textField(delta, 'content');
        if (content) parts.push({ type: 'text-delta', delta: content });
        const refusal = textField(delta, 'refusal');
        if (refusal) parts.push({ type: 'refusal-delta', delta: refusal });
        toolCallParts(delta.tool_calls, parts);
      }
      if (typeof choice.finish_reason === 'string') {
        finishReason = choice.finish_reason;
        parts.push(...calls.endAll());
      }
      return parts;
    };
  },
};
