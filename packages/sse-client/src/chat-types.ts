import type { ChatMessage, ChatStatus } from './chat-messages.js';
import type { ChatBatch } from './chat-scheduler.js';
import type { JsonBody } from './fetch-event-stream.js';
import type { DataPart, FinishPart, ToolCallPart } from './protocols/types.js';
import type { StreamPartsOptions } from './stream-parts.js';

// The chat store's public types: its snapshot, options and actions (the store is in chat-store.ts).

/**
 * The store's state at one moment: the conversation, and its latest reply's status. A new object
 * whenever anything changed, never mutated, so `getSnapshot() === getSnapshot()` until the next
 * change (what `useSyncExternalStore` needs).
 */
export interface ChatSnapshot {
  /** The latest reply's status (the last message's, when it is an assistant reply); `idle` when there is none. */
  readonly status: ChatStatus;
  /** The conversation, oldest first. A message that did not change keeps its identity (`===`). */
  readonly messages: readonly ChatMessage[];
  /** Why the latest reply failed, when `status` is `error`; else `undefined`. Usually a `TokenStreamError`. */
  readonly error: Error | undefined;
  /** The latest reply's text (`messageText` of it; `""` before the first token). Kept for compatibility. */
  readonly text: string;
  /** The latest reply's `finish` part (finish reason and usage), once it is `done`. Kept for compatibility. */
  readonly finish: FinishPart | undefined;
  /**
   * The HTTP retry in progress for the reply in flight, for a "retrying…" notice; else
   * `undefined`. Retries happen only with the `retry` option (see {@link ChatRetry}).
   *
   * Set when an attempt failed and is about to be retried (before the wait of `retry.delay`
   * milliseconds; `retry.onRetry` is called after it is set), replaced at each further retry,
   * and `undefined` again once a retried attempt gets its 200 response (the stream begins) or
   * the reply ends (`done`, `error`, `aborted`). `status` stays `submitted` meanwhile (or
   * `streaming`, for a `reconnect` whose request is retried). Listeners are notified of both
   * changes as of the user's actions (at once, or at the next frame: see {@link ChatBatch}).
   *
   * Not the SSE `retry:` field: the store's `onRetry` option reports that one (the server's
   * reconnection delay), and it never makes a retry.
   */
  readonly retry: ChatRetry | undefined;
}

/**
 * An HTTP retry of a reply's request ({@link ChatSnapshot.retry}): what the client passes to
 * `retry.onRetry` (the same object; see `RetryOptions` for which failures are retried and how the
 * wait is computed).
 */
export interface ChatRetry {
  /** The retry being made: 1 for the first (the request's second attempt). */
  readonly attempt: number;
  /** The wait before it, in milliseconds (after jitter and `Retry-After`). */
  readonly delay: number;
  /** What caused it: the `HTTPError` of the retried status (its `body` not read) or the `NetworkError`. */
  readonly error: unknown;
}

/** What the store passes to `body` to build a request's body. */
export interface ChatRequest {
  /** The text of the last user message (the one just sent, or the one `regenerate` re-sends). */
  readonly prompt: string;
  /**
   * The conversation the reply answers, ending with the user's message (or, for an automatic
   * send, with the tool results). Replies with no parts (stopped or failed before anything
   * arrived) are left out: they are never sent back as empty assistant messages.
   */
  readonly messages: readonly ChatMessage[];
  /** The `body` given to this `send` or `regenerate`, if any. */
  readonly body: Readonly<Record<string, unknown>> | undefined;
}

/** Options for one `send` or `regenerate`, for its request only. */
export interface ChatSendOptions {
  /** Merged over the body `body` built, when that is a plain object (and passed to `body` as `request.body`). */
  body?: Record<string, unknown> | undefined;
  /** Merged over the store's `headers` (a header given here wins). */
  headers?: HeadersInit | undefined;
}

/** The result of a client-side tool, for `addToolResult`: its output, or why it failed. */
export type ChatToolResult =
  | { readonly toolCallId: string; readonly output: unknown }
  | { readonly toolCallId: string; readonly errorText: string };

/**
 * Options for {@link createChatStore}: the request options of `streamParts` (`fetch`, `headers`,
 * timeouts, `retry`, `reconnect`, `protocol`…), plus these.
 *
 * Two options have "retry" in their name: `retry` makes HTTP retries (of a failed request; the
 * snapshot's `retry` shows one in progress, and `retry.onRetry` is called before each wait),
 * while `onRetry` reports the server's SSE `retry:` field (a reconnection delay in ms).
 *
 * The callbacks are notifications: one that throws is reported (with `reportError` where the
 * platform has it, else `console.error`) and changes nothing. Only `body` can fail a reply: no
 * request can be made without it.
 */
export interface ChatStoreOptions extends Omit<StreamPartsOptions, 'body' | 'signal' | 'onPart'> {
  /** The streaming endpoint, e.g. `"/chat/stream"`. */
  url: string | URL;
  /**
   * Builds a request's body from the conversation (see {@link ChatRequest}; the request builders
   * `toOpenAIChatMessages`, `toOpenAIResponsesInput`, `toAnthropicMessages` and `toUIMessages`
   * give each format's shape). A plain object or array is sent as JSON. When it throws, no request
   * is made: the reply fails with that error (status `error`, `onError`).
   * @defaultValue `({ prompt }) => ({ prompt })`, the body of `docs/wire-formats.md` §1 servers
   */
  body?: ((request: ChatRequest) => JsonBody | BodyInit) | undefined;
  /** The conversation to start with (and `idle`, unless its last message is a reply with a status). @defaultValue `[]` */
  initialMessages?: readonly ChatMessage[] | undefined;
  /**
   * Makes the id of each new message. Keep it deterministic where server and client both render.
   * When it throws, that send adds and sends nothing (a reply it would have aborted still is) and
   * resolves; the error is reported (`reportError`, else `console.error`), as a callback's is.
   * @defaultValue `"m1"`, `"m2"`… (a counter per store, skipping ids the conversation already has)
   */
  generateId?: (() => string) | undefined;
  /**
   * What a `send` or `regenerate` does while a reply is in flight (`submitted` or `streaming`):
   * - `'abort'`: abort that reply (it keeps what arrived, status `aborted`) and send;
   * - `'queue'`: send once it has ended (its messages are added then); `stop`, `reset` and
   *   `setMessages` drop the queued sends;
   * - `'reject'`: send nothing and change nothing; `onError` is called with a `TokenStreamError`.
   *
   * A send whose request has not gone out yet (it starts in a microtask) leaves no trace when it
   * is superseded by another send (`'abort'`) or stopped (`stop`, `reset`, `setMessages`): its
   * user message and reply are removed. So Strict Mode's doubled effects (send, send; or send,
   * cleanup's `stop`, send) make exactly one request and one user message with `'abort'` and
   * `'reject'`; with `'queue'`, two sends in one task are two requests.
   * @defaultValue `'abort'`
   */
  whileStreaming?: 'abort' | 'queue' | 'reject' | undefined;
  /**
   * When listeners are notified: see {@link ChatBatch}. With `'frame'` (and a number of ms), at
   * most once per animation frame (interval), the end of a reply and the actions included.
   * @defaultValue `'frame'`
   */
  batch?: ChatBatch | undefined;
  /**
   * Asked after a reply ended `done` and after `addToolResult` (when no reply is in flight): when
   * it returns `true`, the store sends the conversation again with no new user message, and the
   * new reply follows as a new assistant message. Use `lastAssistantMessageIsCompleteWithToolCalls`
   * to send the results of client-side tools back to the model. A throw is reported and counts as `false`.
   */
  sendAutomaticallyWhen?: ((snapshot: ChatSnapshot) => boolean) | undefined;
  /**
   * Called when a reply ends `done`, with its final message, once `getSnapshot()` says so; the
   * listeners may be notified of it later (at the next frame when they were notified in this one:
   * see {@link ChatBatch}).
   */
  onFinish?: ((message: ChatMessage) => void) | undefined;
  /**
   * Called when a reply fails (not when it is stopped), with the error and the reply's message,
   * once `getSnapshot()` says `error` (the listeners may be notified later, as for `onFinish`).
   * Also called, with the reply in flight, when `whileStreaming: 'reject'` refuses a send.
   */
  onError?: ((error: Error, message: ChatMessage) => void) | undefined;
  /** Called with each data part (`data-…`) as it arrives, transient ones included (those are not kept in the message). */
  onData?: ((part: DataPart) => void) | undefined;
  /**
   * Called with each complete, valid tool call the model asks the client to run (not the
   * provider-executed ones), after the message shows it `input-available`: run the tool and
   * answer with `addToolResult`, now or later.
   */
  onToolCall?: ((toolCall: ToolCallPart) => void) | undefined;
}

/**
 * A framework-free, subscribable chat: messages made of parts, a status per reply, and the
 * actions. The core of `useChatStream`, usable from any UI library or none.
 */
export interface ChatStore {
  /**
   * Calls `listener` after changes, batched as `batch` says (by default at most once per animation
   * frame, the end of a reply, `stop`, `reset`, `setMessages` and `addToolResult` included: those
   * notify at once unless the listeners were already notified in this frame, else at the next).
   * See {@link ChatBatch}.
   * Returns the function that unsubscribes it. A listener that throws is reported; the others are
   * still called and nothing else changes.
   */
  subscribe(listener: () => void): () => void;
  /** The current {@link ChatSnapshot}: always up to date, whatever the batching. */
  getSnapshot(): ChatSnapshot;
  /** True while at least one listener is subscribed (what a binding checks before it stops the store). */
  hasListeners(): boolean;
  /**
   * Adds `input` as a user message and a `submitted` assistant reply (at once), then streams the
   * reply into it (its request starts in a microtask). A reply in flight is handled as
   * `whileStreaming` says. Resolves when this reply has ended (in any way), or at once when it
   * was not sent; never rejects: failures go to the reply's `error` and to `onError`. When it
   * resolves, `getSnapshot()` is final and `onFinish`/`onError` have run; the listeners may be
   * notified of the end at the next frame (see {@link ChatBatch}).
   */
  send(input: string, options?: ChatSendOptions): Promise<void>;
  /**
   * Sends the last user message again: its replies are replaced by a new one. Resolves as `send`
   * does; at once when there is no user message.
   */
  regenerate(options?: ChatSendOptions): Promise<void>;
  /**
   * Aborts the reply in flight (the server sees the connection close): status `aborted`, what
   * arrived is kept. A reply whose request has not gone out yet is removed with its user message.
   * Drops queued sends. No-op otherwise.
   */
  stop(): void;
  /** Aborts any reply in flight, drops queued sends and clears the conversation: `[]` and `idle`. */
  reset(): void;
  /**
   * Replaces the messages (or maps them), after aborting any reply in flight as `stop` does. A
   * function that throws changes nothing more (the abort stays, and is notified); its error is thrown.
   */
  setMessages(messages: readonly ChatMessage[] | ((messages: readonly ChatMessage[]) => readonly ChatMessage[])): void;
  /**
   * Records a client-side tool's result on its call (`output-available`, or `output-error` with
   * `errorText`), then asks `sendAutomaticallyWhen` when no reply is in flight. An unknown
   * `toolCallId` changes nothing.
   */
  addToolResult(result: ChatToolResult): void;
  /** Replaces the options used from now on (callbacks and the next request; `initialMessages` is read once). */
  setOptions(options: ChatStoreOptions): void;
}
