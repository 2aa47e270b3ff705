/**
 * The OpenAI-compatible endpoint's wire format: `POST /v1/chat/completions` with `"stream": true`
 * answered with `chat.completion.chunk` events (`docs/wire-formats.md` §2), as `openai-node`'s
 * `ChatCompletionStream` reads them. The text comes from the same built-in model as `/chat/stream`.
 *
 * @module
 */
import { DEMO_ERROR_MESSAGE, planReply, tokenize } from './model.js';
import type { EventPlan } from './stream-reply.js';

/** The path of the OpenAI-compatible endpoint. */
export const OPENAI_CHAT_PATH = '/v1/chat/completions';

/** The model name reported when the request names none. */
export const DEMO_MODEL = 'tokenstream-demo';

/** The reasoning streamed first by a prompt that {@link wantsTool}. */
export const DEMO_REASONING = 'The user wants the weather. I cannot know it myself, so I will call the weather tool for Paris.';

/** The text streamed between the reasoning and the tool call. */
export const DEMO_TOOL_TEXT = 'Let me look that up for you.';

/** The tool called when the request offers none (its `tools` give the name otherwise). */
export const DEMO_TOOL_NAME = 'get_weather';

/** The tool call's input, streamed as its JSON `arguments` text in pieces of {@link ARGUMENT_PIECE_LENGTH} characters. */
export const DEMO_TOOL_INPUT = { city: 'Paris', unit: 'celsius' } as const;

/** The length of each `function.arguments` piece, in characters. */
export const ARGUMENT_PIECE_LENGTH = 7;

/** The tool call's id. */
export const DEMO_TOOL_CALL_ID = 'call_demo_0';

/** A message of the conversation, reduced to its role and text (what a relay forwards). */
export interface ChatMessage {
  /** `system` (also for OpenAI's `developer`), `user` or `assistant`. */
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** A function tool the model may call: OpenAI's `tools[].function`. */
export interface FunctionTool {
  readonly name: string;
  readonly description?: string;
  /** The JSON Schema of the tool's input. */
  readonly parameters?: Record<string, unknown>;
}

/** What a valid request asks for. */
export interface OpenAIChatRequest {
  /** The text of the last `user` message (the prompt). */
  readonly prompt: string;
  /**
   * The text of the `system`, `developer`, `user` and `assistant` messages, in order (messages of
   * other roles, such as `tool`, and messages without text are left out).
   */
  readonly messages: readonly ChatMessage[];
  /** The `function` of each `tools` entry that has a string `name`. */
  readonly tools: readonly FunctionTool[];
  /** `model`, or {@link DEMO_MODEL}. */
  readonly model: string;
  /** `stream_options.include_usage`. */
  readonly includeUsage: boolean;
  /** The name of the first function in `tools`, when the request offers one. */
  readonly toolName: string | undefined;
}

const ROLES: Readonly<Record<string, ChatMessage['role']>> = { system: 'system', developer: 'system', user: 'user', assistant: 'assistant' };

/** The request's messages as {@link ChatMessage}s. */
function chatMessages(messages: readonly unknown[]): ChatMessage[] {
  return messages.flatMap((message) => {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    const kind = typeof role === 'string' ? ROLES[role] : undefined;
    const text = contentText(content);
    return kind === undefined || text === '' ? [] : [{ role: kind, content: text }];
  });
}

/** The `function` of each `tools` entry with a string `name`. */
function functionTools(tools: unknown): FunctionTool[] {
  if (!Array.isArray(tools)) return [];
  return tools.flatMap((tool: { function?: { name?: unknown; description?: unknown; parameters?: unknown } } | null) => {
    const fn = tool?.function;
    if (typeof fn?.name !== 'string') return [];
    return [
      {
        name: fn.name,
        ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
        ...(typeof fn.parameters === 'object' && fn.parameters !== null ? { parameters: fn.parameters as Record<string, unknown> } : {}),
      },
    ];
  });
}

/** A message's text: a string `content`, or its `{type: "text", text}` parts joined. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: unknown; text?: unknown }) => (part?.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('');
}

/**
 * Validates a Chat Completions request body: a JSON object with `stream: true` and a non-empty
 * `messages` array whose last `user` message has text. Returns what it asks for, or the message
 * of the `400` error.
 */
export function parseOpenAIChatRequest(body: unknown): OpenAIChatRequest | { error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { error: 'The request body must be a JSON object: {"model": "...", "messages": [...], "stream": true}' };
  }
  const { messages, stream, model, stream_options: streamOptions, tools } = body as Record<string, unknown>;
  if (!Array.isArray(messages) || messages.length === 0) return { error: '"messages" must be a non-empty array' };
  if (stream !== true) return { error: 'This server only streams: send "stream": true' };
  const user = [...messages].reverse().find((message: { role?: unknown }) => message?.role === 'user') as { content?: unknown } | undefined;
  const prompt = contentText(user?.content);
  if (prompt.trim() === '') return { error: 'The last "user" message must have text content' };
  const functions = functionTools(tools);
  return {
    prompt,
    messages: chatMessages(messages),
    tools: functions,
    model: typeof model === 'string' && model !== '' ? model : DEMO_MODEL,
    includeUsage: (streamOptions as { include_usage?: unknown } | undefined)?.include_usage === true,
    toolName: functions[0]?.name,
  };
}

/** True when the prompt asks for reasoning and a tool call: it contains the word "weather" or "tool" (any case). */
export function wantsTool(prompt: string): boolean {
  return /\b(weather|tool)\b/i.test(prompt);
}

/** An OpenAI error body: `{"error": {"message", "type", "code"}}`. */
export function openAIError(
  message: string,
  type: string,
  code: string | null = null,
): { error: { message: string; type: string; code: string | null } } {
  return { error: { message, type, code } };
}

/** Splits `text` into pieces of `length` characters (code points). */
function pieces(text: string, length: number): string[] {
  const codePoints = Array.from(text);
  const result: string[] = [];
  for (let index = 0; index < codePoints.length; index += length) result.push(codePoints.slice(index, index + length).join(''));
  return result;
}

/**
 * The events of the reply to `request`: a role chunk, then
 * - for a prompt that {@link wantsTool}: the reasoning as `delta.reasoning_content`, a short
 *   `delta.content`, then one tool call (`delta.tool_calls[0]`: id, type, name and the first
 *   arguments piece, then the rest of the arguments in pieces), finish reason `tool_calls`;
 * - else the built-in model's text as `delta.content`, one word per chunk, finish reason `stop`
 *   (or, for a prompt with the word "error", a few words and then an OpenAI error event);
 *
 * then a finish chunk, the usage chunk (empty `choices`) when `includeUsage`, and `data: [DONE]`.
 * `created` is the request's time in seconds; everything else is deterministic.
 */
export function planOpenAIChat(request: OpenAIChatRequest, created = Math.floor(Date.now() / 1000)): EventPlan {
  const base = { id: 'chatcmpl-demo', object: 'chat.completion.chunk', created, model: request.model };
  const usageField = request.includeUsage ? { usage: null } : {};
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): string =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...usageField })}\n\n`;

  const events = [chunk({ role: 'assistant', content: '' })];
  let outputTokens: number;
  let finishReason: string;
  if (wantsTool(request.prompt)) {
    const reasoning = tokenize(DEMO_REASONING);
    const text = tokenize(DEMO_TOOL_TEXT);
    const [first = '', ...rest] = pieces(JSON.stringify(DEMO_TOOL_INPUT), ARGUMENT_PIECE_LENGTH);
    const name = request.toolName ?? DEMO_TOOL_NAME;
    events.push(
      ...reasoning.map((token) => chunk({ reasoning_content: token })),
      ...text.map((token) => chunk({ content: token })),
      chunk({ tool_calls: [{ index: 0, id: DEMO_TOOL_CALL_ID, type: 'function', function: { name, arguments: first } }] }),
      ...rest.map((piece) => chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] })),
    );
    outputTokens = reasoning.length + text.length + rest.length + 1;
    finishReason = 'tool_calls';
  } else {
    const plan = planReply(request.prompt);
    events.push(...plan.tokens.map((token) => chunk({ content: token })));
    if (plan.error !== undefined) {
      const last = `data: ${JSON.stringify(openAIError(DEMO_ERROR_MESSAGE, 'server_error'))}\n\n`;
      return { events, last, failed: true };
    }
    outputTokens = plan.tokens.length;
    finishReason = 'stop';
  }
  events.push(chunk({}, finishReason));
  if (request.includeUsage) {
    const inputTokens = tokenize(request.prompt).length;
    const usage = { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens };
    events.push(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
  }
  return { events, last: 'data: [DONE]\n\n', failed: false };
}
