/**
 * The built-in wire formats (`docs/wire-formats.md`): pass one as the `protocol` option of
 * `streamTokens` or `createChatStore`.
 *
 * @module
 */
export { tokenProtocol } from './token.js';
export { openAIChatProtocol } from './openai-chat.js';
export { openAIResponsesProtocol } from './openai-responses.js';
export { anthropicProtocol } from './anthropic.js';
export { aiSdkUIMessageProtocol } from './ai-sdk.js';
