// Runs a protocol's decoder over a body given in chunks, as the client does (UTF-8 decoded in
// streaming mode, then parsed), without a request: for tests of a protocol's parts.
import { expect } from 'vitest';
import { createParser } from '../parse.js';
import type { StreamPart, StreamProtocol } from '../protocols/types.js';
import { chunkings } from '../testing/chunking.js';

/**
 * Every part `protocol`'s decoder gives for a body sent in `chunks` (decoded text, or bytes decoded
 * as UTF-8 in streaming mode), in stream order, flattened. Unlike the client, it reads on after a
 * `finish` or `error` part, so a test that compares the whole list also sees a part that would
 * follow one. A decoder's throw leaves this function.
 */
export function decodeParts(protocol: StreamProtocol, chunks: Iterable<string | Uint8Array>): StreamPart[] {
  const decode = protocol.createDecoder();
  const parts: StreamPart[] = [];
  const parser = createParser({
    onEvent(event) {
      const decoded = decode(event);
      if (decoded === undefined) return;
      if (Array.isArray(decoded)) parts.push(...(decoded as readonly StreamPart[]));
      else parts.push(decoded as StreamPart);
    },
  });
  const decoder = new TextDecoder();
  for (const chunk of chunks) parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  parser.feed(decoder.decode());
  return parts;
}

/**
 * The parts `protocol` decodes from `events`, checked to be the same under every chunking of their
 * bytes: whole, one byte per chunk, and random pieces of 1–16 bytes (seeds 1, 2, 3). A chunking
 * that gives other parts fails the test with its name.
 */
export function decodePartsUnderEveryChunking(protocol: StreamProtocol, events: readonly string[]): StreamPart[] {
  const [whole, ...others] = chunkings(new TextEncoder().encode(events.join('')), { twoWaySplits: false, seeds: [1, 2, 3] });
  const parts = decodeParts(protocol, whole!.chunks);
  for (const { name, chunks } of others) expect(decodeParts(protocol, chunks), name).toEqual(parts);
  return parts;
}
