import { TokenStreamError } from './errors.js';
import type { JsonBody } from './fetch-event-stream.js';
import type { FinishPart } from './protocols/types.js';
import { streamTokenBatches, type StreamTokensOptions } from './stream-tokens.js';
import { TextAccumulator } from './text-accumulator.js';

/**
 * Where a chat stands:
 * - `idle`: nothing sent yet (or after `reset()`);
 * - `streaming`: a request is in flight (before the first token too);
 * - `done`: the last reply ended with its terminator;
 * - `error`: the last reply failed (see `error`; the partial text is kept);
 * - `aborted`: the last reply was stopped with `stop()` (the partial text is kept).
 */
export type ChatStatus = 'idle' | 'streaming' | 'done' | 'error' | 'aborted';

/** One message of the conversation. */
export interface ChatMessage {
  /** Unique within the store (`"m1"`, `"m2"`, …): a stable React `key`. */
  readonly id: string;
  /** Who wrote it. */
  readonly role: 'user' | 'assistant';
  /** Its text; for the reply in flight, the text so far. */
  readonly content: string;
}

/**
 * The store's state at one moment. A new object whenever anything changes, never mutated, so
 * `getSnapshot() === getSnapshot()` until the next change (what `useSyncExternalStore` needs).
 */
export interface ChatSnapshot {
  /** See {@link ChatStatus}. */
  readonly status: ChatStatus;
  /**
   * The text of the latest reply (in flight or ended); `""` before the first token. After a failure
   * it equals the error's `text` (tokens before a bad event are shown first). Kept flat as it grows,
   * so a long reply holds memory proportional to its length, not to its number of chunks.
   */
  readonly text: string;
  /** Why the latest reply failed, when `status` is `"error"`; else `undefined`. Usually a {@link TokenStreamError}. */
  readonly error: Error | undefined;
  /**
   * How the latest reply finished, when `status` is `"done"`; else `undefined`: its `finish` part,
   * with `finishReason` normalised (`'stop'`, `'length'`, `'content-filter'`, `'tool-calls'`,
   * `'error'`, `'other'`) and the format's own value as `rawFinishReason`, and, when the format
   * reports it, `usage` normalised (`inputTokens`, `outputTokens`, `totalTokens`…) beside its
   * own object, `rawUsage`.
   */
  readonly finish: FinishPart | undefined;
  /** The conversation: each `send` adds the user's message and the assistant's reply. */
  readonly messages: readonly ChatMessage[];
}

/** What the store passes to `body` to build the request body of a `send`. */
export interface ChatRequest {
  /** The prompt given to `send`. */
  readonly prompt: string;
  /** The conversation before the reply, ending with the user's new message. */
  readonly messages: readonly ChatMessage[];
}

/**
 * Options for {@link createChatStore}: the request options of {@link streamTokens}, plus these.
 *
 * The callbacks (`onFinish`, `onError`, and the request's `onComment` and `onRetry`) are
 * notifications: one that throws is reported (with `reportError` where the platform has it,
 * else `console.error`) and changes nothing: the store's state follows the stream, and `send`
 * still resolves. Only `body` can fail a `send`: no request can be made without it.
 */
export interface ChatStoreOptions extends Omit<StreamTokensOptions, 'body' | 'signal' | 'onToken'> {
  /** The streaming endpoint, e.g. `"/chat/stream"`. */
  url: string | URL;
  /**
   * Builds the request body for a `send`. A plain object or array is sent as JSON. When it
   * throws, no request is made: the reply fails with that error (status `error`, `onError`).
   * @defaultValue `({ prompt }) => ({ prompt })`, the body of `docs/wire-formats.md` §1 servers
   */
  body?: ((request: ChatRequest) => JsonBody | BodyInit) | undefined;
  /**
   * Called when a reply ends with its terminator, with its text and finish information, after the
   * snapshot says `done`. A throw is reported, not propagated: the status stays `done`.
   */
  onFinish?: ((result: { text: string; finish: FinishPart }) => void) | undefined;
  /**
   * Called when a reply fails (not when it is stopped), with the error also put in the snapshot,
   * after the snapshot says `error`. A throw is reported, not propagated: the snapshot keeps the
   * reply's error, not the callback's.
   */
  onError?: ((error: Error) => void) | undefined;
}

/**
 * A framework-free, subscribable chat state machine: the core of `useChatStream`, usable from
 * any UI library or none.
 */
export interface ChatStore {
  /**
   * Calls `listener` after every change (at most once per network chunk while streaming, not once
   * per token). Returns the function that unsubscribes it.
   *
   * A listener that throws is reported (with `reportError` where the platform has it, else
   * `console.error`); the other listeners are still called, the state is unchanged and `send`,
   * `stop` and `reset` do not throw or reject because of it.
   */
  subscribe(listener: () => void): () => void;
  /** The current {@link ChatSnapshot}. */
  getSnapshot(): ChatSnapshot;
  /**
   * Sends `prompt` and streams the reply into the snapshot. A reply still in flight is aborted
   * first. Resolves when this reply has ended (in any way); it never rejects: failures go to the
   * snapshot's `error` and to `onError`. The state follows the stream, never the callbacks: a
   * listener, `onFinish` or `onError` that throws is reported (with `reportError` where the
   * platform has it, else `console.error`) and changes neither the status nor the result.
   */
  send(prompt: string): Promise<void>;
  /** Aborts the reply in flight (the server sees the connection close); status becomes `aborted`. No-op otherwise. */
  stop(): void;
  /** Aborts any reply in flight and clears the conversation: back to `idle`. */
  reset(): void;
  /** Replaces the options used by the next `send` (callbacks take effect at once). */
  setOptions(options: ChatStoreOptions): void;
}

const INITIAL: ChatSnapshot = { status: 'idle', text: '', error: undefined, finish: undefined, messages: [] };

const defaultBody = ({ prompt }: ChatRequest): JsonBody => ({ prompt });

/** Reports an error thrown by a user callback: `reportError` where it exists (browsers, Deno, Bun), else `console.error`. */
function reportCallbackError(error: unknown): void {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else console.error(error);
}

/** Calls a user callback; whatever it throws is reported, never propagated. */
function notify<Args extends unknown[]>(callback: ((...args: Args) => void) | undefined, ...args: Args): void {
  if (callback === undefined) return;
  try {
    callback(...args);
  } catch (error) {
    reportCallbackError(error);
  }
}

/**
 * Creates a {@link ChatStore}.
 *
 * @example
 * ```ts
 * const chat = createChatStore({ url: '/chat/stream' });
 * chat.subscribe(() => {
 *   const { status, text } = chat.getSnapshot();
 *   output.textContent = text; // text, never HTML
 *   stopButton.disabled = status !== 'streaming';
 * });
 * await chat.send('Tell me a story');
 * ```
 */
export function createChatStore(initialOptions: ChatStoreOptions): ChatStore {
  let options = initialOptions;
  let snapshot = INITIAL;
  const listeners = new Set<() => void>();
  let controller: AbortController | undefined;
  // Each send gets a number; a run whose number is no longer current has been superseded and
  // writes nothing more.
  let current = 0;
  let nextId = 0;

  function set(patch: Partial<ChatSnapshot>): void {
    snapshot = { ...snapshot, ...patch };
    for (const listener of [...listeners]) notify(listener);
  }

  function withReply(content: string): readonly ChatMessage[] {
    const messages = snapshot.messages.slice();
    const last = messages[messages.length - 1];
    if (last?.role === 'assistant') messages[messages.length - 1] = { ...last, content };
    return messages;
  }

  function cancel(): void {
    current += 1;
    controller?.abort();
    controller = undefined;
  }

  async function send(prompt: string): Promise<void> {
    cancel();
    const run = current;
    const ownController = new AbortController();
    controller = ownController;
    const user: ChatMessage = { id: `m${++nextId}`, role: 'user', content: prompt };
    const history = [...snapshot.messages, user];
    const { url, body = defaultBody, onFinish: _onFinish, onError: _onError, onComment, onRetry, ...requestOptions } = options;
    set({
      status: 'streaming',
      text: '',
      error: undefined,
      finish: undefined,
      messages: [...history, { id: `m${++nextId}`, role: 'assistant', content: '' }],
    });
    const text = new TextAccumulator();
    try {
      const source = streamTokenBatches(url, {
        ...requestOptions,
        body: body({ prompt, messages: history }),
        signal: ownController.signal,
        onComment: onComment && ((comment) => notify(onComment, comment)),
        onRetry: onRetry && ((retry) => notify(onRetry, retry)),
      });
      for (;;) {
        const next = await source.next();
        if (run !== current) return;
        if (next.done) {
          controller = undefined;
          set({ status: 'done', text: next.value.text, finish: next.value.finish, messages: withReply(next.value.text) });
          notify(options.onFinish, next.value);
          return;
        }
        const soFar = text.append(next.value.join(''));
        set({ text: soFar, messages: withReply(soFar) });
      }
    } catch (caught) {
      if (run !== current) return; // stopped, reset or superseded: already reported
      controller = undefined;
      const error = caught instanceof Error ? caught : new TokenStreamError(String(caught), { cause: caught });
      set({ status: 'error', error });
      notify(options.onError, error);
    }
  }

  function stop(): void {
    if (snapshot.status !== 'streaming') return;
    cancel();
    set({ status: 'aborted' });
  }

  function reset(): void {
    cancel();
    if (snapshot !== INITIAL) set(INITIAL);
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: () => snapshot,
    send,
    stop,
    reset,
    setOptions(next) {
      options = next;
    },
  };
}
