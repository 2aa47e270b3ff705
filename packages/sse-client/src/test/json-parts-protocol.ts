// A minimal custom protocol for the tests of streamParts: each event's data is the JSON of one
// part, or of an array of parts. It emits whatever the test writes, every part type included,
// without depending on the built-in wire formats.
import type { StreamPart, StreamProtocol } from '../protocols/types.js';
import { jsonEvent } from '../testing/index.js';

/**
 * `data: <part as JSON>` (or an array of parts) → those parts. Data that is not JSON throws (a
 * malformed event); events of another type than `message` are ignored.
 */
export const jsonPartsProtocol: StreamProtocol = {
  name: 'json-parts',
  createDecoder: () => (event) => (event.type === 'message' ? (JSON.parse(event.data) as StreamPart | StreamPart[]) : undefined),
};

/** One event per part (an array is written as one event carrying several parts). */
export function partEvents(parts: readonly (StreamPart | readonly StreamPart[])[]): string[] {
  return parts.map((part) => jsonEvent(part));
}
