/**
 * The real model providers the server can relay to, through their official SDKs: OpenAI's Chat
 * Completions (`openai`, also for Ollama, vLLM, LM Studio and any OpenAI-compatible server) and
 * Anthropic's Messages (`@anthropic-ai/sdk`). Both stream OpenAI `chat.completion.chunk` objects,
 * the one shape the relay writes out.
 *
 * @module
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { anthropicToOpenAIChunks } from './anthropic-chunks.js';
import type { ChatMessage, FunctionTool } from './openai-chat.js';

/** What to ask the provider for. */
export interface ProviderRequest {
  /** The conversation, oldest first; the last message is the user's prompt. */
  readonly messages: readonly ChatMessage[];
  /** The function tools the model may call. */
  readonly tools: readonly FunctionTool[];
  /** Whether to end with a usage chunk (OpenAI's `stream_options.include_usage`). */
  readonly includeUsage: boolean;
}

/** A real model behind an SDK. */
export interface Provider {
  /** `openai` or `anthropic`: for the log. */
  readonly name: string;
  /** The model every request is sent to (the request's own `model` field is not used). */
  readonly model: string;
  /**
   * Sends `request` with `stream: true` and returns its chunks as they arrive. Aborting `signal`
   * aborts the upstream HTTP request, whether it is waiting for the response or streaming it.
   *
   * @throws the SDK's `APIError` (with `status` and `headers`) when the provider answers 4xx or 5xx;
   *   its `APIConnectionError` when it cannot be reached; while iterating, an `APIError` without
   *   `status` for an error event in the stream; an `APIUserAbortError` once `signal` is aborted.
   */
  stream(request: ProviderRequest, signal: AbortSignal): Promise<AsyncIterable<ChatCompletionChunk>>;
}

/** Options of {@link openAIProvider} and {@link anthropicProvider}. */
export interface ProviderOptions {
  readonly apiKey: string;
  /**
   * The API's base URL: `http://localhost:11434/v1` for Ollama, for example.
   * @defaultValue the SDK's (`https://api.openai.com/v1`, `https://api.anthropic.com`)
   */
  readonly baseURL?: string | undefined;
  /** @defaultValue {@link DEFAULT_OPENAI_MODEL} or {@link DEFAULT_ANTHROPIC_MODEL} */
  readonly model?: string | undefined;
  /**
   * How many times the SDK retries a failed request (connection errors, 408, 409, 429, 5xx) before
   * it throws. The relay's default, `0`, passes the failure on at once, with its `Retry-After`, so
   * the browser's client decides whether to retry, in view of the user and under their Stop button;
   * the SDKs' own default is 2. A retry only happens before the reply starts streaming.
   * @defaultValue `0`
   */
  readonly maxRetries?: number | undefined;
}

/** The model used with `OPENAI_API_KEY` when `MODEL` is not set. */
export const DEFAULT_OPENAI_MODEL = 'gpt-5.4-mini';

/** The model used with `ANTHROPIC_API_KEY` when `MODEL` is not set. */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-haiku-4-5';

/** The reply length limit sent to Anthropic, whose API requires one (`max_tokens`), in tokens. */
export const ANTHROPIC_MAX_TOKENS = 4096;

/** A provider behind the `openai` SDK's `client.chat.completions.create({ stream: true })`. */
export function openAIProvider(options: ProviderOptions): Provider {
  const { apiKey, baseURL, model = DEFAULT_OPENAI_MODEL, maxRetries = 0 } = options;
  const client = new OpenAI({ apiKey, baseURL, maxRetries });
  return {
    name: 'openai',
    model,
    stream: ({ messages, tools, includeUsage }, signal) =>
      client.chat.completions.create(
        {
          model,
          messages: messages.map(({ role, content }) => ({ role, content })),
          ...(tools.length > 0 ? { tools: tools.map((fn) => ({ type: 'function' as const, function: fn })) } : {}),
          stream: true,
          ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
        },
        { signal },
      ),
  };
}

/**
 * A provider behind `@anthropic-ai/sdk`'s `client.messages.create({ stream: true })`, its events
 * turned into OpenAI chunks by {@link anthropicToOpenAIChunks}. `system` messages become the
 * `system` prompt; tools get their `parameters` as `input_schema`.
 */
export function anthropicProvider(options: ProviderOptions): Provider {
  const { apiKey, baseURL, model = DEFAULT_ANTHROPIC_MODEL, maxRetries = 0 } = options;
  const client = new Anthropic({ apiKey, baseURL, maxRetries });
  return {
    name: 'anthropic',
    model,
    async stream({ messages, tools, includeUsage }, signal) {
      const system = messages.filter((message) => message.role === 'system').map((message) => message.content);
      const events = await client.messages.create(
        {
          model,
          max_tokens: ANTHROPIC_MAX_TOKENS,
          ...(system.length > 0 ? { system: system.join('\n\n') } : {}),
          messages: messages.flatMap(({ role, content }) => (role === 'system' ? [] : [{ role, content }])),
          ...(tools.length > 0
            ? { tools: tools.map(({ parameters, ...tool }) => ({ ...tool, input_schema: { type: 'object' as const, ...parameters } })) }
            : {}),
          stream: true,
        },
        { signal },
      );
      const toChunks = anthropicToOpenAIChunks({ includeUsage });
      return (async function* () {
        for await (const event of events) yield* toChunks(event);
      })();
    },
  };
}

/**
 * The provider that the environment configures, or `undefined` for the built-in model:
 * - `OPENAI_API_KEY`: {@link openAIProvider}, with `OPENAI_BASE_URL` when set;
 * - else `ANTHROPIC_API_KEY`: {@link anthropicProvider}, with `ANTHROPIC_BASE_URL` when set;
 *
 * and `MODEL` when set. Empty variables count as unset.
 */
export function providerFromEnv(env: Readonly<Record<string, string | undefined>>): Provider | undefined {
  const value = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const model = value('MODEL');
  const openAIKey = value('OPENAI_API_KEY');
  if (openAIKey !== undefined) return openAIProvider({ apiKey: openAIKey, baseURL: value('OPENAI_BASE_URL'), model });
  const anthropicKey = value('ANTHROPIC_API_KEY');
  if (anthropicKey !== undefined) return anthropicProvider({ apiKey: anthropicKey, baseURL: value('ANTHROPIC_BASE_URL'), model });
  return undefined;
}
