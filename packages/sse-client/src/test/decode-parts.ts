// Runs a protocol's decoder over a body given in chunks, as the client does (UTF-8 decoded in
// streaming mode, then parsed), without a request: for tests of a protocol's parts.
import { createParser } from '../parse.js';
import type { StreamPart, StreamProtocol } from '../protocols/types.js';

/**
 * The parts `protocol` decodes from a body sent in `chunks` (strings or bytes), up to and with the
 * first `finish` or `error` part (nothing after it is read, as in the client). A decoder's throw
 * leaves this function.
 */
export function decodeParts(protocol: StreamProtocol, chunks: Iterable<string | Uint8Array>): StreamPart[] {
  const decode = protocol.createDecoder();
  const parts: StreamPart[] = [];
  let ended = false;
  const parser = createParser({
    onEvent(event) {
      if (ended) return;
      const decoded = decode(event);
      for (const part of decoded === undefined ? [] : Array.isArray(decoded) ? decoded : [decoded as StreamPart]) {
        parts.push(part);
        if (part.type === 'finish' || part.type === 'error') {
          ended = true;
          return;
        }
      }
    },
  });
  const decoder = new TextDecoder();
  for (const chunk of chunks) parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  parser.feed(decoder.decode());
  return parts;
}

/** The bytes of the events, joined: the input of `chunkings`. */
export function bytesOf(events: readonly string[]): Uint8Array {
  return new TextEncoder().encode(events.join(''));
}
