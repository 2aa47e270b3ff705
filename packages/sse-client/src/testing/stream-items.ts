/**
 * One item of the reply a wire-format builder writes (`openAIChatEvents`, `openAIResponsesEvents`,
 * `anthropicEvents`, `aiSdkUIMessageEvents`, `tokenEvents`), in stream order:
 *
 * - a string: a text delta (a token);
 * - `{ type: 'reasoning', text }`: a piece of the model's reasoning, in the format's reasoning event;
 * - `{ type: 'tool-call', toolName, input }`: a tool call whose arguments stream as JSON text in
 *   pieces: `inputDeltas` exactly when given (so a test can stream invalid or cut-off arguments),
 *   else `JSON.stringify(input)` in three pieces. `toolCallId` defaults to `call_1`, `call_2`… in
 *   the order of the calls;
 * - `{ type: 'tool-result', toolCallId, output }`: a tool's result, for the formats that carry
 *   results (the AI SDK UI message stream); the other builders throw a `TypeError` for it.
 *
 * A builder whose format has no such event (the default `{"token"}` format has no reasoning or
 * tool calls) throws a `TypeError` for the item, rather than drop it silently.
 *
 * @example
 * ```ts
 * openAIChatEvents([
 *   { type: 'reasoning', text: 'The user wants the weather.' },
 *   'Let me check. ',
 *   { type: 'tool-call', toolName: 'get_weather', input: { city: 'Paris' } },
 * ], { type: 'done', finishReason: 'tool_calls' });
 * ```
 */
export type StreamItem =
  | string
  | { readonly type: 'reasoning'; readonly text: string }
  | {
      readonly type: 'tool-call';
      readonly toolCallId?: string | undefined;
      readonly toolName: string;
      readonly input?: unknown;
      readonly inputDeltas?: readonly string[] | undefined;
    }
  | { readonly type: 'tool-result'; readonly toolCallId: string; readonly toolName?: string | undefined; readonly output: unknown };

/** A tool-call {@link StreamItem} with its defaults filled in. @internal */
export interface ToolCallItem {
  readonly toolCallId: string;
  readonly toolName: string;
  /** The argument text's pieces, in order. */
  readonly inputDeltas: readonly string[];
}

/** Splits `text` into `count` pieces of about equal length (fewer when it is shorter). @internal */
export function splitInto(text: string, count: number): string[] {
  const pieces: string[] = [];
  const size = Math.max(1, Math.ceil(text.length / count));
  for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
  return pieces;
}

/**
 * Expands the tool-call items of a reply: ids `call_1`, `call_2`… by default, argument text in
 * three pieces unless `inputDeltas` says otherwise.
 *
 * @internal
 */
export function toolCallItem(item: Extract<StreamItem, { type: 'tool-call' }>, index: number): ToolCallItem {
  return {
    toolCallId: item.toolCallId ?? `call_${index + 1}`,
    toolName: item.toolName,
    inputDeltas: item.inputDeltas ?? splitInto(JSON.stringify(item.input ?? {}), 3),
  };
}

/** The `TypeError` a builder throws for an item its format cannot carry. @internal */
export function unsupportedItem(format: string, item: StreamItem): TypeError {
  const type = typeof item === 'string' ? 'text' : item.type;
  return new TypeError(`The ${format} wire format has no ${type} events`);
}
