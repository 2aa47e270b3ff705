export type { ServerSentEvent } from './types.js';
export {
  createParser,
  DEFAULT_MAX_EVENT_SIZE,
  type EventSourceParser,
  type ParserCallbacks,
  type ParserOptions,
} from './parse.js';
export { parseEventStream, parseEventStreamBatches, type ParseEventStreamOptions } from './parse-event-stream.js';
export { fetchEventStream } from './fetch-event-stream.js';
export {
  DEFAULT_IDLE_TIMEOUT,
  type EventStreamRequestInit,
  type JsonBody,
  type ReconnectOptions,
  type RetryOptions,
} from './options.js';
export { streamTokens, type StreamTokensOptions, type TokenStream } from './stream-tokens.js';
export { streamParts, type PartStream, type PartStreamResult, type StreamPartsOptions } from './stream-parts.js';
export {
  aiSdkUIMessageProtocol,
  anthropicProtocol,
  openAIChatProtocol,
  openAIResponsesProtocol,
  tokenProtocol,
} from './protocols/index.js';
export type {
  DataPart,
  ErrorPart,
  FilePart,
  FinishPart,
  FinishReason,
  ReasoningDeltaPart,
  RefusalDeltaPart,
  SourceDocumentPart,
  SourceUrlPart,
  StreamDecoder,
  StreamPart,
  StreamProtocol,
  TextDeltaPart,
  ToolCallPart,
  ToolErrorPart,
  ToolInputDeltaPart,
  ToolInputStartPart,
  ToolResultPart,
  Usage,
} from './protocols/types.js';
export {
  createPartialJSONParser,
  DEFAULT_MAX_JSON_DEPTH,
  parsePartialJSON,
  PartialJSONError,
  type PartialJSONErrorReason,
  type PartialJSONParser,
  type PartialJSONParserOptions,
} from './partial-json.js';
export { createChatStore } from './chat-store.js';
export type {
  ChatRequest,
  ChatRetry,
  ChatSendOptions,
  ChatSnapshot,
  ChatStore,
  ChatStoreOptions,
  ChatToolResult,
} from './chat-types.js';
export {
  applyParts,
  lastAssistantMessageIsCompleteWithToolCalls,
  messageText,
  type ChatMessage,
  type ChatRole,
  type ChatStatus,
  type MessagePart,
  type MessageStatus,
  type ReasoningUIPart,
  type RefusalUIPart,
  type ReplyMetrics,
  type TextUIPart,
  type ToolUIPart,
} from './chat-messages.js';
export type { ChatBatch } from './chat-scheduler.js';
export {
  toAnthropicMessages,
  toOpenAIChatMessages,
  toOpenAIResponsesInput,
  toUIMessages,
  type AnthropicMessage,
  type OpenAIChatMessage,
  type OpenAIResponsesInputItem,
  type UIMessage,
  type UIMessagePart,
  type UIToolPart,
} from './chat-requests.js';
export {
  ContentTypeError,
  EventTooLargeError,
  HTTPError,
  IncompleteStreamError,
  isTokenStreamError,
  MAX_ERROR_BODY_BYTES,
  NetworkError,
  ProtocolError,
  ReconnectLimitError,
  ServerStreamError,
  TimeoutError,
  TokenStreamError,
  RequestError,
  type ContentTypeErrorInit,
  type EventTooLargeErrorInit,
  type HTTPErrorInit,
  type NetworkErrorInit,
  type ProtocolErrorInit,
  type ReconnectLimitErrorInit,
  type RequestDescription,
  type RequestErrorInit,
  type ServerStreamErrorInit,
  type TimeoutErrorInit,
  type TokenStreamErrorOptions,
} from './errors.js';
