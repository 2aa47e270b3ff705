/**
 * Test doubles for code that consumes event streams: a recording fake `fetch`, streamed
 * responses built from events, and a response the test writes step by step.
 * Framework-free: works in vitest and jest, in jsdom and Node.
 *
 * @module
 */
export { formatEvent, tokenEvents, type EventInit, type TokenStreamEnd } from './format.js';
export {
  createControlledResponse,
  type ControlledResponseInit,
  type ResponseController,
} from './controlled-response.js';
export { eventStreamResponse } from './event-stream-response.js';
export { createFakeFetch, type FakeFetch, type FakeFetchHandler, type RecordedRequest } from './fake-fetch.js';
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
