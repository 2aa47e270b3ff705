/** Line ending bytes: LF and CR (rule 5 of `docs/event-stream-parsing.md`). */
const LF = 10;
const CR = 13;

/**
 * Turns a `text/event-stream` body's bytes into text for the string parser, a run of whole lines
 * at a time. The text is exactly what one streaming `TextDecoder` gives for the whole body (rules
 * 1–4 of `docs/event-stream-parsing.md`: UTF-8 always, U+FFFD for invalid bytes, one leading byte
 * order mark removed), however the body is split into chunks.
 *
 * @internal
 */
export interface LineDecoder {
  /**
   * Hands over the text of `chunk` up to and including its last CR or LF, after the bytes held
   * before it, in one or two pieces (never concatenated: a rope would be copied when searched).
   * The bytes after it (an unfinished line) are held, not decoded, until a line ending arrives, so
   * a line spread over many chunks is decoded once. When more than `maxHeldBytes` bytes would be
   * held (so the parser can enforce `maxEventSize`), or more than 128 chunks of less than 1 KiB on
   * average, they are decoded anyway, all but the last few bytes that may begin a character still
   * incomplete.
   */
  decode(chunk: Uint8Array): void;
  /** Hands over the text of the bytes still held, at the end of the stream: a truncated character becomes U+FFFD. */
  end(): void;
}

/**
 * Creates a {@link LineDecoder}. Each piece of text is decoded in one call to a non-streaming
 * `TextDecoder`, always from a point where no character is split: on Node 20 a decoder once
 * called with `{ stream: true }` stays on a path several times slower.
 *
 * @param maxHeldBytes - The most bytes of an unfinished line held before they are decoded anyway.
 * @param onText - Called with each piece of text that is not empty, in order.
 * @internal
 */
export function createLineDecoder(maxHeldBytes: number, onText: (text: string) => void): LineDecoder {
  // The BOM is removed by hand (rule 4): a non-streaming decoder would remove one from every piece.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  // The bytes of the unfinished last line, as they arrived, `heldLength` in all.
  let held: Uint8Array[] = [];
  let heldLength = 0;
  let started = false;

  /**
   * The held bytes, then `chunk` up to `end`, in one array; the rest of `chunk` is then held
   * (copied, so that the chunk can be freed).
   */
  function join(chunk: Uint8Array, end: number): Uint8Array {
    const length = chunk.length;
    let bytes = end < length ? chunk.subarray(0, end) : chunk;
    if (heldLength > 0) {
      const parts = [...held, bytes];
      bytes = new Uint8Array(heldLength + end);
      let offset = 0;
      for (const part of parts) {
        bytes.set(part, offset);
        offset += part.length;
      }
    }
    held = end < length ? [chunk.slice(end)] : [];
    heldLength = length - end;
    return bytes;
  }

  /**
   * Decodes bytes that start where no character is split: right after a line ending, or at a
   * byte that is not a continuation byte (`10xxxxxx`). Such a byte ends any sequence still pending,
   * which becomes U+FFFD either way, so the text is the same as one streaming decoder's.
   */
  function text(bytes: Uint8Array): void {
    let text = decoder.decode(bytes);
    if (text === '') return;
    // The first text that is not empty starts at the first byte of the stream.
    if (!started) {
      started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    onText(text);
  }

  return {
    decode(chunk) {
      let end = chunk.length;
      while (end > 0 && chunk[end - 1] !== LF && chunk[end - 1] !== CR) end -= 1;
      if (end > 0) {
        // The held bytes are decoded with the chunk's first line only, so that the rest of the
        // chunk is not copied. A chunk of whole lines after no held bytes allocates nothing.
        if (heldLength > 0) {
          let first = 0;
          while (chunk[first] !== LF && chunk[first] !== CR) first += 1;
          first += 1;
          text(join(chunk.subarray(0, first), first));
          chunk = chunk.subarray(first);
          end -= first;
        }
        return text(join(chunk, end));
      }
      if (chunk.length > 0) held.push(chunk);
      heldLength += chunk.length;
      // Each chunk held costs an object: past 128 chunks of less than 1 KiB on average, they are
      // decoded (the parser bounds the memory of many short pieces).
      if (heldLength <= maxHeldBytes && (held.length < 128 || heldLength >= held.length * 1024)) return;
      // Decode up to the last lead byte (`11xxxxxx`) among the last three bytes, which may begin a
      // character still incomplete; hold the rest.
      const bytes = join(chunk.subarray(0, 0), 0);
      end = bytes.length;
      for (let at = end - 1; at >= 0 && at >= bytes.length - 3; at -= 1) {
        if (bytes[at]! >= 0xc0) {
          end = at;
          break;
        }
      }
      return text(join(bytes, end));
    },
    end: () => text(join(new Uint8Array(0), 0)),
  };
}
