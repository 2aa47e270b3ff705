import { applyParts, messageText, updateTool, type ChatMessage } from './chat-messages.js';
import { createMetricsRecorder, type MetricsRecorder } from './chat-metrics.js';
import { scheduleFlush, type ChatBatch } from './chat-scheduler.js';
import type { ChatRequest, ChatRetry, ChatSendOptions, ChatSnapshot, ChatStore, ChatStoreOptions } from './chat-types.js';
import { notify, reportCallbackError, TokenStreamError } from './errors.js';
import type { JsonBody } from './fetch-event-stream.js';
import { isJsonBody, toRetryPolicy } from './options.js';
import type { DataPart } from './protocols/types.js';
import { streamPartBatches } from './stream-parts.js';

const defaultBody = ({ prompt }: ChatRequest): JsonBody => ({ prompt });

/** When a change notifies the listeners (see `commit`). */
type Notify = 'now' | 'batched' | 'held';

/** A reply in flight. */
interface Run {
  /** Its assistant message's id, and the user message it added (if any). */
  readonly reply: string;
  readonly user: string | undefined;
  /** The messages before and just after it added its own: to leave no trace when superseded before its request went out. */
  readonly before: readonly ChatMessage[];
  readonly after: readonly ChatMessage[];
  readonly controller: AbortController;
  readonly metrics: MetricsRecorder;
  /** Whether its request went out (set once it does). */
  sent?: true;
}

/**
 * Creates a {@link ChatStore}.
 *
 * @example
 * ```ts
 * const chat = createChatStore({ url: '/chat/stream' });
 * chat.subscribe(() => {
 *   const { status, messages } = chat.getSnapshot();
 *   list.replaceChildren(...messages.map((m) => row(m.role, messageText(m)))); // text, never HTML
 *   stopButton.disabled = status !== 'submitted' && status !== 'streaming';
 * });
 * await chat.send('Tell me a story');
 * const reply = chat.getSnapshot().messages.at(-1);
 * console.log(reply?.status, reply?.finishReason, reply?.usage, reply?.metrics?.timeToFirstToken);
 * ```
 */
export function createChatStore(initialOptions: ChatStoreOptions): ChatStore {
  let options = initialOptions;
  let messages: readonly ChatMessage[] = initialOptions.initialMessages ?? [];
  let snapshot: ChatSnapshot | undefined;
  const listeners = new Set<() => void>();
  let run: Run | undefined;
  // The HTTP retry in progress for `run` (ChatSnapshot.retry).
  let retry: ChatRetry | undefined;
  // Sends waiting for the reply in flight (`whileStreaming: 'queue'`): called with `true` to send, `false` to drop.
  let queue: ((go: boolean) => void)[] = [];
  let nextId = 0;
  // Changed since the listeners were last notified.
  let dirty = false;
  // The cancel of the scheduled notification, or false when none is.
  let scheduled: (() => void) | false = false;
  // ('frame' and ms) Notified since the last frame (or interval) boundary: what notifies "at once"
  // waits for the next one. The scheduled callback that follows each notification clears it.
  let recent = false;
  const batching = (): ChatBatch => options.batch ?? 'frame';

  // The default ids skip those already taken (by initialMessages, or setMessages).
  function generateId(): string {
    if (options.generateId) return options.generateId();
    let id: string;
    do id = `m${++nextId}`;
    while (messages.some((message) => message.id === id));
    return id;
  }

  function cancelScheduled(): void {
    const cancel = scheduled;
    scheduled = false;
    recent = false;
    if (cancel) cancel();
  }

  /** Notifies the listeners of what changed; with 'frame' or ms, then asks for the next boundary. */
  function flush(): void {
    if (!dirty) return;
    dirty = false;
    if (listeners.size === 0) return;
    const batch = batching();
    if (batch === 'frame' || typeof batch === 'number') {
      recent = true;
      schedule();
    }
    for (const listener of [...listeners]) notify(listener);
  }

  /** Asks `batch`'s scheduler for one callback (unless one is pending): it ends the mark, and flushes what is pending. */
  function schedule(): void {
    const batch = batching();
    if (scheduled || batch === false || listeners.size === 0) return;
    scheduled = () => undefined;
    const cancel = scheduleFlush(batch, () => {
      scheduled = false; // (nothing to cancel any more)
      recent = false;
      flush();
    });
    // A custom scheduler may have flushed already.
    if (scheduled) scheduled = cancel;
  }

  /**
   * Makes `next` the messages and notifies: `'batched'` (at the next frame, interval or custom
   * flush, as `batch` says), `'now'` (at once; with 'frame' or ms, at the next boundary when the
   * listeners were already notified since the last one), or `'held'` (not yet: the caller notifies next).
   */
  function commit(next: readonly ChatMessage[], when: Notify = 'batched'): void {
    if (next !== messages) {
      messages = next;
      snapshot = undefined;
      dirty = true;
    }
    const batch = batching();
    if (when === 'held' || !dirty) return;
    if (batch === false || (when === 'now' && typeof batch === 'function')) {
      cancelScheduled();
      flush();
    } else if (when === 'now' && !recent) flush();
    else schedule();
  }

  /** Shows (or clears) the HTTP retry in progress of `current`, when it is still the reply in flight; notifies as the actions do. */
  function setRetry(current: Run, next: ChatRetry | undefined): void {
    if (run !== current || retry === next) return;
    retry = next;
    snapshot = undefined;
    dirty = true;
    commit(messages, 'now');
  }

  /** No reply in flight any more, nor its retry. */
  function endRun(): void {
    run = undefined;
    if (retry) {
      retry = undefined;
      snapshot = undefined;
    }
  }

  function find(id: string): number {
    let index = messages.length;
    while (--index >= 0 && messages[index]!.id !== id);
    return index;
  }

  function update(id: string, change: (message: ChatMessage) => ChatMessage, when?: Notify): ChatMessage | undefined {
    const index = find(id);
    if (index < 0) return undefined;
    const next = change(messages[index]!);
    commit(next === messages[index] ? messages : messages.map((message, i) => (i === index ? next : message)), when);
    return next;
  }

  /**
   * Ends the reply in flight: aborted, or removed with its user message when its request has not
   * gone out yet. The caller notifies.
   */
  function abortRun(): void {
    const current = run;
    if (!current) return;
    endRun();
    current.controller.abort();
    if (current.sent) update(current.reply, (message) => ({ ...message, status: 'aborted', metrics: current.metrics.end() }), 'held');
    else commit(messages === current.after ? current.before : messages.filter(({ id }) => id !== current.reply && id !== current.user), 'held');
  }

  /**
   * Drops the queued sends and aborts the reply in flight (as `abortRun`), then makes `next` the
   * messages, notifying at once (of the abort too when `next` throws: that reaches the caller).
   */
  function setMessages(next: readonly ChatMessage[] | ((messages: readonly ChatMessage[]) => readonly ChatMessage[])): void {
    const dropped = queue;
    queue = [];
    for (const drop of dropped) drop(false);
    abortRun();
    let result = messages;
    try {
      result = typeof next === 'function' ? next(messages) : next;
    } finally {
      commit(result, 'now');
    }
  }

  /**
   * With no reply in flight, runs the next queued send, or (when `automatic`) sends automatically
   * instead when `sendAutomaticallyWhen` says so.
   */
  function next(automatic: boolean): void {
    if (run) return;
    let again = false;
    try {
      again = automatic && options.sendAutomaticallyWhen?.(getSnapshot()) === true;
    } catch (error) {
      reportCallbackError(error);
    }
    if (again) void start(undefined, undefined, false);
    else queue.shift()?.(true);
  }

  function end(current: Run, status: 'done' | 'error', error?: Error): void {
    endRun();
    const patch = { status, metrics: current.metrics.end(), ...(error ? { error } : {}) };
    const message = update(current.reply, (reply) => ({ ...reply, ...patch }), 'now');
    if (message) {
      if (!error) notify(options.onFinish, message);
      else notify(options.onError, error, message);
    }
    next(status === 'done');
  }

  function request(sendOptions: ChatSendOptions | undefined, input: string | undefined, regenerate: boolean): Promise<void> {
    if (run) {
      const policy = options.whileStreaming ?? 'abort';
      if (policy === 'queue') {
        return new Promise((resolve) => queue.push((go) => (go ? start(sendOptions, input, regenerate).then(resolve) : resolve())));
      }
      if (policy !== 'abort') {
        const reply = messages[find(run.reply)];
        if (reply) notify(options.onError, new TokenStreamError('A reply is still streaming'), reply);
        return Promise.resolve();
      }
      abortRun();
    }
    return start(sendOptions, input, regenerate);
  }

  /** Ends a send that sends nothing: notifies a reply aborted just before, and runs the next queued send. */
  function unsent(): void {
    commit(messages);
    next(false);
  }

  async function start(sendOptions: ChatSendOptions | undefined, input: string | undefined, regenerate: boolean): Promise<void> {
    const before = messages;
    let history = before;
    if (regenerate) {
      let last = history.length;
      while (--last >= 0 && history[last]!.role !== 'user');
      if (last < 0) return unsent();
      history = history.slice(0, last + 1);
    }
    let user: ChatMessage | undefined;
    let reply: ChatMessage;
    try {
      if (input !== undefined) user = { id: generateId(), role: 'user', parts: [{ type: 'text', text: input }] };
      reply = { id: generateId(), role: 'assistant', parts: [], status: 'submitted' };
    } catch (error) {
      // No message without an id: nothing is added or sent, and (send never rejects) the error
      // is reported as a callback's is.
      reportCallbackError(error);
      return unsent();
    }
    if (user) history = [...history, user];
    const after = [...history, reply];
    const current: Run = {
      reply: reply.id,
      user: user?.id,
      before,
      after,
      controller: new AbortController(),
      metrics: createMetricsRecorder(),
    };
    run = current;
    commit(after);
    // The request starts in a microtask: a send superseded before then leaves no trace.
    await undefined;
    if (run !== current) return;
    current.sent = true;
    const {
      url,
      body = defaultBody,
      // The store's own options, not the request's.
      initialMessages: _initialMessages,
      generateId: _generateId,
      whileStreaming: _whileStreaming,
      batch: _batch,
      sendAutomaticallyWhen: _sendAutomaticallyWhen,
      onFinish: _onFinish,
      onError: _onError,
      onData: _onData,
      onToolCall: _onToolCall,
      // (`onComment` and `onRetry` are passed on: the client reports what they throw.)
      ...requestOptions
    } = options;
    // Whatever fails from here fails the reply (`body`, the send's headers, the `retry` option,
    // the protocol's decoder, the request, the stream): send never rejects.
    let source: ReturnType<typeof streamPartBatches> | undefined;
    try {
      // The `retry` policy as an object (no retries: a `limit` of 0), to show its retries.
      const policy = toRetryPolicy(requestOptions.retry);
      const sent = history.filter((message) => message.role !== 'assistant' || message.parts.length > 0);
      let prompt = '';
      for (const message of sent) if (message.role === 'user') prompt = messageText(message);
      let requestBody = body({ prompt, messages: sent, body: sendOptions?.body });
      if (sendOptions?.body !== undefined && isJsonBody(requestBody) && !Array.isArray(requestBody)) requestBody = { ...requestBody, ...sendOptions.body };
      if (sendOptions?.headers !== undefined) {
        // (`requestOptions` is this request's own copy.)
        const headers = new Headers(requestOptions.headers);
        new Headers(sendOptions.headers).forEach((value, name) => headers.set(name, value));
        requestOptions.headers = headers;
      }
      source = streamPartBatches(url, {
        ...requestOptions,
        body: requestBody,
        signal: current.controller.signal,
        onResponse(response) {
          current.metrics.response();
          // The stream begins: no retry in progress any more (another status fails or is retried).
          if (response.status === 200) setRetry(current, undefined);
        },
        retry: {
          ...policy,
          onRetry(info) {
            setRetry(current, info);
            notify(policy.onRetry, info);
          },
        },
      });
      for (;;) {
        const batch = await source.next();
        if (run !== current) return;
        if (batch.done) break;
        const parts = batch.value;
        const metrics = current.metrics.parts(parts);
        // The last chunk (it ends with the finish part) is notified with the status `done`, at once.
        const when = parts[parts.length - 1]?.type === 'finish' ? 'held' : 'batched';
        update(
          current.reply,
          (message) => {
            const folded = applyParts(message, parts);
            return folded === message && metrics === message.metrics ? message : { ...folded, metrics };
          },
          when,
        );
        for (const part of parts) {
          if (part.type.startsWith('data-')) notify(options.onData, part as DataPart);
          else if (part.type === 'tool-call' && !part.invalid && !part.providerExecuted) notify(options.onToolCall, part);
          // A callback may have stopped this reply, or sent another.
          if (run !== current) return;
        }
      }
    } catch (error) {
      // (Unless a callback, `body` among them, stopped this reply or sent another.)
      if (run === current) end(current, 'error', error instanceof Error ? error : new TokenStreamError(String(error), { cause: error }));
      return;
    } finally {
      // Leaving early (stopped, superseded) closes the request; after its end, this does nothing.
      source?.return(undefined as never).catch(() => undefined);
    }
    end(current, 'done');
  }

  function getSnapshot(): ChatSnapshot {
    if (snapshot) return snapshot;
    const last = messages[messages.length - 1];
    const reply = last?.role === 'assistant' && last.status !== undefined ? last : undefined;
    return (snapshot = {
      status: reply?.status ?? 'idle',
      messages,
      error: reply?.error,
      text: reply ? messageText(reply) : '',
      finish: reply?.finish,
      retry,
    });
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) cancelScheduled();
      };
    },
    getSnapshot,
    hasListeners: () => listeners.size > 0,
    send: (input, sendOptions) => request(sendOptions, input, false),
    regenerate: (sendOptions) => request(sendOptions, undefined, true),
    stop: () => setMessages((current) => current),
    reset: () => setMessages([]),
    setMessages,
    addToolResult(result) {
      for (let i = messages.length; --i >= 0; ) {
        const message = messages[i]!;
        if (!message.parts.some((part) => part.type === 'tool' && part.toolCallId === result.toolCallId)) continue;
        const parts = message.parts.slice();
        updateTool(
          parts,
          result.toolCallId,
          undefined,
          'errorText' in result ? { state: 'output-error', errorText: result.errorText } : { state: 'output-available', output: result.output },
        );
        update(message.id, () => ({ ...message, parts }), 'now');
        next(true);
        return;
      }
    },
    setOptions(next) {
      options = next;
    },
  };
}

