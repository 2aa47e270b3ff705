import { errorMessage, isRecord, plainTextErrorPart } from './shared.js';
import type { StreamProtocol } from './types.js';

/**
 * OpenAI Chat Completions streaming (`POST /v1/chat/completions` with `"stream": true`,
 * `docs/wire-formats.md` §2), also spoken by Ollama, vLLM, llama.cpp server, LM Studio,
 * OpenRouter, Groq, Together and other OpenAI-compatible servers.
 *
 * - **Text**: `choices[].delta.content` of the choice whose `index` is 0 (a choice without an
 *   `index` counts as 0). With `n > 1` the other choices are ignored. A missing, `null` or `""`
 *   `content` adds nothing; `delta.tool_calls`, `delta.refusal` and reasoning fields
 *   (`reasoning_content`, `reasoning`) are not answer text and are ignored.
 * - **Terminator**: `data: [DONE]`, and only it. It gives the `finish` part, with
 *   - `finishReason`: the `finish_reason` of choice 0 (`"stop"`, `"length"`, `"content_filter"`,
 *     `"tool_calls"`…), remembered from the late chunk that carries it;
 *   - `usage`: the last `usage` object seen: the usage chunk (empty `choices`) sent when the request
 *     asks for `stream_options: { include_usage: true }`; some servers put it on other chunks.
 *     `undefined` when the server sent none.
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
 *   not JSON (other than `[DONE]`), or a `delta.content` that is neither a string nor `null`.
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
 */
export const openAIChatProtocol: StreamProtocol = {
  name: 'openai-chat',
  createDecoder: () => {
    let finishReason: string | undefined;
    let usage: Readonly<Record<string, unknown>> | undefined;
    return (event) => {
      if (event.type !== 'message' && event.type !== 'error') return undefined;
      const textError = plainTextErrorPart(event);
      if (textError !== undefined) return textError;
      if (event.type === 'message' && event.data === '[DONE]') return { type: 'finish', finishReason, usage };
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
      if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
      const content = isRecord(choice.delta) ? choice.delta.content : undefined;
      if (content === undefined || content === null) return undefined;
      if (typeof content !== 'string') {
        throw new SyntaxError('Expected choices[0].delta.content to be a string or null');
      }
      return { type: 'text-delta', delta: content };
    };
  },
};
