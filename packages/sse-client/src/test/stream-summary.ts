// What one streamed reply said, reduced to the fields every format shares, so that the official
// SDKs' final objects and this package's stream parts can be compared field by field.

/** A tool call, as both sides report it. */
export interface SummaryToolCall {
  /** The call's id (`call_…`, `toolu_…`, `srvtoolu_…`). */
  readonly id: string;
  /** The tool's name. */
  readonly name: string;
  /** The parsed input (arguments). */
  readonly input: unknown;
}

/** A tool result the format carried (Anthropic server tool results, AI SDK tool outputs). */
export interface SummaryToolResult {
  /** The id of the call it answers. */
  readonly id: string;
  /** The result as sent. */
  readonly output: unknown;
}

/** One reply, normalised only in shape: the values are each format's own. */
export interface StreamSummary {
  /** The answer text, all pieces joined. */
  readonly text: string;
  /** The reasoning text (thinking, or its summary), all pieces joined. */
  readonly reasoning: string;
  /** The refusal text, all pieces joined. */
  readonly refusal: string;
  /** The tool calls, in the order they began. */
  readonly toolCalls: readonly SummaryToolCall[];
  /** The tool results, in the order they came. */
  readonly toolResults: readonly SummaryToolResult[];
  /** The format's own finish reason (`"stop"`, `"tool_use"`, `"completed"`…), when it sent one. */
  readonly finishReason: string | undefined;
  /** The format's own usage object, when it sent one. */
  readonly usage: Readonly<Record<string, unknown>> | undefined;
}
