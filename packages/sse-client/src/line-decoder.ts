/**
 * Turns a `text/event-stream` body's bytes into text for the string parser, one piece per chunk.
 * The text is exactly what one streaming `TextDecoder` gives for the whole body (rules 1–4 of
 * `docs/event-stream-parsing.md`: UTF-8 always, U+FFFD for invalid bytes, one leading byte order
 * mark removed), however the body is split into chunks.
 *
 * @internal
 */
export interface LineDecoder {
  /**
   * Hands over the text of `chunk`, after the bytes carried from the chunk before it, in one
   * piece: everything but a character still incomplete at its end (at most 3 bytes), which is
   * carried over to the next chunk. An unfinished line is handed over too: the parser holds its
   * text and enforces `maxEventSize` on it, so the decoder never holds more than those 3 bytes.
   */
  decode(chunk: Uint8Array): void;
  /** Hands over the text of the bytes still carried, at the end of the stream: a truncated character becomes U+FFFD. */
  end(): void;
}

/**
 * How many bytes at the end of `bytes` begin a character that is not complete yet (0 to 3): the
 * last lead byte among the last three bytes, when fewer bytes follow it than it announces. Lead
 * bytes that begin no valid sequence (`C0`, `C1`, `F5`–`FF`) are errors at once, as a streaming
 * decoder treats them, and begin nothing.
 */
function incompleteTail(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let at = length - 1; at >= 0 && at >= length - 3; at -= 1) {
    const byte = bytes[at]!;
    if (byte < 0x80) return 0; // ASCII: nothing is pending
    if (byte < 0xc0) continue; // a continuation byte: look further back
    const needed = byte < 0xc2 ? 1 : byte < 0xe0 ? 2 : byte < 0xf0 ? 3 : byte < 0xf5 ? 4 : 1;
    return length - at < needed ? length - at : 0;
  }
  return 0;
}

/**
 * Creates a {@link LineDecoder}. Each chunk is decoded in one call to a non-streaming
 * `TextDecoder` (on Node 20 a decoder once called with `{ stream: true }` stays on a path several
 * times slower), always from a point where no character is split: a character split across
 * chunks is carried by hand, its first bytes held and decoded with the next chunk's.
 *
 * Nothing longer than a chunk is joined or decoded at once: a line spread over many chunks is
 * decoded chunk by chunk, and the parser joins its text once, when its end arrives. (Holding its
 * bytes to decode them once costs a copy of the bytes and a string as long as the line on top of
 * the parser's own: measured on a 16 MiB line, both are large allocations that cost more than
 * thousands of small decodings.)
 *
 * @param onText - Called with each piece of text that is not empty, in order.
 * @internal
 */
export function createLineDecoder(onText: (text: string) => void): LineDecoder {
  // The BOM is removed by hand (rule 4): a non-streaming decoder would remove one from every piece.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  // The first bytes of a character the last chunk ended in the middle of (at most 3).
  let carried: Uint8Array | undefined;
  let started = false;

  /**
   * Decodes bytes that start where no character is split: at the start of the stream, or after
   * the carried bytes of a split character (decoded with them). A sequence the carried bytes
   * begin but that the next bytes do not continue becomes U+FFFD, as in one streaming decoder.
   */
  function hand(bytes: Uint8Array): void {
    let text = decoder.decode(bytes);
    // The first text starts at the first byte of the stream (bytes that are handed over always
    // decode to some text).
    if (!started) {
      started = true;
      text = text.replace(/^\uFEFF/, '');
    }
    if (text !== '') onText(text);
  }

  return {
    decode(chunk) {
      if (carried) {
        const joined = new Uint8Array(carried.length + chunk.length);
        joined.set(carried);
        joined.set(chunk, carried.length);
        chunk = joined;
      }
      const tail = incompleteTail(chunk);
      const end = chunk.length - tail;
      // Copied, so that the chunk can be freed.
      carried = tail > 0 ? chunk.slice(end) : undefined;
      if (end > 0) hand(tail > 0 ? chunk.subarray(0, end) : chunk);
    },
    end() {
      const bytes = carried;
      carried = undefined;
      if (bytes) hand(bytes);
    },
  };
}
