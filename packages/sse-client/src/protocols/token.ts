import { errorMessage, isRecord, plainTextErrorPart } from './shared.js';
import type { StreamProtocol } from './types.js';

/**
 * The default wire format, `{"token"}` events (`docs/wire-formats.md` §1):
 * - `data: {"token": "Hel"}` is text;
 * - `data: [DONE]` ends the stream successfully: the `finish` part, with `finishReason` `stop` (the
 *   format has no finish reason, usage, reasoning or tool calls of its own);
 * - `data: {"error": "..."}` (a string, or an object with a `message`) is a mid-stream error, the
 *   `payload` the value of `error`.
 * - An `event: error` is always a mid-stream error: with `{"error": ...}` data as above; with
 *   other JSON object data, the `message` is its `message` and the `payload` the whole object;
 *   with data that is not a JSON object (plain text, as Hono's `streamSSE` error handler writes:
 *   `event: error` then `data: upstream model timed out`), the `message` is the text (trimmed, at
 *   most 1,024 characters) and the `payload` the data as sent.
 *
 * Events with a type other than `message` or `error` are ignored.
 *
 * @throws {SyntaxError} (turned into a `ProtocolError` by the client) for `message` data that is
 *   not JSON, or JSON with neither a string `token` nor an `error`.
 */
export const tokenProtocol: StreamProtocol = {
  name: 'token',
  createDecoder: () => (event) => {
    if (event.type !== 'message' && event.type !== 'error') return undefined;
    const textError = plainTextErrorPart(event);
    if (textError) return textError;
    if (event.data === '[DONE]') return { type: 'finish', finishReason: 'stop' };
    const payload = JSON.parse(event.data) as unknown;
    if (isRecord(payload)) {
      // `{"error": ...}` data, or any other JSON object under `event: error` (then the whole object).
      const error = payload.error ?? (event.type === 'error' ? payload : undefined);
      if (error !== undefined) return { type: 'error', message: errorMessage(error), payload: error };
      if (typeof payload.token === 'string') return { type: 'text-delta', delta: payload.token };
    }
    throw new SyntaxError('Expected {"token": string}, {"error": ...} or [DONE]');
  },
};
