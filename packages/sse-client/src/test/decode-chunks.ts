// Reads an event stream given in chunks with the event-stream parser and a protocol's decoder,
// without fetch: the parts a protocol gives for a stream, to compare across chunkings.
import { createParser } from '../parse.js';
import type { StreamPart, StreamProtocol } from '../protocols/types.js';

/**
 * Every part `protocol`'s decoder gives for the events in `chunks` (decoded text, in stream
 * order), flattened. A decoder that throws makes this throw.
 */
export function partsOf(protocol: StreamProtocol, chunks: Iterable<string>): StreamPart[] {
  const decode = protocol.createDecoder();
  const parts: StreamPart[] = [];
  const parser = createParser({
    onEvent: (event) => {
      const decoded = decode(event);
      if (decoded === undefined) return;
      if (Array.isArray(decoded)) parts.push(...(decoded as readonly StreamPart[]));
      else parts.push(decoded as StreamPart);
    },
  });
  for (const chunk of chunks) parser.feed(chunk);
  return parts;
}
