/**
 * Test doubles for code that consumes event streams (`@tokenstream/sse-client/testing`):
 * a recording fake `fetch`, scripted streamed responses (chunking, delays, faults), a response
 * the test writes step by step, failed responses, and builders for the wire format of each
 * built-in protocol. Framework-free and dependency-free: works in vitest and jest, in jsdom,
 * Node and browsers; delays run on the global `setTimeout`, so fake timers control them.
 * See `docs/testing.md` for recipes.
 *
 * @module
 */
export { createFakeFetch, type FakeFetch, type FakeFetchAnswer, type FakeFetchHandler, type RecordedRequest } from './fake-fetch.js';
export { sseResponse, type SseResponseOptions } from './sse-response.js';
export { sseBody, type SseBodyOptions, type StreamFault } from './sse-body.js';
export type { ChunkingStrategy } from './chunking-strategy.js';
export type { EventStreamResponseInit } from './response-init.js';
export {
  createControlledResponse,
  type ControlledResponseInit,
  type ResponseController,
} from './controlled-response.js';
export { errorResponse, type ErrorResponseInit } from './error-response.js';
export { wrongContentTypeResponse, type WrongContentTypeResponseInit } from './wrong-content-type-response.js';
export { encodeItem, type EventItem } from './encode.js';
export { formatEvent, jsonEvent, type EventInit } from './format.js';
export type { StreamEnding, Usage } from './stream-ending.js';
export type { StreamItem } from './stream-items.js';
export { tokenEvents, type TokenStreamEnd } from './token-events.js';
export { openAIChatEvents } from './openai-chat-events.js';
export { openAIResponsesEvents } from './openai-responses-events.js';
export { anthropicEvents } from './anthropic-events.js';
export { aiSdkUIMessageEvents } from './ai-sdk-events.js';
export { readableFromChunks, type ReadableFromChunksOptions } from './readable-stream.js';
export {
  allTwoWaySplits,
  chunkings,
  createRandom,
  oneChunk,
  splitAt,
  splitEvery,
  splitIntoUnits,
  splitRandomly,
  type Chunkable,
  type Chunking,
  type ChunkingsOptions,
  type SplitRandomlyOptions,
} from './chunking.js';
