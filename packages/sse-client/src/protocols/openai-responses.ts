import { errorMessage, isRecord, plainTextErrorPart } from './shared.js';
import type { StreamProtocol } from './types.js';

/**
 * OpenAI Responses streaming (`POST /v1/responses` with `"stream": true`, `docs/wire-formats.md` §3).
 * Each event's kind is read from the `type` field of its data (the `event:` name, which repeats
 * it, is used only when the data has no `type`), so a proxy that drops `event:` lines does no harm.
 *
 * - **Text**: `delta` of `response.output_text.delta` events. Reasoning summaries
 *   (`response.reasoning_summary_text.delta`), refusals (`response.refusal.delta`), tool call
 *   arguments and every other event are not answer text and are ignored.
 * - **Terminators** (there is no `[DONE]`; anything after a terminator is not read):
 *   - `response.completed`: `finish` with `finishReason` the response's `status` (`"completed"`)
 *     and `usage` the `response.usage` object (`input_tokens`, `output_tokens`, `total_tokens`…);
 *   - `response.incomplete`: the model stopped early (token limit, content filter). It is a stop,
 *     not an error: `finish` with `finishReason` from `response.incomplete_details.reason`
 *     (`"max_output_tokens"`, `"content_filter"`), or `"incomplete"` when absent, and `usage`;
 *   - `response.failed`: a mid-stream error with the `message` of `response.error` and `payload`
 *     the `response.error` object (`{ code, message }`), or the whole `response` when it has none;
 *   - `error` (`event: error`, `{"type":"error","code":"...","message":"..."}`): a mid-stream error,
 *     `payload` the whole data object (the message is also read from a nested `error.message`).
 *     An `event: error` whose data is not a JSON object (plain text, as a proxy or Hono's
 *     `streamSSE` error handler writes: `data: upstream model timed out`) is a mid-stream error
 *     too: the `message` is the text (trimmed, at most 1,024 characters), the `payload` the data as sent.
 * - A stream that ends before one of these is an `IncompleteStreamError`, its `text` kept.
 * - JSON data that is not an object is ignored (except in an `event: error`).
 *
 * @throws {SyntaxError} (turned into a `ProtocolError` by the client) for data that is not JSON
 *   (except in an `event: error`), or
 *   a `response.output_text.delta` whose `delta` is not a string.
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
 */
export const openAIResponsesProtocol: StreamProtocol = {
  name: 'openai-responses',
  createDecoder: () => (event) => {
    const textError = plainTextErrorPart(event);
    if (textError !== undefined) return textError;
    const data = JSON.parse(event.data) as unknown;
    if (!isRecord(data)) return undefined;
    const response = isRecord(data.response) ? data.response : {};
    const usage = isRecord(response.usage) ? response.usage : undefined;
    switch (typeof data.type === 'string' ? data.type : event.type) {
      case 'response.output_text.delta':
        if (typeof data.delta !== 'string') {
          throw new SyntaxError('Expected a string delta in response.output_text.delta');
        }
        return { type: 'text-delta', delta: data.delta };
      case 'response.completed': {
        const status = typeof response.status === 'string' ? response.status : 'completed';
        return { type: 'finish', finishReason: status, usage };
      }
      case 'response.incomplete': {
        const details = response.incomplete_details;
        const reason = isRecord(details) && typeof details.reason === 'string' ? details.reason : 'incomplete';
        return { type: 'finish', finishReason: reason, usage };
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
  },
};
