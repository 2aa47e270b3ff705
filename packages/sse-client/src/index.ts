export type { ServerSentEvent } from './types.js';
export {
  createParser,
  DEFAULT_MAX_EVENT_SIZE,
  type EventSourceParser,
  type ParserCallbacks,
  type ParserOptions,
} from './parse.js';
export { parseEventStream, type ParseEventStreamOptions } from './parse-event-stream.js';
export {
  fetchEventStream,
  type EventStreamRequestInit,
  type JsonBody,
  type ReconnectOptions,
} from './fetch-event-stream.js';
export { DEFAULT_IDLE_TIMEOUT } from './request-scope.js';
export type { RetryOptions } from './retry.js';
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
export {
  createChatStore,
  type ChatMessage,
  type ChatRequest,
  type ChatSnapshot,
  type ChatStatus,
  type ChatStore,
  type ChatStoreOptions,
} from './chat-store.js';
export {
  ContentTypeError,
  EventTooLargeError,
  HTTPError,
  IncompleteStreamError,
  isTokenStreamError,
  MAX_ERROR_BODY_BYTES,
  NetworkError,
  ProtocolError,
  ServerStreamError,
  TimeoutError,
  TokenStreamError,
  type PartialTextErrorOptions,
  type RequestDescription,
  type TokenStreamErrorOptions,
} from './errors.js';
