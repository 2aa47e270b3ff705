export {
  useChatStream,
  type UseChatStreamOptions,
  type UseChatStreamOwnStoreOptions,
  type UseChatStreamSharedStoreOptions,
  type UseChatStreamResult,
} from './use-chat-stream.js';
export { useChatStore } from './use-chat-store.js';
// Like @tanstack/react-query, the binding re-exports the core: one import for React users.
export * from '@tokenstream/sse-client';
