import {
  createChatStore,
  type ChatSnapshot,
  type ChatStore,
  type ChatStoreOptions,
} from '@tokenstream/sse-client';
import { useEffect, useState, useSyncExternalStore } from 'react';

/** Options for {@link useChatStream}: the chat store's options ({@link ChatStoreOptions}). */
export type UseChatStreamOptions = ChatStoreOptions;

/** What {@link useChatStream} returns: the store's current snapshot plus its actions. */
export interface UseChatStreamResult extends ChatSnapshot {
  /** Sends a prompt and streams the reply; aborts a reply still in flight first. Never rejects. */
  send: ChatStore['send'];
  /** Aborts the reply in flight; status becomes `aborted`, the partial text stays. */
  stop: ChatStore['stop'];
  /** Aborts any reply in flight and clears the conversation. */
  reset: ChatStore['reset'];
}

/**
 * Streams chat replies into a React component: `useSyncExternalStore` over a
 * {@link createChatStore | chat store} from `@tokenstream/sse-client`.
 *
 * - The component re-renders at most once per network chunk, not once per token.
 * - The latest `options` are used by each `send` (callbacks are never stale); the store is created
 *   once per component instance and never recreated.
 * - Unmounting the component aborts the reply in flight, so the server stops generating.
 *
 * @example
 * ```tsx
 * function Chat() {
 *   const { messages, status, error, send, stop } = useChatStream({ url: '/chat/stream' });
 *   return (
 *     <>
 *       {messages.map((m) => <p key={m.id}>{m.content}</p>)}
 *       {error && <p role="alert">{error.message}</p>}
 *       <button onClick={() => send('Hello')}>Send</button>
 *       <button onClick={stop} disabled={status !== 'streaming'}>Stop</button>
 *     </>
 *   );
 * }
 * ```
 */
export function useChatStream(options: UseChatStreamOptions): UseChatStreamResult {
  const [store] = useState(() => createChatStore(options));
  useEffect(() => {
    store.setOptions(options);
  });
  useEffect(() => () => store.stop(), [store]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return { ...snapshot, send: store.send, stop: store.stop, reset: store.reset };
}
