import { anthropicUsage, finishPart, normalizeFinishReason } from './finish.js';
import { errorMessage, isRecord, plainTextErrorPart } from './shared.js';
import { createToolCallAssembler } from './tool-calls.js';
import type { StreamPart, StreamProtocol } from './types.js';

/** The content blocks that call a tool: `tool_use` (the app runs it), and those the API runs itself. */
const TOOL_USE_BLOCKS: ReadonlySet<string> = new Set(['tool_use', 'server_tool_use', 'mcp_tool_use']);

/** An open tool-use content block (between its `content_block_start` and `content_block_stop`). */
interface ToolBlock {
  readonly toolCallId: string;
  /** The block's own `input` (usually `{}`), used only when no `input_json_delta` came. */
  readonly input: unknown;
  sawDelta: boolean;
}

function expectString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new SyntaxError(`Expected a string ${what}`);
  return value;
}

/**
 * Anthropic Messages streaming (`POST /v1/messages` with `"stream": true`, `docs/wire-formats.md` §4).
 * Each event's kind is read from the `type` field of its data (the `event:` name, which repeats
 * it, is used only when the data has no `type`). Content blocks are kept by their `index`.
 *
 * - **Text**: `content_block_delta` with `delta.type` `text_delta` gives a `text-delta` part
 *   (`delta.text`).
 * - **Reasoning**: `thinking_delta` gives a `reasoning-delta` part (`delta.thinking`).
 *   `signature_delta` (the thinking block's signature, for sending the block back) and
 *   `redacted_thinking` blocks (encrypted) are ignored. A `text` or `thinking` block that starts
 *   with non-empty text gives that text first.
 * - **Tool calls**: `content_block_start` with a `tool_use` block gives `tool-input-start`
 *   (`id`, `name`); each `input_json_delta` gives `tool-input-delta` (`partial_json`, with the
 *   partial input parsed so far); `content_block_stop` gives the `tool-call` part with the parsed
 *   input. As in the official SDK, the start block's own `input` (usually `{}`) counts only when
 *   no `input_json_delta` came for the block. `server_tool_use` and `mcp_tool_use` blocks (tools
 *   the API runs: web search, code execution…) give the same parts with `providerExecuted: true`.
 *   Input text that is not valid JSON gives a `tool-call` marked `invalid` (never an error).
 * - **Tool results**: a `*_tool_result` block (`web_search_tool_result`, `web_fetch_tool_result`,
 *   `code_execution_tool_result`, `mcp_tool_result`…) gives a `tool-result` part when it starts:
 *   `toolCallId` its `tool_use_id`, `output` its `content` as sent (an error result included:
 *   its `content` says so), `providerExecuted: true`, `toolName` the name of the call it answers.
 * - **Ignored**: `citations_delta` (citations are not mapped), `ping`, `container_upload` and
 *   other blocks, and unknown events and deltas.
 * - **Terminator**: `message_stop`. Tool calls still open (a reply cut by `max_tokens` in the
 *   middle of a `tool_use` block never gets its `content_block_stop`) end there, marked `invalid`
 *   when their input is cut; then the `finish` part, with
 *   - `finishReason`: `message_delta.delta.stop_reason` normalised (`end_turn`, `stop_sequence`
 *     → `stop`; `max_tokens`, `model_context_window_exceeded` → `length`; `tool_use` →
 *     `tool-calls`; `refusal` → `content-filter`; `pause_turn` and others → `other`; none →
 *     `other`), the raw value in `rawFinishReason`. `max_tokens` is an early stop, not an error;
 *   - `rawUsage`: `message_start.message.usage` (input and cache tokens) merged with each
 *     `message_delta.usage` (cumulative counts, `output_tokens` final); `null` counts do not
 *     overwrite known ones. `usage` normalises it: `inputTokens` `input_tokens`, `outputTokens`
 *     `output_tokens`, `totalTokens` their sum, `cachedInputTokens` `cache_read_input_tokens`.
 * - A stream that ends before `message_stop` (even after `message_delta`) is an
 *   `IncompleteStreamError`, its `text` kept.
 * - **Errors**: `event: error` with `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`
 *   is a mid-stream error: the `message` is `error.message`, the `payload` the `error` object
 *   (`payload.type` tells `overloaded_error` from `api_error`…). An `event: error` whose data is
 *   not a JSON object (plain text, as a proxy or Hono's `streamSSE` error handler writes:
 *   `data: upstream model timed out`) is a mid-stream error too: the `message` is the text
 *   (trimmed, at most 1,024 characters), the `payload` the data as sent.
 *
 * @throws {SyntaxError} (turned into a `ProtocolError` by the client) for data that is not JSON
 *   (except in an `event: error`), a `text_delta`, `thinking_delta` or `input_json_delta` whose
 *   text is not a string, or a tool-use block without a string `id` and `name` or a numeric `index`.
 *
 * @example
 * ```ts
 * const stream = streamTokens('https://api.anthropic.com/v1/messages', {
 *   protocol: anthropicProtocol,
 *   headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
 *   body: { model, max_tokens: 1024, messages, stream: true },
 * });
 * for await (const token of stream) output.append(token);
 * ```
 *
 * @example Thinking and tool calls, with `streamParts`:
 * ```ts
 * const { text, reasoning, toolCalls, finish } = await streamParts('https://api.anthropic.com/v1/messages', {
 *   protocol: anthropicProtocol,
 *   headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
 *   body: { model, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 }, tools, messages, stream: true },
 * }).result;
 * if (finish.finishReason === 'tool-calls') for (const call of toolCalls) if (!call.invalid) run(call.toolName, call.input);
 * ```
 */
export const anthropicProtocol: StreamProtocol = {
  name: 'anthropic',
  createDecoder: () => {
    let stopReason: string | undefined;
    let usage: Readonly<Record<string, unknown>> | undefined;
    const tools = createToolCallAssembler();
    // Open tool-use blocks by index, and the names of the calls the API runs (for their results).
    const toolBlocks = new Map<number, ToolBlock>();
    const serverToolNames = new Map<string, string>();

    const mergeUsage = (update: unknown): void => {
      if (!isRecord(update)) return;
      const merged: Record<string, unknown> = { ...usage };
      for (const [key, value] of Object.entries(update)) if (value !== null) merged[key] = value;
      usage = merged;
    };

    const blockStart = (index: unknown, block: Record<string, unknown>): StreamPart | undefined => {
      const type = typeof block.type === 'string' ? block.type : '';
      if (type === 'text' || type === 'thinking') {
        const text = block[type];
        if (typeof text !== 'string' || text === '') return undefined;
        return type === 'text' ? { type: 'text-delta', delta: text } : { type: 'reasoning-delta', delta: text };
      }
      if (TOOL_USE_BLOCKS.has(type)) {
        const toolCallId = expectString(block.id, `id in a ${type} content block`);
        const toolName = expectString(block.name, `name in a ${type} content block`);
        if (typeof index !== 'number') throw new SyntaxError(`Expected a numeric index for a ${type} content block`);
        const providerExecuted = type !== 'tool_use';
        if (providerExecuted) serverToolNames.set(toolCallId, toolName);
        toolBlocks.set(index, { toolCallId, input: block.input, sawDelta: false });
        return tools.start(toolCallId, toolName, providerExecuted);
      }
      if (type.endsWith('_tool_result') && typeof block.tool_use_id === 'string') {
        const toolName = serverToolNames.get(block.tool_use_id);
        return {
          type: 'tool-result',
          toolCallId: block.tool_use_id,
          ...(toolName === undefined ? {} : { toolName }),
          output: block.content,
          providerExecuted: true,
        };
      }
      return undefined;
    };

    const blockDelta = (index: unknown, delta: Record<string, unknown>): StreamPart | undefined => {
      switch (delta.type) {
        case 'text_delta': {
          const text = expectString(delta.text, 'delta.text in a text_delta');
          return text === '' ? undefined : { type: 'text-delta', delta: text };
        }
        case 'thinking_delta': {
          const thinking = expectString(delta.thinking, 'delta.thinking in a thinking_delta');
          return thinking === '' ? undefined : { type: 'reasoning-delta', delta: thinking };
        }
        case 'input_json_delta': {
          const text = expectString(delta.partial_json, 'delta.partial_json in an input_json_delta');
          const block = typeof index === 'number' ? toolBlocks.get(index) : undefined;
          if (block === undefined) return undefined;
          block.sawDelta = true;
          return tools.delta(block.toolCallId, text);
        }
        default:
          return undefined;
      }
    };

    const blockStop = (index: unknown): StreamPart | undefined => {
      const block = typeof index === 'number' ? toolBlocks.get(index) : undefined;
      if (block === undefined) return undefined;
      toolBlocks.delete(index as number);
      // Without deltas, a non-empty `input` in the start block is the whole input.
      const whole =
        !block.sawDelta && isRecord(block.input) && Object.keys(block.input).length > 0 ? JSON.stringify(block.input) : undefined;
      return tools.end(block.toolCallId, whole);
    };

    return (event) => {
      const textError = plainTextErrorPart(event);
      if (textError !== undefined) return textError;
      const data = JSON.parse(event.data) as unknown;
      const payload = isRecord(data) ? data : {};
      switch (typeof payload.type === 'string' ? payload.type : event.type) {
        case 'message_start':
          mergeUsage(isRecord(payload.message) ? payload.message.usage : undefined);
          return undefined;
        case 'content_block_start':
          return isRecord(payload.content_block) ? blockStart(payload.index, payload.content_block) : undefined;
        case 'content_block_delta':
          return isRecord(payload.delta) ? blockDelta(payload.index, payload.delta) : undefined;
        case 'content_block_stop':
          return blockStop(payload.index);
        case 'message_delta':
          if (isRecord(payload.delta) && typeof payload.delta.stop_reason === 'string') {
            stopReason = payload.delta.stop_reason;
          }
          mergeUsage(payload.usage);
          return undefined;
        case 'message_stop': {
          toolBlocks.clear();
          const finish = finishPart(normalizeFinishReason(stopReason, 'other'), stopReason, usage, anthropicUsage);
          return [...tools.endAll(), finish];
        }
        case 'error': {
          const error = payload.error ?? data;
          return { type: 'error', message: errorMessage(error), payload: error };
        }
        default:
          return undefined;
      }
    };
  },
};
