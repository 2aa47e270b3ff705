import { errorMessage, isRecord, plainTextErrorPart } from './shared.js';
import type { ErrorPart } from './types.js';
import type { StreamProtocol } from './types.js';

function errorPart(part: Record<string, unknown>): ErrorPart {
  return { type: 'error', message: typeof part.errorText === 'string' ? part.errorText : errorMessage(part), payload: part };
}

/**
 * The AI SDK UI message stream, v1 (`docs/wire-formats.md` §5): what Vercel AI SDK v5+ servers send
 * from `toUIMessageStreamResponse()` / `createUIMessageStreamResponse()`, with the header
 * `x-vercel-ai-ui-message-stream: v1` (not checked: the protocol reads events only). Every event is
 * a `data:` line holding one JSON part.
 *
 * - **Text**: `delta` of `text-delta` parts. Every other part (`start`, `start-step`, `text-start`,
 *   `text-end`, `reasoning-*`, `tool-*`, `source-*`, `file`, `data-*`, `message-metadata`,
 *   `finish-step`) is not answer text and is ignored.
 * - **Terminator**: `data: [DONE]`, which AI SDK servers always write when the stream closes, after
 *   the `finish` part (and after an `error` or `abort` part). It gives the `finish` part, with
 *   `finishReason` from the `finish` part when it has one (`"stop"`, `"length"`, `"tool-calls"`…),
 *   or `"abort"` after an `abort` part (the server stopped generating: the text may be partial).
 *   `usage` is `undefined`: the format has none (`messageMetadata` is not read).
 * - A stream that ends without `[DONE]` is an `IncompleteStreamError`, its `text` kept, even after
 *   a `finish` part: since a real server always follows `finish` with `[DONE]`, a stream without it
 *   was cut off.
 * - **Errors**: `{"type":"error","errorText":"..."}` is a mid-stream error: the `message` is
 *   `errorText`, the `payload` the whole part.
 * - **`event: error`** is not part of the format, but a framework's error handler in front of an
 *   AI SDK route writes it (Hono's `streamSSE`: `event: error` then `data: <message>`), so it is a
 *   mid-stream error too: with data that is not a JSON object, the `message` is the text (trimmed,
 *   at most 1,024 characters) and the `payload` the data as sent; with a JSON object, the `message`
 *   is its `errorText` (else its `message`) and the `payload` the object.
 * - Events with an `event:` type other than `message` or `error`, and JSON data that is not an
 *   object, are ignored.
 *
 * @throws {SyntaxError} (turned into a `ProtocolError` by the client) for `message` data that is
 *   not JSON (other than `[DONE]`), or a `text-delta` part whose `delta` is not a string.
 *
 * @example
 * ```ts
 * const stream = streamTokens('/api/chat', {
 *   protocol: aiSdkUIMessageProtocol,
 *   body: { messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Hello' }] }] },
 * });
 * for await (const token of stream) output.append(token);
 * ```
 */
export const aiSdkUIMessageProtocol: StreamProtocol = {
  name: 'ai-sdk-ui-message',
  createDecoder: () => {
    let finishReason: string | undefined;
    return (event) => {
      if (event.type === 'error') {
        // Not plain text: then the data is a JSON object.
        return plainTextErrorPart(event) ?? errorPart(JSON.parse(event.data) as Record<string, unknown>);
      }
      if (event.type !== 'message') return undefined;
      if (event.data === '[DONE]') return { type: 'finish', finishReason };
      const part = JSON.parse(event.data) as unknown;
      if (!isRecord(part)) return undefined;
      switch (part.type) {
        case 'text-delta':
          if (typeof part.delta !== 'string') throw new SyntaxError('Expected a string delta in a text-delta part');
          return { type: 'text-delta', delta: part.delta };
        case 'finish':
          if (typeof part.finishReason === 'string') finishReason = part.finishReason;
          return undefined;
        case 'abort':
          finishReason = 'abort';
          return undefined;
        case 'error':
          return errorPart(part);
        default:
          return undefined;
      }
    };
  },
};
