import { finishPart, normalizeFinishReason, openAIUsage } from './finish.js';
import { errorMessage, isRecord, plainTextErrorPart } from './shared.js';
import { createToolCallAssembler } from './tool-calls.js';
import type { FinishReason, StreamPart, StreamProtocol } from './types.js';

/** The string `delta` of a delta event; a `SyntaxError` when it is not a string. */
function deltaOf(data: Readonly<Record<string, unknown>>, type: string): string {
  if (typeof data.delta !== 'string') throw new SyntaxError(`Expected a string delta in ${type}`);
  return data.delta;
}

/** The optional string field of a record. */
function stringOf(record: Readonly<Record<string, unknown>>, field: string): string | undefined {
  const value = record[field];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The function calls of one stream. A call is announced by `response.output_item.added` with its
 * `item.call_id` (the id the API wants back with the result) and `item.id` (the id later events
 * name it by, as `item_id`); events without `item_id` name it by `output_index`.
 */
function createFunctionCalls() {
  const calls = createToolCallAssembler();
  const byItem = new Map<string, string>();
  const byOutputIndex = new Map<number, string>();
  const callIdOf = (data: Readonly<Record<string, unknown>>): string | undefined => {
    const itemId = stringOf(data, 'item_id') ?? (isRecord(data.item) ? stringOf(data.item, 'id') : undefined);
    if (itemId !== undefined) return byItem.get(itemId);
    return typeof data.output_index === 'number' ? byOutputIndex.get(data.output_index) : undefined;
  };
  return {
    calls,
    added(data: Readonly<Record<string, unknown>>): StreamPart | undefined {
      const item = data.item;
      if (!isRecord(item) || item.type !== 'function_call') return undefined;
      const itemId = stringOf(item, 'id');
      const toolCallId = stringOf(item, 'call_id') ?? itemId;
      if (toolCallId === undefined) return undefined;
      if (itemId !== undefined) byItem.set(itemId, toolCallId);
      if (typeof data.output_index === 'number') byOutputIndex.set(data.output_index, toolCallId);
      return calls.start(toolCallId, stringOf(item, 'name') ?? '');
    },
    delta(data: Readonly<Record<string, unknown>>, type: string): StreamPart | undefined {
      const toolCallId = callIdOf(data);
      return toolCallId === undefined ? undefined : calls.delta(toolCallId, deltaOf(data, type));
    },
    end(data: Readonly<Record<string, unknown>>, inputText: string | undefined): StreamPart | undefined {
      const toolCallId = callIdOf(data);
      return toolCallId === undefined ? undefined : calls.end(toolCallId, inputText);
    },
  };
}

/**
 * OpenAI Responses streaming (`POST /v1/responses` with `"stream": true`, `docs/wire-formats.md` §3),
 * following the events of the `openai` package's `ResponseStreamEvent`. Each event's kind is read
 * from the `type` field of its data (the `event:` name, which repeats it, is used only when the
 * data has no `type`), so a proxy that drops `event:` lines does no harm.
 *
 * - **Text**: `delta` of `response.output_text.delta`: a `text-delta` part.
 * - **Reasoning**: `delta` of `response.reasoning_summary_text.delta` (the summary OpenAI's
 *   reasoning models stream) and of `response.reasoning_text.delta` (the reasoning itself, from
 *   open-weight models such as gpt-oss): a `reasoning-delta` part.
 * - **Refusal**: `delta` of `response.refusal.delta`: a `refusal-delta` part.
 * - **Function calls**: `response.output_item.added` whose `item.type` is `"function_call"` begins
 *   a call: `tool-input-start` with `toolCallId` its `item.call_id` (the id a function result
 *   must name; `item.id` when absent) and `toolName` its `item.name`. Each
 *   `response.function_call_arguments.delta` (`{ item_id, delta }`) of that item is a
 *   `tool-input-delta` with the partial input parsed so far. `response.function_call_arguments.done`
 *   (`{ item_id, arguments }`) ends it with the whole argument text as sent (a `tool-call` part,
 *   its input parsed, or marked `invalid` with the text and the parse error when it is not valid
 *   JSON); so does `response.output_item.done` (with `item.arguments`) for a call still open, and
 *   the end of the response for any call still open then (e.g. cut by the token limit).
 * - **Sources**: `response.output_text.annotation.added` whose `annotation.type` is
 *   `"url_citation"`: a `source-url` part with its `url` and `title`, `sourceId`
 *   `<item_id>:<content_index>:<annotation_index>`.
 * - **Terminators** (there is no `[DONE]`; anything after a terminator is not read). Each gives the
 *   calls still open first, then:
 *   - `response.completed`: `finish` with `finishReason` `"tool-calls"` when the response made
 *     function calls, else `"stop"`, and `rawFinishReason` the response's `status`
 *     (`"completed"`); a status other than `"completed"` is normalised as a finish reason;
 *   - `response.incomplete`: the model stopped early. It is a stop, not an error: `finish` with
 *     `rawFinishReason` `response.incomplete_details.reason` (`"incomplete"` when absent),
 *     normalised (`max_output_tokens` → `length`, `content_filter` → `content-filter`, else `other`);
 *   - `response.failed`: a mid-stream error with the `message` of `response.error` and `payload`
 *     the `response.error` object (`{ code, message }`), or the whole `response` when it has none;
 *   - `error` (`event: error`, `{"type":"error","code":"...","message":"..."}`): a mid-stream error,
 *     `payload` the whole data object (the message is also read from a nested `error.message`).
 *     An `event: error` whose data is not a JSON object (plain text, as a proxy or Hono's
 *     `streamSSE` error handler writes: `data: upstream model timed out`) is a mid-stream error
 *     too: the `message` is the text (trimmed, at most 1,024 characters), the `payload` the data as sent.
 *
 *   The `finish` part's `usage` is `response.usage`, normalised: `input_tokens` → `inputTokens`,
 *   `output_tokens` → `outputTokens`, `total_tokens` → `totalTokens`,
 *   `output_tokens_details.reasoning_tokens` → `reasoningTokens`,
 *   `input_tokens_details.cached_tokens` → `cachedInputTokens`; the object as sent is `rawUsage`.
 * - A stream that ends before a terminator is an `IncompleteStreamError`, its `text` kept.
 * - **Ignored**: every other event (`response.created`, the `.done` events of text, reasoning and
 *   refusals, whose text repeats the deltas, content parts, built-in tools such as web search,
 *   custom tool input, audio…), and JSON data that is not an object (except in an `event: error`).
 *
 * @throws {SyntaxError} (turned into a `ProtocolError` by the client) for data that is not JSON
 *   (except in an `event: error`), or a text, reasoning, refusal or function call arguments delta
 *   event whose `delta` is not a string.
 *
 * @example
 * ```ts
 * const stream = streamTokens('https://api.openai.com/v1/responses', {
 *   protocol: openAIResponsesProtocol,
 *   headers: { authorization: `Bearer ${key}` },
 *   body: { model, input: 'Tell me a story', stream: true },
 * });
 * for await (const token of stream) output.append(token);
 * ```
 *
 * @example Reasoning summaries and function calls, with `streamParts`:
 * ```ts
 * const stream = streamParts('https://api.openai.com/v1/responses', {
 *   protocol: openAIResponsesProtocol,
 *   headers: { authorization: `Bearer ${key}` },
 *   body: { model: 'o4-mini', input, tools, reasoning: { summary: 'auto' }, stream: true },
 * });
 * for await (const part of stream) {
 *   if (part.type === 'reasoning-delta') thoughts.append(part.delta);
 *   else if (part.type === 'text-delta') answer.append(part.delta);
 *   else if (part.type === 'tool-call') results.push(await run(part.toolName, part.input, part.toolCallId));
 * }
 * ```
 */
export const openAIResponsesProtocol: StreamProtocol = {
  name: 'openai-responses',
  createDecoder: () => {
    const functionCalls = createFunctionCalls();
    const { calls } = functionCalls;
    const finish = (reason: FinishReason, raw: string, response: Readonly<Record<string, unknown>>): StreamPart[] => {
      const ended = calls.endAll();
      const finishReason = reason === 'stop' && calls.endedCount > 0 ? 'tool-calls' : reason;
      const usage = isRecord(response.usage) ? response.usage : undefined;
      return [...ended, finishPart(finishReason, raw, usage, openAIUsage)];
    };
    return (event) => {
      const textError = plainTextErrorPart(event);
      if (textError !== undefined) return textError;
      const data = JSON.parse(event.data) as unknown;
      if (!isRecord(data)) return undefined;
      const response = isRecord(data.response) ? data.response : {};
      const type = typeof data.type === 'string' ? data.type : event.type;
      switch (type) {
        case 'response.output_text.delta':
          return { type: 'text-delta', delta: deltaOf(data, type) };
        case 'response.reasoning_summary_text.delta':
        case 'response.reasoning_text.delta':
          return { type: 'reasoning-delta', delta: deltaOf(data, type) };
        case 'response.refusal.delta':
          return { type: 'refusal-delta', delta: deltaOf(data, type) };
        case 'response.output_item.added':
          return functionCalls.added(data);
        case 'response.function_call_arguments.delta':
          return functionCalls.delta(data, type);
        case 'response.function_call_arguments.done':
          return functionCalls.end(data, stringOf(data, 'arguments'));
        case 'response.output_item.done':
          return isRecord(data.item) && data.item.type === 'function_call'
            ? functionCalls.end(data, stringOf(data.item, 'arguments'))
            : undefined;
        case 'response.output_text.annotation.added': {
          const annotation = data.annotation;
          if (!isRecord(annotation) || annotation.type !== 'url_citation' || typeof annotation.url !== 'string') return undefined;
          const sourceId = [data.item_id, data.content_index, data.annotation_index].map(String).join(':');
          const title = stringOf(annotation, 'title');
          return { type: 'source-url', sourceId, url: annotation.url, ...(title === undefined ? {} : { title }) };
        }
        case 'response.completed': {
          const status = stringOf(response, 'status') ?? 'completed';
          return finish(status === 'completed' ? 'stop' : normalizeFinishReason(status), status, response);
        }
        case 'response.incomplete': {
          const details = response.incomplete_details;
          const reason = (isRecord(details) ? stringOf(details, 'reason') : undefined) ?? 'incomplete';
          return finish(normalizeFinishReason(reason), reason, response);
        }
        case 'response.failed': {
          const error = isRecord(response.error) ? response.error : undefined;
          const message = error === undefined ? 'The response failed' : errorMessage(error);
          return { type: 'error', message, payload: error ?? response };
        }
        case 'error':
          return { type: 'error', message: errorMessage(data), payload: data };
        default:
          return undefined;
      }
    };
  },
};
