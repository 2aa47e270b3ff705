import { errorMessage, isRecord, plainTextErrorPart } from './shared.js';
import type { StreamProtocol } from './types.js';

/**
 * Anthropic Messages streaming (`POST /v1/messages` with `"stream": true`, `docs/wire-formats.md` §4).
 * Each event's kind is read from the `type` field of its data (the `event:` name, which repeats
 * it, is used only when the data has no `type`).
 *
 * - **Text**: `delta.text` of `content_block_delta` events whose `delta.type` is `text_delta`.
 *   Thinking (`thinking_delta`, `signature_delta`), tool input (`input_json_delta`), citations
 *   and every other delta are not answer text and are ignored; so are `ping` and unknown events.
 * - **Terminator**: `message_stop`. It gives the `finish` part, with
 *   - `finishReason`: `message_delta.delta.stop_reason` (`"end_turn"`, `"max_tokens"`,
 *     `"stop_sequence"`, `"tool_use"`, `"refusal"`…). `"max_tokens"` is an early stop, not an error;
 *   - `usage`: `message_start.message.usage` (input and cache tokens) merged with each
 *     `message_delta.usage` (cumulative counts, `output_tokens` final); `null` counts do not
 *     overwrite known ones.
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
 *   (except in an `event: error`), or
 *   a `text_delta` whose `text` is not a string.
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
 */
export const anthropicProtocol: StreamProtocol = {
  name: 'anthropic',
  createDecoder: () => {
    let finishReason: string | undefined;
    let usage: Readonly<Record<string, unknown>> | undefined;
    const mergeUsage = (update: unknown): void => {
      if (!isRecord(update)) return;
      const merged: Record<string, unknown> = { ...usage };
      for (const [key, value] of Object.entries(update)) if (value !== null) merged[key] = value;
      usage = merged;
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
        case 'content_block_delta': {
          const { delta } = payload;
          if (!isRecord(delta) || delta.type !== 'text_delta') return undefined;
          if (typeof delta.text !== 'string') throw new SyntaxError('Expected a string delta.text in a text_delta');
          return { type: 'text-delta', delta: delta.text };
        }
        case 'message_delta':
          if (isRecord(payload.delta) && typeof payload.delta.stop_reason === 'string') {
            finishReason = payload.delta.stop_reason;
          }
          mergeUsage(payload.usage);
          return undefined;
        case 'message_stop':
          return { type: 'finish', finishReason, usage };
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
