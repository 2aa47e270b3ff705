import type { ServerSentEvent } from '../types.js';

// The part vocabulary follows the AI SDK's stream parts (`TextStreamPart` and the UI message
// stream's chunks), so that users of the field's de facto standard recognise every name.

/** A piece of answer text. */
export interface TextDeltaPart {
  readonly type: 'text-delta';
  /** The text to append (a token or a few). An empty delta is ignored: it is not a token. */
  readonly delta: string;
}

/**
 * A piece of the model's reasoning: its thinking (Anthropic `thinking_delta`, OpenAI-compatible
 * `reasoning_content` / `reasoning`, Responses `response.reasoning_text.delta`) or the summary of
 * it where the format sends only that (Responses `response.reasoning_summary_text.delta`).
 * Not answer text. An empty delta is ignored.
 */
export interface ReasoningDeltaPart {
  readonly type: 'reasoning-delta';
  /** The reasoning text to append. */
  readonly delta: string;
}

/**
 * A piece of a refusal: the model declined to answer (OpenAI Chat `delta.refusal`, Responses
 * `response.refusal.delta`). Not answer text: a UI shows it in place of the answer. An empty delta
 * is ignored.
 */
export interface RefusalDeltaPart {
  readonly type: 'refusal-delta';
  /** The refusal text to append. */
  readonly delta: string;
}

/** A tool call began: its id and the tool's name are known; its input (the arguments) streams next. */
export interface ToolInputStartPart {
  readonly type: 'tool-input-start';
  /** The call's id, unique within the reply (the provider's own: `call_…`, `toolu_…`, `fc_…`). */
  readonly toolCallId: string;
  /** The name of the tool being called. */
  readonly toolName: string;
  /** True for a tool the provider runs itself (Anthropic server tools such as web search). */
  readonly providerExecuted?: true | undefined;
}

/** A piece of a tool call's input: JSON text, and the best value parsed from all of it so far. */
export interface ToolInputDeltaPart {
  readonly type: 'tool-input-delta';
  /** The id of the call (see {@link ToolInputStartPart}). */
  readonly toolCallId: string;
  /** The JSON text to append to the call's input text. */
  readonly inputTextDelta: string;
  /**
   * The best current value of the input text so far, from the incremental partial-JSON parser
   * (see `createPartialJSONParser` for what partial values look like): frozen and structurally
   * shared with the previous delta's value. `undefined` until a value has begun, and it stays at
   * the last good value once the text turns out not to be JSON.
   */
  readonly input: unknown;
}

/**
 * A tool call whose input is complete (its arguments ended, or the reply ended).
 *
 * When the input text is not valid JSON (a model's mistake, or a reply cut by the token limit in
 * the middle of the arguments), the call is still reported, never thrown: `invalid` is `true`,
 * `error` says why, and `input` is the best partial value the text gave (`undefined` when none).
 * An empty input text means a call without arguments: `input` is `{}`.
 */
export interface ToolCallPart {
  readonly type: 'tool-call';
  /** The id of the call. */
  readonly toolCallId: string;
  /** The name of the tool being called. */
  readonly toolName: string;
  /** The parsed input (`JSON.parse` of {@link ToolCallPart.inputText}), frozen; see above when invalid. */
  readonly input: unknown;
  /** The input's JSON text exactly as it streamed. */
  readonly inputText: string;
  /** `true` when {@link ToolCallPart.inputText} is not valid JSON. */
  readonly invalid?: true | undefined;
  /** Why the input is invalid (a `PartialJSONError` with the position), when `invalid`. */
  readonly error?: Error | undefined;
  /** True for a tool the provider runs itself (its result follows as a `tool-result` part). */
  readonly providerExecuted?: true | undefined;
}

/**
 * A tool's result, where the format carries results: the AI SDK UI message stream's
 * `tool-output-available`, Anthropic's server tool results (`web_search_tool_result`…).
 */
export interface ToolResultPart {
  readonly type: 'tool-result';
  /** The id of the call this answers. */
  readonly toolCallId: string;
  /** The tool's name, when the format says it. */
  readonly toolName?: string | undefined;
  /** The result, as the format sent it. */
  readonly output: unknown;
  /** True when the provider ran the tool itself. */
  readonly providerExecuted?: true | undefined;
}

/** A tool call failed: the AI SDK UI message stream's `tool-output-error` and `tool-input-error`. */
export interface ToolErrorPart {
  readonly type: 'tool-error';
  /** The id of the call that failed. */
  readonly toolCallId: string;
  /** The tool's name, when the format says it. */
  readonly toolName?: string | undefined;
  /** What went wrong, as the server wrote it. */
  readonly errorText: string;
  /** The call's input, when the format sends it with the error. */
  readonly input?: unknown;
}

/** A source the answer cites by URL (AI SDK UI `source-url`). */
export interface SourceUrlPart {
  readonly type: 'source-url';
  /** The source's id, unique within the reply. */
  readonly sourceId: string;
  /** The source's URL. */
  readonly url: string;
  /** Its title, when known. */
  readonly title?: string | undefined;
}

/** A document the answer cites (AI SDK UI `source-document`). */
export interface SourceDocumentPart {
  readonly type: 'source-document';
  /** The source's id, unique within the reply. */
  readonly sourceId: string;
  /** The document's IANA media type (`"application/pdf"`). */
  readonly mediaType: string;
  /** Its title. */
  readonly title: string;
  /** Its file name, when known. */
  readonly filename?: string | undefined;
}

/** A file the model produced (AI SDK UI `file`): a URL, often a `data:` URL. */
export interface FilePart {
  readonly type: 'file';
  /** Where the file is: an `https:` or `data:` URL. */
  readonly url: string;
  /** The file's IANA media type (`"image/png"`). */
  readonly mediaType: string;
}

/**
 * An app-defined data part (AI SDK UI `data-<name>`, e.g. `data-weather`): structured data a
 * server streams beside the text. A later part with the same `type` and `id` replaces an earlier
 * one (the AI SDK's reconciliation rule); a `transient` part is not meant to be kept in history.
 */
export interface DataPart {
  readonly type: `data-${string}`;
  /** The part's id, when the server gave one. */
  readonly id?: string | undefined;
  /** The data, as the server sent it. */
  readonly data: unknown;
  /** True for data that is shown once and not kept in the message history. */
  readonly transient?: boolean | undefined;
}

/**
 * Why a model stopped, normalised across formats (the AI SDK's names):
 * - `stop`: it finished its answer (or hit a stop sequence);
 * - `length`: the token limit cut it (`length`, `max_tokens`, `max_output_tokens`);
 * - `content-filter`: a filter or a refusal stopped it;
 * - `tool-calls`: it stopped to have tools called;
 * - `error`: it stopped on an error the format reported as a finish;
 * - `other`: any other reason (the raw value says which).
 */
export type FinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';

/**
 * Token usage, normalised across formats: counts of tokens, `undefined` where the format did not
 * say. `reasoningTokens` and `cachedInputTokens` are present only when the format reports them.
 */
export interface Usage {
  /** Tokens of the prompt (OpenAI `prompt_tokens` / `input_tokens`, Anthropic `input_tokens`). */
  readonly inputTokens: number | undefined;
  /** Tokens generated (OpenAI `completion_tokens` / `output_tokens`, Anthropic `output_tokens`), reasoning included. */
  readonly outputTokens: number | undefined;
  /** All tokens: the format's total, else input plus output when both are known. */
  readonly totalTokens: number | undefined;
  /** Of the output, the reasoning tokens (`reasoning_tokens`). */
  readonly reasoningTokens?: number | undefined;
  /** Of the input, the tokens read from the prompt cache (`cached_tokens`, `cache_read_input_tokens`). */
  readonly cachedInputTokens?: number | undefined;
}

/** The stream ended successfully (its terminator arrived). Nothing after it is read. */
export interface FinishPart {
  readonly type: 'finish';
  /** Why generation stopped, normalised (see {@link FinishReason}). */
  readonly finishReason: FinishReason;
  /** The format's own finish reason (`"end_turn"`, `"tool_calls"`, `"max_output_tokens"`…), when it sent one. */
  readonly rawFinishReason?: string | undefined;
  /** Token usage, normalised, when the format reported it. */
  readonly usage?: Usage | undefined;
  /** The format's own usage object, as sent (merged across events where the format sends it in pieces). */
  readonly rawUsage?: Readonly<Record<string, unknown>> | undefined;
}

/** The server reported an error mid-stream. Nothing after it is read. */
export interface ErrorPart {
  readonly type: 'error';
  /** A human-readable message taken from the payload. */
  readonly message: string;
  /** The error payload as the server sent it. */
  readonly payload: unknown;
}

/** Everything a model streams, in the order it streams it. */
export type StreamPart =
  | TextDeltaPart
  | ReasoningDeltaPart
  | RefusalDeltaPart
  | ToolInputStartPart
  | ToolInputDeltaPart
  | ToolCallPart
  | ToolResultPart
  | ToolErrorPart
  | SourceUrlPart
  | SourceDocumentPart
  | FilePart
  | DataPart
  | FinishPart
  | ErrorPart;

/**
 * Maps the events of one stream to {@link StreamPart}s. Return `undefined` (or `[]`) to ignore an
 * event (keep-alives, metadata). Throw to say the event is malformed: the client turns that into a
 * {@link ProtocolError} carrying the event's data and the text so far.
 */
export type StreamDecoder = (event: ServerSentEvent) => StreamPart | readonly StreamPart[] | undefined;

/**
 * A token stream wire format: how parsed events map to parts (text, reasoning, tool calls…), the
 * end of the stream and errors. A stream that ends without a `finish` part is incomplete, never a
 * success.
 *
 * @example A custom protocol for `data: {"text": "..."}` events ended by `event: end`:
 * ```ts
 * const myProtocol: StreamProtocol = {
 *   name: 'my-format',
 *   createDecoder: () => (event) =>
 *     event.type === 'end'
 *       ? { type: 'finish', finishReason: 'stop' }
 *       : { type: 'text-delta', delta: JSON.parse(event.data).text },
 * };
 * ```
 */
export interface StreamProtocol {
  /** A short name, used in error messages. */
  readonly name: string;
  /** Creates the decoder for one stream (a decoder may keep state across that stream's events). */
  createDecoder(): StreamDecoder;
}
