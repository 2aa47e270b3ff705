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
   * The text of `chunk` up to and including its last CR or LF, after the bytes held before it.
   * The bytes after it (an unfinished line) are held, not decoded, until a line ending arrives, so
   * a line spread over many chunks is decoded once. When more than `maxHeldBytes` bytes are held,
   * they are decoded anyway, up to the last whole character (so the parser can enforce
   * `maxEventSize`). May return `""`.
   */
  decode(chunk: Uint8Array): string;
  /** The text of the bytes still held, at the end of the stream: a truncated character becomes U+FFFD. */
  end(): string;
}

/**
 * How many bytes at the end of `bytes` begin a UTF-8 sequence that is not complete yet (0–3): the
 * bytes from the last lead byte on, when fewer than its sequence's length follow it. Any byte
 * that is not a continuation byte (`10xxxxxx`) ends whatever sequence was pending, so decoding
 * the bytes before it on their own gives the same text as decoding them in one stream.
 */
export function incompleteTail(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let back = 1; back <= 3 && back <= length; back += 1) {
    const byte = bytes[length - back]!;
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) return back < (byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2) ? back : 0;
  }
  return 0;
}

/**
 * Creates a {@link LineDecoder}. Each piece of text is decoded in one call to a non-streaming
 * `TextDecoder`, always from a point where no character is split (just after a line ending, or
 * before a held incomplete sequence): on Node 20 a decoder once called with `{ stream: true }`
 * stays on a path several times slower.
 *
 * @param maxHeldBytes - The most bytes of an unfinished line held before they are decoded anyway.
 * @internal
 */
export function createLineDecoder(maxHeldBytes: number): LineDecoder {
  // The BOM is removed by hand (rule 4): a non-streaming decoder would remove one from every piece.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  // The bytes of the unfinished last line, as they arrived, `heldLength` in all.
  let held: Uint8Array[] = [];
  let heldLength = 0;
  let started = false;

  /** The held bytes, then `bytes`, in one array; nothing is held afterwards. */
  function take(bytes?: Uint8Array): Uint8Array {
    const parts = held;
    let length = heldLength;
    if (bytes) {
      parts.push(bytes);
      length += bytes.length;
    }
    held = [];
    heldLength = 0;
    if (parts.length === 1) return parts[0]!;
    const joined = new Uint8Array(length);
    let offset = 0;
    for (const part of parts) {
      joined.set(part, offset);
      offset += part.length;
    }
    return joined;
  }

  function hold(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    held.push(bytes);
    heldLength += bytes.length;
  }

  function text(bytes: Uint8Array): string {
    let text = decoder.decode(bytes);
    // The first text that is not empty starts at the first byte of the stream.
    if (!started && text !== '') {
      started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }

  return {
    decode(chunk) {
      const length = chunk.length;
      let end = length;
      while (end > 0 && chunk[end - 1] !== LF && chunk[end - 1] !== CR) end -= 1;
      if (end > 0) {
        // The common case, a chunk of whole lines after no held bytes, allocates nothing.
        let bytes = end === length ? chunk : chunk.subarray(0, end);
        if (heldLength > 0) bytes = take(bytes);
        if (end < length) hold(chunk.subarray(end));
        return text(bytes);
      }
      hold(chunk);
      if (heldLength <= maxHeldBytes) return '';
      const bytes = take();
      end = bytes.length - incompleteTail(bytes);
      hold(bytes.slice(end)); // at most 3 bytes, copied so that the rest can be freed
      return text(bytes.subarray(0, end));
    },
    end() {
      return text(take());
    },
  };
}
