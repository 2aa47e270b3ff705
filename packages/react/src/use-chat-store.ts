import type { ChatSnapshot, ChatStore } from '@tokenstream/sse-client';
import { useMemo, useSyncExternalStore } from 'react';

const identity = (snapshot: ChatSnapshot): ChatSnapshot => snapshot;

/**
 * `getSnapshot` for `useSyncExternalStore`: `selector(store.getSnapshot())`, computed once per
 * snapshot, and the previous selection itself while `isEqual` says it has not changed (so
 * `useSyncExternalStore`, which compares with `Object.is`, skips the re-render).
 */
function memoizedSelection<Selection>(
  store: ChatStore,
  selector: (snapshot: ChatSnapshot) => Selection,
  isEqual: (a: Selection, b: Selection) => boolean,
): () => Selection {
  let memo: { readonly snapshot: ChatSnapshot; readonly selection: Selection } | undefined;
  return () => {
    const snapshot = store.getSnapshot();
    if (memo !== undefined && memo.snapshot === snapshot) return memo.selection;
    const next = selector(snapshot);
    const selection = memo !== undefined && isEqual(memo.selection, next) ? memo.selection : next;
    memo = { snapshot, selection };
    return selection;
  };
}

/**
 * Subscribes a component to a {@link ChatStore} made anywhere (outside React, by another
 * component's {@link useChatStream}, in a context): zustand's `useStore(api, selector)` over the
 * store's `subscribe` and `getSnapshot`, through `useSyncExternalStore`.
 *
 * - Without `selector`, returns the whole {@link ChatSnapshot}: the component re-renders on every
 *   notification of the store (at most once per frame while a reply streams: the store's `batch`
 *   scheduler decides when listeners run, not this hook).
 * - With `selector`, returns `selector(snapshot)` and re-renders only when that value changes, by
 *   `Object.is` or by `isEqual` when given (e.g. a shallow comparison for a derived array: the
 *   previous array is returned while they are equal). The selector may be an inline function; one
 *   defined outside the component (or with `useCallback`) is also not called again for a snapshot
 *   it has already seen.
 * - Only subscribes: it never sends, stops or aborts anything, so any number of components can
 *   read one conversation, and unmounting one of them changes nothing for the others.
 * - Server rendering and hydration read the store's own snapshot (its `initialMessages`).
 *
 * @param store - The chat store to read, e.g. from `createChatStore` or `useChatStream(...).store`.
 * @param selector - Picks what the component shows from the snapshot; must be pure.
 *   @defaultValue the identity: the whole snapshot
 * @param isEqual - Says whether two selections are the same, so that no re-render is needed.
 *   @defaultValue `Object.is`
 * @returns The selected value (the snapshot without `selector`).
 *
 * @example
 * ```tsx
 * // One conversation, made outside React and shown by several components.
 * const chat = createChatStore({ url: '/chat/stream' });
 *
 * function Status() {
 *   const status = useChatStore(chat, (snapshot) => snapshot.status); // re-renders on status changes only
 *   return <p>{status}</p>;
 * }
 *
 * function MessageCount() {
 *   const count = useChatStore(chat, (snapshot) => snapshot.messages.length);
 *   return <p>{count} messages</p>;
 * }
 * ```
 */
export function useChatStore(store: ChatStore): ChatSnapshot;
export function useChatStore<Selection>(
  store: ChatStore,
  selector: (snapshot: ChatSnapshot) => Selection,
  isEqual?: (a: Selection, b: Selection) => boolean,
): Selection;
export function useChatStore<Selection>(
  store: ChatStore,
  selector: (snapshot: ChatSnapshot) => Selection = identity as (snapshot: ChatSnapshot) => Selection,
  isEqual: (a: Selection, b: Selection) => boolean = Object.is,
): Selection {
  const getSelection = useMemo(() => memoizedSelection(store, selector, isEqual), [store, selector, isEqual]);
  const value = useSyncExternalStore(store.subscribe, getSelection, getSelection);
  return value;
}
