import { errorMessage, isRecord } from './shared.js';
import type { StreamProtocol } from './types.js';

/**
 * The default wire format, `{"token"}` events (`docs/wire-formats.md` §1):
 * - `data: {"token": "Hel"}` is text;
 * - `data: [DONE]` ends the stream successfully;
 * - `data: {"error": "..."}` (a string, or an object with a `message`) is a mid-stream error.
 *
 * Events with a type other than `message` or `error` are ignored.
 *
 * @throws {SyntaxError} (turned into a `ProtocolError` by the client) for data that is not JSON,
 *   or JSON with neither a string `token` nor an `error`.
 */
export const tokenProtocol: StreamProtocol = {
  name: 'token',
  createDecoder: () => (event) => {
    if (event.type !== 'message' && event.type !== 'error') return undefined;
    if (event.data === '[DONE]') return { type: 'finish' };
    const payload = JSON.parse(event.data) as unknown;
    if (isRecord(payload)) {
      if (payload.error !== undefined && payload.error !== null) {
        return { type: 'error', message: errorMessage(payload.error), payload: payload.error };
      }
      if (typeof payload.token === 'string') return { type: 'text-delta', delta: payload.token };
    }
    throw new SyntaxError('Expected {"token": string}, {"error": ...} or [DONE]');
  },
};
