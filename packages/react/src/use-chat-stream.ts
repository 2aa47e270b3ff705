import {
  createChatStore,
  type ChatSnapshot,
  type ChatStore,
  type ChatStoreOptions,
} from '@tokenstream/sse-client';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';


/**
 * Options of a {@link useChatStream} that creates its own store: the chat store's options
 * ({@link ChatStoreOptions}, applied on every render: callbacks are never stale), plus how long the
 * store outlives its component.
 */
export interface UseChatStreamOwnStoreOptions extends ChatStoreOptions {
  /** No store given: the hook creates one, once per component instance. */
  store?: undefined;
  /**
   * How long, in milliseconds, the reply in flight survives its component's effects being
   * cleaned up before it is stopped (`store.stop()`: the request is aborted, the server sees the
   * connection close). If the effects run again within that time, nothing is stopped.
   *
   * Effects are cleaned up and run again, with the component's state kept, by Strict Mode's
   * simulated unmount and remount (development only; at once, so any value works) and by React
   * 19's `<Activity mode="hidden">` then `"visible"` (a tab switch, a collapsed panel: as long as the
   * user keeps it hidden). When the component really unmounts, its effects never run again and the
   * reply is stopped once this time has passed, unless another component still subscribes to the
   * store then (it got `store` from this hook and reads it with `useChatStore`): then the reply
   * goes on, and nothing stops it when that component leaves later (a store tells no one when its
   * last listener leaves): call `store.stop()` there if it should stop.
   *
   * The default, 5 s, keeps a reply through a brief hide (a glance at another tab) and stops, a few
   * seconds after the user closed the chat, a generation nobody will read and that is still billed
   * per token (at typical speeds, a few hundred tokens at most). A finite number ≥ 0, or
   * `Infinity` never to stop on unmount (then call `store.stop()` yourself). Values above
   * 2^31 − 1 ms (about 24.8 days, the longest `setTimeout` delay) wait that long.
   *
   * @defaultValue 5000
   * @throws RangeError (when rendering) if it is negative or `NaN`.
   */
  unmountGracePeriod?: number | undefined;
}

/**
 * Options of a {@link useChatStream} that binds a store made elsewhere (with `createChatStore`,
 * or by another component's `useChatStream`): the store keeps its own options, and no component's
 * unmount ever stops it.
 */
export interface UseChatStreamSharedStoreOptions {
  /**
   * The store to show and drive. The hook never creates another one and never stops this one: its
   * lifetime is its creator's. Pass the same store to several components to share one
   * conversation.
   */
  store: ChatStore;
}

/**
 * Options for {@link useChatStream}: either the chat store's options (the hook creates the store;
 * see {@link UseChatStreamOwnStoreOptions}), or `{ store }` (see {@link UseChatStreamSharedStoreOptions}).
 */
export type UseChatStreamOptions = UseChatStreamOwnStoreOptions | UseChatStreamSharedStoreOptions;

/** What {@link useChatStream} returns: the store's current snapshot, its actions, and the store itself. */
export interface UseChatStreamResult extends ChatSnapshot {
  /** Adds the user's message and streams the reply (see `ChatStore.send`). Never rejects. Stable across renders. */
  send: ChatStore['send'];
  /** Re-sends the last user message; its reply replaces the last assistant reply (see `ChatStore.regenerate`). */
  regenerate: ChatStore['regenerate'];
  /** Aborts the reply in flight; its status becomes `aborted`, its partial content stays. */
  stop: ChatStore['stop'];
  /** Aborts any reply in flight and clears the conversation (see `ChatStore.reset`). */
  reset: ChatStore['reset'];
  /** Replaces the messages (or maps them with a function); aborts a reply in flight first. */
  setMessages: ChatStore['setMessages'];
  /** Gives a client-side tool call its result (or error), e.g. from `onToolCall`. */
  addToolResult: ChatStore['addToolResult'];
  /** The store: pass it to child components' {@link useChatStore} to let them subscribe to one field. */
  store: ChatStore;
}

/** The chat store's options without the hook's own (`store`, `unmountGracePeriod`). */
function chatStoreOptions(options: UseChatStreamOwnStoreOptions): ChatStoreOptions {
  const { store: _store, unmountGracePeriod: _unmountGracePeriod, ...storeOptions } = options;
  return storeOptions;
}


/**
 * Streams a chat into a React component: a {@link ChatStore} from `@tokenstream/sse-client`
 * (created by the hook, or passed as `store`) read with `useSyncExternalStore`.
 *
 * Lifecycle rules:
 * - A store the hook creates is created once per component instance (never recreated) and takes
 *   the latest options after every render, so callbacks always see the latest props.
 * - Its reply in flight is stopped when its component really unmounts, `unmountGracePeriod`
 *   (5 s) after the unmount, unless another component still reads the store then. Strict Mode's
 *   simulated unmount and remount, and `<Activity>` hiding then showing it within the grace
 *   period, neither stop nor duplicate its reply: under Strict Mode, a component that sends on
 *   mount sends one request and shows one user message (the store drops a send superseded before
 *   its request went out). `<Activity>` runs the component's own effects again when it shows it,
 *   so an effect that sends on mount should send only into an empty conversation
 *   (`if (store.getSnapshot().messages.length === 0)`).
 * - A store passed as `store` keeps its own options and is never stopped by a component: several
 *   components can share one conversation.
 * - Re-renders follow the store's notifications: at most once per frame while a reply streams
 *   (the store's `batch` option), not once per token.
 * - Server rendering shows the store's snapshot (`initialMessages`) and never fetches: requests
 *   start only from `send` and `regenerate`, which belong in effects and event handlers. Hydration
 *   reads the same snapshot, so it matches.
 *
 * @example
 * ```tsx
 * function Chat() {
 *   const { messages, status, error, retry, send, stop } = useChatStream({ url: '/chat/stream', retry: 2 });
 *   return (
 *     <>
 *       {messages.map((message) => <p key={message.id}>{messageText(message)}</p>)}
 *       {retry && <p role="status">Retrying (attempt {retry.attempt})…</p>}
 *       {error && <p role="alert">{error.message}</p>}
 *       <button onClick={() => send('Hello')}>Send</button>
 *       <button onClick={stop} disabled={status !== 'submitted' && status !== 'streaming'}>Stop</button>
 *     </>
 *   );
 * }
 * ```
 *
 * @example
 * ```tsx
 * // One conversation in two places: the store outlives both components.
 * const chat = createChatStore({ url: '/chat/stream' });
 * function Sidebar() {
 *   const { messages } = useChatStream({ store: chat });
 *   return <p>{messages.length} messages</p>;
 * }
 * ```
 */
export function useChatStream(options: UseChatStreamOptions): UseChatStreamResult {
  const shared = options.store;
  const [created, setCreated] = useState(() => (shared ? undefined : createChatStore(chatStoreOptions(options))));
  let own = created;
  if (!shared && !own) {
    // The component passed a store before and no longer does: it creates its own now.
    own = createChatStore(chatStoreOptions(options));
    setCreated(own);
  }
  const store = shared ?? own!;
  // `unmountGracePeriod`, 5000 ms (5 seconds) by default.
  const grace = shared ? undefined : (options.unmountGracePeriod ?? 5000);
  if (grace !== undefined && !(grace >= 0)) throw new RangeError(`unmountGracePeriod must be >= 0 ms, got ${grace}`);

  useEffect(() => {
    if (!shared) store.setOptions(chatStoreOptions(options));
  });

  // The stop scheduled by the last cleanup: kept across Strict Mode's remount and <Activity>'s
  // hide and show (the component's state survives both), cancelled when the effect runs again.
  const pendingStop = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    if (grace === undefined) return;
    clearTimeout(pendingStop.current);
    pendingStop.current = undefined;
    return () => {
      if (grace === Infinity) return;
      // (At most 2^31 − 1 ms, about 24.8 days: the longest delay `setTimeout` honours; longer ones fire at once.)
      pendingStop.current = setTimeout(() => {
        pendingStop.current = undefined;
        // Another component still shows it (useChatStore(store)): that one keeps it alive.
        if (!store.hasListeners()) store.stop();
      }, Math.min(grace, 2_147_483_647));
    };
  }, [store, grace]);

  // The whole snapshot, as `useChatStore(store)` reads it, without the selector machinery.
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return {
    ...snapshot,
    send: store.send,
    regenerate: store.regenerate,
    stop: store.stop,
    reset: store.reset,
    setMessages: store.setMessages,
    addToolResult: store.addToolResult,
    store,
  };
}
