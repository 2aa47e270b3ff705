import { normalizeFinishReason } from './finish.js';
import { errorMessage, isRecord, plainTextErrorPart } from './shared.js';
import { createToolCallAssembler } from './tool-calls.js';
import type { ErrorPart, StreamPart, StreamProtocol, ToolCallPart } from './types.js';

function errorPart(part: Record<string, unknown>): ErrorPart {
  return { type: 'error', message: typeof part.errorText === 'string' ? part.errorText : errorMessage(part), payload: part };
}

function expectString(part: Record<string, unknown>, field: string): string {
  const value = part[field];
  if (typeof value !== 'string') throw new SyntaxError(`Expected a string ${field} in a ${String(part.type)} part`);
  return value;
}

function optionalString(part: Record<string, unknown>, field: string): Record<string, string> {
  const value = part[field];
  return typeof value === 'string' ? { [field]: value } : {};
}

/** Freezes a JSON value and everything in it (iteratively: deep values cannot overflow the stack). */
function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null || Object.isFrozen(item)) continue;
    Object.freeze(item);
    for (const member of Object.values(item)) pending.push(member);
  }
  return value;
}

/**
 * The AI SDK UI message stream, v1 (`docs/wire-formats.md` §5): what Vercel AI SDK v5+ servers send
 * from `toUIMessageStreamResponse()` / `createUIMessageStreamResponse()`, with the header
 * `x-vercel-ai-ui-message-stream: v1` (not checked: the protocol reads events only). Every event is
 * a `data:` line holding one JSON part (a `UIMessageChunk`). Each part maps to the stream part of
 * the same name where there is one:
 *
 * - **Text**: `text-delta` (`delta`). **Reasoning**: `reasoning-delta` (`delta`).
 * - **Tool calls**: `tool-input-start` (`toolCallId`, `toolName`, `providerExecuted`) and
 *   `tool-input-delta` (`inputTextDelta`, with the partial input parsed so far) map as named.
 *   `tool-input-available` gives the `tool-call` part with the `input` exactly as the server sent
 *   it (frozen; never marked invalid: the server parsed it), `inputText` the streamed input text,
 *   or `JSON.stringify(input)` when none streamed; when no `tool-input-start` came for the call (a
 *   tool call the model did not stream), a `tool-input-start` part comes first, so every call
 *   starts with one. `tool-input-error` (the model's input was invalid, or named no such tool)
 *   gives a `tool-error` part with `errorText` and the `input` as sent; a call left open by it
 *   gets no `tool-call`.
 * - **Tool results**: `tool-output-available` gives `tool-result` (`output`, `providerExecuted`;
 *   a later result for the same call, after a `preliminary` one, replaces it), and
 *   `tool-output-error` gives `tool-error` (`errorText`), each with the `toolName` of the call
 *   when it was seen.
 * - **Sources and files**: `source-url`, `source-document` and `file` map to the parts of the
 *   same name. **Data parts**: `data-<name>` gives the part of that type (`id`, `data`, `transient`).
 * - **Ignored**: `start`, `start-step`, `finish-step`, `reset-step`, `text-start`, `text-end`,
 *   `reasoning-start`, `reasoning-end`, `reasoning-file`, `message-metadata` (and every
 *   `messageMetadata`: the format has no usage of its own), `custom`, `steering-message`,
 *   `tool-approval-request`, `tool-approval-response`, `tool-output-denied`, and unknown parts.
 * - **Terminator**: `data: [DONE]`, which AI SDK servers always write when the stream closes, after
 *   the `finish` part (and after an `error` or `abort` part). Tool calls still open end there
 *   (marked `invalid` when their input text is cut), then the `finish` part, with
 *   `finishReason` the `finish` part's (already the AI SDK's names: `stop`, `length`,
 *   `content-filter`, `tool-calls`, `error`, `other`; any other value, `interrupted` say, is
 *   `other`), `stop` when it has none (AI SDK 5 sends none), or `other` after an `abort` part (the
 *   server stopped generating: the text may be partial); the raw value (or `"abort"`) in
 *   `rawFinishReason`. No `usage`.
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
 *   not JSON (other than `[DONE]`), or a part without the string fields its type needs (`delta` of
 *   a `text-delta` or `reasoning-delta`; `toolCallId` of a tool part, `toolName` of
 *   `tool-input-start` and `tool-input-available`, `inputTextDelta`, `errorText` of a tool error;
 *   `sourceId`, `url`, `mediaType` and `title` of sources and files).
 *
 * @example
 * ```ts
 * const stream = streamTokens('/api/chat', {
 *   protocol: aiSdkUIMessageProtocol,
 *   body: { messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Hello' }] }] },
 * });
 * for await (const token of stream) output.append(token);
 * ```
 *
 * @example Every part, with `streamParts`:
 * ```ts
 * for await (const part of streamParts('/api/chat', { protocol: aiSdkUIMessageProtocol, body: { messages } })) {
 *   if (part.type === 'tool-call') showCall(part.toolCallId, part.toolName, part.input);
 *   else if (part.type === 'tool-result') showResult(part.toolCallId, part.output);
 *   else if (part.type === 'data-weather') showWeather(part.data);
 * }
 * ```
 */
export const aiSdkUIMessageProtocol: StreamProtocol = {
  name: 'ai-sdk-ui-message',
  createDecoder: () => {
    let finishReason: string | undefined;
    const tools = createToolCallAssembler();
    const toolNames = new Map<string, string>();
    const nameOf = (toolCallId: string): Record<string, string> => {
      const toolName = toolNames.get(toolCallId);
      return toolName === undefined ? {} : { toolName };
    };

    const inputAvailable = (part: Record<string, unknown>): StreamPart[] => {
      const toolCallId = expectString(part, 'toolCallId');
      const toolName = expectString(part, 'toolName');
      toolNames.set(toolCallId, toolName);
      const parts: StreamPart[] = [];
      const start = tools.isOpen(toolCallId) ? undefined : tools.start(toolCallId, toolName, part.providerExecuted === true);
      if (start !== undefined) parts.push(start);
      const streamed = tools.end(toolCallId) as ToolCallPart;
      const executed = part.providerExecuted === true || streamed.providerExecuted === true;
      parts.push({
        type: 'tool-call',
        toolCallId,
        toolName,
        input: deepFreeze(part.input),
        inputText: streamed.inputText === '' ? (JSON.stringify(part.input) ?? '') : streamed.inputText,
        ...(executed ? { providerExecuted: true as const } : {}),
      });
      return parts;
    };

    const decodePart = (part: Record<string, unknown>): StreamPart | StreamPart[] | undefined => {
      switch (part.type) {
        case 'text-delta': {
          const delta = expectString(part, 'delta');
          return delta === '' ? undefined : { type: 'text-delta', delta };
        }
        case 'reasoning-delta': {
          const delta = expectString(part, 'delta');
          return delta === '' ? undefined : { type: 'reasoning-delta', delta };
        }
        case 'tool-input-start': {
          const toolCallId = expectString(part, 'toolCallId');
          const toolName = expectString(part, 'toolName');
          toolNames.set(toolCallId, toolName);
          return tools.start(toolCallId, toolName, part.providerExecuted === true);
        }
        case 'tool-input-delta':
          return tools.delta(expectString(part, 'toolCallId'), expectString(part, 'inputTextDelta'));
        case 'tool-input-available':
          return inputAvailable(part);
        case 'tool-input-error': {
          const toolCallId = expectString(part, 'toolCallId');
          const errorText = expectString(part, 'errorText');
          if (typeof part.toolName === 'string') toolNames.set(toolCallId, part.toolName);
          tools.end(toolCallId); // The error replaces the call.
          return { type: 'tool-error', toolCallId, ...nameOf(toolCallId), errorText, ...('input' in part ? { input: part.input } : {}) };
        }
        case 'tool-output-available': {
          const toolCallId = expectString(part, 'toolCallId');
          return {
            type: 'tool-result',
            toolCallId,
            ...nameOf(toolCallId),
            output: part.output,
            ...(part.providerExecuted === true ? { providerExecuted: true as const } : {}),
          };
        }
        case 'tool-output-error': {
          const toolCallId = expectString(part, 'toolCallId');
          return { type: 'tool-error', toolCallId, ...nameOf(toolCallId), errorText: expectString(part, 'errorText') };
        }
        case 'source-url':
          return {
            type: 'source-url',
            sourceId: expectString(part, 'sourceId'),
            url: expectString(part, 'url'),
            ...optionalString(part, 'title'),
          };
        case 'source-document':
          return {
            type: 'source-document',
            sourceId: expectString(part, 'sourceId'),
            mediaType: expectString(part, 'mediaType'),
            title: expectString(part, 'title'),
            ...optionalString(part, 'filename'),
          };
        case 'file':
          return { type: 'file', url: expectString(part, 'url'), mediaType: expectString(part, 'mediaType') };
        case 'finish':
          if (typeof part.finishReason === 'string') finishReason = part.finishReason;
          return undefined;
        case 'abort':
          finishReason = 'abort';
          return undefined;
        case 'error':
          return errorPart(part);
        default:
          if (typeof part.type === 'string' && part.type.startsWith('data-')) {
            return {
              type: part.type as `data-${string}`,
              ...optionalString(part, 'id'),
              data: part.data,
              ...(typeof part.transient === 'boolean' ? { transient: part.transient } : {}),
            };
          }
          return undefined;
      }
    };

    return (event) => {
      if (event.type === 'error') {
        // Not plain text: then the data is a JSON object.
        return plainTextErrorPart(event) ?? errorPart(JSON.parse(event.data) as Record<string, unknown>);
      }
      if (event.type !== 'message') return undefined;
      if (event.data === '[DONE]') {
        const finish: StreamPart = {
          type: 'finish',
          finishReason: normalizeFinishReason(finishReason, 'stop'),
          ...(finishReason === undefined ? {} : { rawFinishReason: finishReason }),
        };
        return [...tools.endAll(), finish];
      }
      const part = JSON.parse(event.data) as unknown;
      return isRecord(part) ? decodePart(part) : undefined;
    };
  },
};
