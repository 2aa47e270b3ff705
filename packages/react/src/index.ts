export { useChatStream, type UseChatStreamOptions, type UseChatStreamResult } from './use-chat-stream.js';
// Like @tanstack/react-query, the binding re-exports the core: one import for React users.
export * from '@tokenstream/sse-client';
