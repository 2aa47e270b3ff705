// Request builders: the conversation in each provider's request shape, for a chat store's `body`.
// In a module of their own, so that a bundle that uses none of them carries none of them.
import { messageText, type ChatMessage, type ChatRole, type MessagePart, type TextUIPart, type ToolUIPart } from './chat-messages.js';
import type { DataPart, FilePart, SourceDocumentPart, SourceUrlPart } from './protocols/types.js';

/** One turn of a reply: its text, then the tool calls it made (each with its result). */
interface Step {
  text: string;
  tools: ToolUIPart[];
}

/** A tool call that has its result: the only kind the providers accept back. */
function resolved(part: MessagePart): part is ToolUIPart {
  return part.type === 'tool' && (part.state === 'output-available' || part.state === 'output-error');
}

/**
 * The steps of an assistant message for a provider: text, then client-side tool calls with their
 * results; text after a tool call starts a new step. Calls without a result (cut or still
 * running) and provider-executed calls are left out; empty steps too, so a reply stopped before
 * any text gives none.
 */
function steps(message: ChatMessage): Step[] {
  const list: Step[] = [];
  let step: Step | undefined;
  for (const part of message.parts) {
    const tool = resolved(part) && !part.providerExecuted;
    if ((part.type === 'text' && part.text !== '') || tool) {
      if (step === undefined || (part.type === 'text' && step.tools.length > 0)) list.push((step = { text: '', tools: [] }));
      if (tool) step.tools.push(part);
      else step.text += (part as { text: string }).text;
    }
  }
  return list;
}

/** The arguments as JSON text: as they streamed when they are not valid JSON. */
function argumentsText(tool: ToolUIPart): string {
  return tool.inputText ?? JSON.stringify(tool.input ?? {});
}

/** The result as text: a string as is, anything else as JSON; the error text for a failed call. */
function outputText(tool: ToolUIPart): string {
  if (tool.state === 'output-error') return tool.errorText ?? '';
  return typeof tool.output === 'string' ? tool.output : (JSON.stringify(tool.output) ?? '');
}

/** An OpenAI Chat Completions message (`messages[]` of `POST /v1/chat/completions`). */
export type OpenAIChatMessage =
  | { readonly role: 'system' | 'user'; readonly content: string }
  | {
      readonly role: 'assistant';
      readonly content: string | null;
      readonly tool_calls?: readonly {
        readonly id: string;
        readonly type: 'function';
        readonly function: { readonly name: string; readonly arguments: string };
      }[];
    }
  | { readonly role: 'tool'; readonly tool_call_id: string; readonly content: string };

/**
 * The conversation as OpenAI Chat Completions `messages`: system and user messages with their
 * text; each assistant reply as `{ role: 'assistant', content, tool_calls }` followed by one
 * `{ role: 'tool', tool_call_id, content }` per call (the result as a string, JSON for anything
 * else; the `errorText` of a failed call). Text after a tool call becomes a new assistant message.
 * Reasoning, refusals, sources and files are left out, as are calls without a result, calls the
 * provider ran, and replies with nothing left (stopped before any text).
 *
 * @example
 * ```ts
 * createChatStore({
 *   url: '/v1/chat/completions',
 *   protocol: openAIChatProtocol,
 *   body: ({ messages }) => ({ model: 'gpt-4.1', stream: true, messages: toOpenAIChatMessages(messages) }),
 * });
 * ```
 */
export function toOpenAIChatMessages(messages: readonly ChatMessage[]): OpenAIChatMessage[] {
  const out: OpenAIChatMessage[] = [];
  for (const message of messages) {
    if (message.role !== 'assistant') {
      out.push({ role: message.role, content: messageText(message) });
      continue;
    }
    for (const { text, tools } of steps(message)) {
      const calls = tools.map((tool) => ({
        id: tool.toolCallId,
        type: 'function' as const,
        function: { name: tool.toolName, arguments: argumentsText(tool) },
      }));
      out.push({ role: 'assistant', content: text === '' ? null : text, ...(calls.length > 0 ? { tool_calls: calls } : {}) });
      for (const tool of tools) out.push({ role: 'tool', tool_call_id: tool.toolCallId, content: outputText(tool) });
    }
  }
  return out;
}

/** An OpenAI Responses input item (`input[]` of `POST /v1/responses`). */
export type OpenAIResponsesInputItem =
  | { readonly role: ChatRole; readonly content: string }
  | { readonly type: 'function_call'; readonly call_id: string; readonly name: string; readonly arguments: string }
  | { readonly type: 'function_call_output'; readonly call_id: string; readonly output: string };

/**
 * The conversation as OpenAI Responses `input` items: `{ role, content }` messages for the text,
 * and for each tool call a `function_call` item followed by its `function_call_output` (the
 * result as a string, JSON for anything else; the `errorText` of a failed call). What is left
 * out is as for {@link toOpenAIChatMessages}.
 *
 * @example
 * ```ts
 * createChatStore({
 *   url: '/v1/responses',
 *   protocol: openAIResponsesProtocol,
 *   body: ({ messages }) => ({ model: 'gpt-4.1', stream: true, input: toOpenAIResponsesInput(messages) }),
 * });
 * ```
 */
export function toOpenAIResponsesInput(messages: readonly ChatMessage[]): OpenAIResponsesInputItem[] {
  const out: OpenAIResponsesInputItem[] = [];
  for (const message of messages) {
    if (message.role !== 'assistant') {
      out.push({ role: message.role, content: messageText(message) });
      continue;
    }
    for (const { text, tools } of steps(message)) {
      if (text !== '') out.push({ role: 'assistant', content: text });
      for (const tool of tools) {
        out.push({ type: 'function_call', call_id: tool.toolCallId, name: tool.toolName, arguments: argumentsText(tool) });
        out.push({ type: 'function_call_output', call_id: tool.toolCallId, output: outputText(tool) });
      }
    }
  }
  return out;
}

/** An Anthropic Messages message (`messages[]` of `POST /v1/messages`). */
export type AnthropicMessage =
  | {
      readonly role: 'user';
      readonly content:
        | string
        | readonly { readonly type: 'tool_result'; readonly tool_use_id: string; readonly content: string; readonly is_error?: true }[];
    }
  | {
      readonly role: 'assistant';
      readonly content: readonly (
        | { readonly type: 'text'; readonly text: string }
        | { readonly type: 'tool_use'; readonly id: string; readonly name: string; readonly input: unknown }
      )[];
    };

/**
 * The conversation as Anthropic Messages `messages`: user messages with their text; each
 * assistant reply as `{ role: 'assistant', content: [text, tool_use…] }`, followed, when it made
 * tool calls, by a user message of `tool_result` blocks (the result as a string, JSON for
 * anything else; a failed call's `errorText` with `is_error: true`). A call's `input` that is not
 * an object (invalid arguments) is sent as `{}`. System messages are left out: Anthropic takes
 * them as the top-level `system`. Otherwise what is left out is as for {@link toOpenAIChatMessages}.
 *
 * @example
 * ```ts
 * createChatStore({
 *   url: '/v1/messages',
 *   protocol: anthropicProtocol,
 *   body: ({ messages }) => ({ model: 'claude-sonnet-4-5', max_tokens: 1024, stream: true, messages: toAnthropicMessages(messages) }),
 * });
 * ```
 */
export function toAnthropicMessages(messages: readonly ChatMessage[]): AnthropicMessage[] {
  const out: AnthropicMessage[] = [];
  for (const message of messages) {
    if (message.role === 'user') out.push({ role: 'user', content: messageText(message) });
    if (message.role !== 'assistant') continue;
    for (const { text, tools } of steps(message)) {
      out.push({
        role: 'assistant',
        content: [
          ...(text === '' ? [] : [{ type: 'text' as const, text }]),
          ...tools.map(({ toolCallId, toolName, input }) => ({
            type: 'tool_use' as const,
            id: toolCallId,
            name: toolName,
            input: typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {},
          })),
        ],
      });
      if (tools.length > 0) {
        out.push({
          role: 'user',
          content: tools.map((tool) => ({
            type: 'tool_result' as const,
            tool_use_id: tool.toolCallId,
            content: outputText(tool),
            ...(tool.state === 'output-error' ? { is_error: true as const } : {}),
          })),
        });
      }
    }
  }
  return out;
}

/** A tool call with its result in the AI SDK's UI message shape (a static tool's part, `tool-<name>`). */
export interface UIToolPart {
  readonly type: `tool-${string}`;
  readonly toolCallId: string;
  readonly state: 'output-available' | 'output-error';
  readonly input: unknown;
  readonly output?: unknown;
  readonly errorText?: string | undefined;
  readonly providerExecuted?: true | undefined;
}

/** A part of a {@link UIMessage}: the AI SDK's `UIMessagePart`s that a request carries. */
export type UIMessagePart = TextUIPart | UIToolPart | SourceUrlPart | SourceDocumentPart | FilePart | DataPart | { readonly type: 'step-start' };

/** A message in the AI SDK's `UIMessage` shape, as `useChat` sends it (`messages[]` of the request body). */
export interface UIMessage {
  readonly id: string;
  readonly role: ChatRole;
  readonly parts: readonly UIMessagePart[];
}

/**
 * The conversation as AI SDK UI messages (`{ id, role, parts }`, what `useChat` sends and
 * `convertToModelMessages` reads on the server): text parts; tool calls that have their result as
 * `tool-<name>` parts (`toolCallId`, `state`, `input`, `output` or `errorText`,
 * `providerExecuted`); sources, files and data parts as they are; a `step-start` part where text
 * follows a client-side tool call (the AI SDK's step boundary). Reasoning and refusals are left out, as are calls without a result and
 * replies with nothing left (stopped before any text).
 *
 * @example
 * ```ts
 * createChatStore({
 *   url: '/api/chat',
 *   protocol: aiSdkUIMessageProtocol,
 *   body: ({ messages }) => ({ id: chatId, messages: toUIMessages(messages) }),
 * });
 * ```
 */
export function toUIMessages(messages: readonly ChatMessage[]): UIMessage[] {
  const out: UIMessage[] = [];
  for (const { id, role, parts } of messages) {
    const list: UIMessagePart[] = [];
    let afterTool = false;
    for (const part of parts) {
      if (part.type === 'reasoning' || part.type === 'refusal' || (part.type === 'tool' && !resolved(part))) continue;
      if (part.type === 'tool') {
        const { toolCallId, state, input, output, errorText, providerExecuted } = part;
        list.push({
          type: `tool-${part.toolName}`,
          toolCallId,
          state: state as UIToolPart['state'],
          input,
          ...(state === 'output-error' ? { errorText } : { output }),
          ...(providerExecuted ? { providerExecuted } : {}),
        });
        // A client-side call ends a step: its result goes back to the model before the text after it.
        afterTool ||= !providerExecuted;
        continue;
      }
      if (part.type === 'text') {
        if (part.text === '') continue;
        if (afterTool) list.push({ type: 'step-start' });
        afterTool = false;
      }
      list.push(part);
    }
    if (role !== 'assistant' || list.length > 0) out.push({ id, role, parts: list });
  }
  return out;
}
