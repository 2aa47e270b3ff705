import type {
  DataPart,
  FilePart,
  FinishPart,
  FinishReason,
  SourceDocumentPart,
  SourceUrlPart,
  StreamPart,
  ToolCallPart,
  ToolErrorPart,
  ToolInputDeltaPart,
  ToolInputStartPart,
  ToolResultPart,
  Usage,
} from './protocols/types.js';
import { TextAccumulator } from './text-accumulator.js';

// The message model follows the AI SDK's `UIMessage` (`id`, `role`, `parts`; part names `text`,
// `reasoning`, tool states `input-streaming` … `output-error`), so its users recognise it.

/** Who wrote a message. */
export type ChatRole = 'user' | 'assistant' | 'system';

/**
 * Where one assistant reply stands:
 * - `submitted`: its request is on its way; nothing has arrived yet;
 * - `streaming`: its parts are arriving (from the first part of any kind);
 * - `done`: it ended with its terminator (see the message's `finishReason`);
 * - `error`: it failed (see the message's `error`; what arrived before is kept);
 * - `aborted`: it was stopped (`stop()`, or a new `send` with `whileStreaming: 'abort'`); what arrived is kept.
 */
export type MessageStatus = 'submitted' | 'streaming' | 'done' | 'error' | 'aborted';

/** Where a chat stands: its latest reply's {@link MessageStatus}, or `idle` when there is none (nothing sent yet, or after `reset()`). */
export type ChatStatus = 'idle' | MessageStatus;

/** Answer text. Consecutive text deltas grow one text part; text after another kind of part starts a new one. */
export interface TextUIPart {
  readonly type: 'text';
  readonly text: string;
}

/** The model's reasoning (thinking, or its summary), grown from `reasoning-delta` parts like {@link TextUIPart}. */
export interface ReasoningUIPart {
  readonly type: 'reasoning';
  readonly text: string;
}

/** A refusal (the model declined), grown from `refusal-delta` parts: show it in place of an answer. */
export interface RefusalUIPart {
  readonly type: 'refusal';
  readonly text: string;
}

/**
 * A tool call and, once known, its result. Its `state`:
 * - `input-streaming`: the arguments are arriving; `input` is the best partial value so far
 *   (from `tool-input-delta`, `undefined` before any);
 * - `input-available`: the call is complete (`tool-call`); `input` is final. A client-side tool
 *   runs now (`onToolCall`) and answers with `addToolResult`;
 * - `output-available`: its result is in `output` (`tool-result`, or `addToolResult`);
 * - `output-error`: it failed: `errorText` says why (`tool-error`, `addToolResult({ errorText })`,
 *   or arguments that are not valid JSON: then `invalid` is `true`, `inputText` holds the raw
 *   text, `error` the parse error and `input` the best partial value, as the AI SDK reports a
 *   `tool-input-error`).
 */
export interface ToolUIPart {
  readonly type: 'tool';
  /** The call's id (the provider's: `call_…`, `toolu_…`). */
  readonly toolCallId: string;
  /** The tool's name. */
  readonly toolName: string;
  /** See above. */
  readonly state: 'input-streaming' | 'input-available' | 'output-available' | 'output-error';
  /** The call's arguments: partial while `input-streaming`, final after. */
  readonly input: unknown;
  /** The raw argument text, for a call whose arguments are not valid JSON. */
  readonly inputText?: string | undefined;
  /** `true` for a call whose arguments are not valid JSON. */
  readonly invalid?: true | undefined;
  /** Why the arguments are invalid (a `PartialJSONError`), when `invalid`. */
  readonly error?: Error | undefined;
  /** The tool's result, when `output-available`. */
  readonly output?: unknown;
  /** What went wrong, when `output-error`. */
  readonly errorText?: string | undefined;
  /** `true` for a tool the provider ran itself (Anthropic server tools, AI SDK server-side tools). */
  readonly providerExecuted?: true | undefined;
}

/**
 * One part of a message, in the order it streamed. Sources, files and data parts are the stream's
 * own parts, kept as they arrived (a data part with the `type` and `id` of an earlier one replaces
 * it; a `transient` one is not kept: it goes to `onData` only).
 */
export type MessagePart =
  | TextUIPart
  | ReasoningUIPart
  | RefusalUIPart
  | ToolUIPart
  | SourceUrlPart
  | SourceDocumentPart
  | FilePart
  | DataPart;

/**
 * Client-side measurements of one reply, all in milliseconds, taken with `performance.now()`
 * (else `Date.now()`) from the moment its request starts. Updated with each network chunk and at
 * the end. A network chunk's deltas arrive together: they count as arriving at the same moment.
 */
export interface ReplyMetrics {
  /** Until the first response's headers arrived (`fetch` resolved; a retried attempt's first response counts). `undefined` before. */
  readonly timeToFirstByte: number | undefined;
  /** Until the first text or reasoning delta. `undefined` before. */
  readonly timeToFirstToken: number | undefined;
  /** Until the reply ended in any way; `undefined` while it streams. */
  readonly duration: number | undefined;
  /** The number of text deltas (tokens, as the server sent them). */
  readonly textDeltas: number;
  /**
   * Text deltas per second: `textDeltas` divided by the seconds from the first text delta to the
   * last. `undefined` until two have arrived at different times: in different network chunks, a
   * tick of the clock apart (`performance.now()`, whose resolution browsers coarsen, e.g. to 0.1 ms).
   */
  readonly deltasPerSecond: number | undefined;
  /** The longest time between two consecutive deltas (text or reasoning). `undefined` before the second. */
  readonly longestGap: number | undefined;
}

/**
 * One message of the conversation: who wrote it and its parts. The status fields describe an
 * assistant reply and are `undefined` on user and system messages. Immutable: a change makes a new
 * message, and a message that did not change keeps its identity (`===`) across snapshots.
 */
export interface ChatMessage {
  /** Unique within the conversation (by default `"m1"`, `"m2"`…): a stable React `key`. */
  readonly id: string;
  readonly role: ChatRole;
  /** Its parts, in stream order. Use {@link messageText} for its text. */
  readonly parts: readonly MessagePart[];
  /** The reply's {@link MessageStatus}. */
  readonly status?: MessageStatus | undefined;
  /** Why the model stopped, normalised, once the reply is `done`. */
  readonly finishReason?: FinishReason | undefined;
  /** The reply's `finish` part (finish reason and usage, normalised and raw), once `done`. */
  readonly finish?: FinishPart | undefined;
  /** Token usage, normalised, when the format reported it. */
  readonly usage?: Usage | undefined;
  /** Why the reply failed, when its status is `error`. Usually a `TokenStreamError`. */
  readonly error?: Error | undefined;
  /** The reply's {@link ReplyMetrics}, from the moment its request started. */
  readonly metrics?: ReplyMetrics | undefined;
}

/**
 * The text of a message: its text parts joined (`""` when it has none). Reasoning, refusals and
 * tool calls are not text.
 *
 * @example
 * ```tsx
 * messages.map((m) => <p key={m.id}>{messageText(m)}</p>)
 * ```
 */
export function messageText(message: ChatMessage): string {
  let text = '';
  for (const part of message.parts) if (part.type === 'text') text += part.text;
  return text;
}

type GrowingPart = TextUIPart | ReasoningUIPart | RefusalUIPart;

// The accumulator behind each growing text part, so that a long reply's text stays flat in memory
// (see TextAccumulator) while every step still makes a new, immutable part.
const accumulators = new WeakMap<MessagePart, TextAccumulator>();

/**
 * Updates the tool part of `toolCallId` in `parts` (in place), or appends a new one (named
 * `toolName`, `""` when unknown) when there is none.
 */
export function updateTool(parts: MessagePart[], toolCallId: string, toolName: string | undefined, patch: Partial<ToolUIPart> | undefined): void {
  let index = parts.length;
  while (--index >= 0 && !(parts[index]!.type === 'tool' && (parts[index] as ToolUIPart).toolCallId === toolCallId));
  if (index < 0) index = parts.push({ type: 'tool', toolCallId, toolName: toolName ?? '', state: 'input-streaming', input: undefined }) - 1;
  parts[index] = { ...(parts[index] as ToolUIPart), ...patch };
}

type ToolStreamPart = ToolInputStartPart | ToolInputDeltaPart | ToolCallPart | ToolResultPart | ToolErrorPart;

/** The change a `tool-…` part makes to its call's {@link ToolUIPart} (none for a type it does not know). */
function toolPatch(part: ToolStreamPart): Partial<ToolUIPart> | undefined {
  const { type } = part;
  if (type === 'tool-input-start') return {};
  if (type === 'tool-input-delta') return { input: part.input };
  if (type === 'tool-call') {
    return part.invalid
      ? {
          toolName: part.toolName,
          state: 'output-error',
          input: part.input,
          inputText: part.inputText,
          invalid: true,
          error: part.error,
          errorText: part.error?.message ?? `Invalid input for tool ${part.toolName}`,
        }
      : { toolName: part.toolName, state: 'input-available', input: part.input };
  }
  if (type === 'tool-result') return { state: 'output-available', output: part.output };
  if (type === 'tool-error') return { state: 'output-error', errorText: part.errorText, ...('input' in part ? { input: part.input } : {}) };
}

/**
 * Folds stream parts into an assistant message: the one pure function behind the chat store.
 * Returns a new message (the same one when nothing changed); unchanged parts keep their identity.
 *
 * - `text-delta`, `reasoning-delta`, `refusal-delta` append to the last part when it is of the
 *   same kind, else start a new part;
 * - `tool-input-start`, `tool-input-delta`, `tool-call`, `tool-result`, `tool-error` create and
 *   update the call's {@link ToolUIPart};
 * - sources and files are appended; a data part replaces the earlier one with the same `type`
 *   and `id`, else is appended; transient data parts are not kept;
 * - `finish` sets `finishReason`, `finish` and `usage` (the status is the store's to set).
 *
 * A `submitted` message becomes `streaming` with its first part.
 *
 * @example A message built from `streamParts`, without a store:
 * ```ts
 * let reply: ChatMessage = { id: 'r1', role: 'assistant', parts: [], status: 'submitted' };
 * for await (const part of streamParts(url, { protocol: anthropicProtocol, body })) {
 *   reply = applyParts(reply, [part]);
 *   render(reply);
 * }
 * ```
 */
export function applyParts(message: ChatMessage, parts: readonly StreamPart[]): ChatMessage {
  const list = message.parts.slice();
  const { status } = message;
  let { finishReason, finish, usage } = message;
  let changed = status === 'submitted' && parts.length > 0;
  for (const part of parts) {
    const { type } = part;
    // Only a transient data part or an error part (never yielded by the client) changes nothing.
    if (type === 'error' || (part as DataPart).transient) continue;
    changed = true;
    if (type === 'text-delta' || type === 'reasoning-delta' || type === 'refusal-delta') {
      // Grows the last part when it is of the same kind, else starts one.
      const kind = type.slice(0, -6) as GrowingPart['type'];
      const last = list[list.length - 1];
      const grown = last?.type === kind ? last : undefined;
      let text = grown && accumulators.get(grown);
      if (!text || text.text !== grown!.text) {
        text = new TextAccumulator();
        if (grown) text.append(grown.text);
      }
      const next = { type: kind, text: text.append(part.delta) };
      accumulators.set(next, text);
      list[grown ? list.length - 1 : list.length] = next;
    } else if (type.startsWith('tool-')) {
      const tool = part as ToolStreamPart;
      const patch = toolPatch(tool);
      // A call the provider runs stays marked so (unless its input is invalid: then it failed).
      if ((tool as ToolCallPart).providerExecuted && !(tool as ToolCallPart).invalid) (patch as { providerExecuted?: true }).providerExecuted = true;
      updateTool(list, tool.toolCallId, (tool as ToolResultPart).toolName, patch);
    } else if (type === 'finish') {
      ({ finishReason, usage } = part);
      finish = part;
    } else {
      // Sources, files and data parts; a data part replaces the earlier one with its `type` and `id`.
      const { id } = part as DataPart;
      const index = type.startsWith('data-') && id !== undefined ? list.findIndex((p) => p.type === type && (p as DataPart).id === id) : -1;
      list[index < 0 ? list.length : index] = part as MessagePart;
    }
  }
  if (!changed) return message;
  return { ...message, parts: list, status: status === 'submitted' ? 'streaming' : status, finishReason, finish, usage };
}

/**
 * True when the last message is an assistant reply that ended `done` with client-side tool calls
 * (not `providerExecuted`), every one of which has its result (`output-available` or `output-error`): the condition for sending the
 * results back to the model. For `sendAutomaticallyWhen`.
 *
 * @example
 * ```ts
 * createChatStore({ url, sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls, onToolCall });
 * ```
 */
export function lastAssistantMessageIsCompleteWithToolCalls({ messages }: { readonly messages: readonly ChatMessage[] }): boolean {
  const last = messages[messages.length - 1];
  if (last?.role !== 'assistant' || last.status !== 'done') return false;
  const tools = last.parts.filter((part): part is ToolUIPart => part.type === 'tool' && !part.providerExecuted);
  return tools.length > 0 && tools.every((tool) => tool.state === 'output-available' || tool.state === 'output-error');
}
