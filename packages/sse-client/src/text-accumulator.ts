/**
 * Appends since the last flattening that the text may hold per character, as a divisor: the text
 * is flattened once the appends since the last time exceed `length / FLATTEN_DIVISOR`.
 */
const FLATTEN_DIVISOR = 32;
/** Appends always allowed between two flattenings, so short texts are never copied often. */
const MIN_APPENDS_BETWEEN_FLATTENS = 1024;

/**
 * One flat copy of `text`. Slicing makes the engine flatten a concatenated string (a rope) into
 * one sequential string first (V8's substring does), and the slice shares that string's storage;
 * the rope's pieces become garbage.
 */
function flatten(text: string): string {
  return ` ${text}`.slice(1);
}

/**
 * A text built by appending many pieces (tokens, or a network chunk's tokens), whose memory
 * stays proportional to its length.
 *
 * `text += piece` makes a rope node per append (32 bytes in V8 on 64-bit Node), which the engine
 * flattens only lazily: a stream of 500,000 one-character tokens would hold about 16 MiB of rope
 * nodes for 500 KB of text. This accumulator forces a flat copy whenever the appends since the
 * last one exceed `max(1024, length / 32)`: at most one rope node per 32 characters stays alive
 * (about 1 byte per character, on top of the text's own 1 or 2 bytes per character). The copying
 * stays linear in total: between two copies the text grows by at least a 32nd, so all the copies
 * together are at most 33 times the final length.
 *
 * @internal
 */
export class TextAccumulator {
  #text = '';
  #appends = 0;

  /** The text so far (`""` at first). */
  get text(): string {
    return this.#text;
  }

  /** Appends `piece` and returns the text so far. */
  append(piece: string): string {
    this.#text += piece;
    this.#appends += 1;
    if (this.#appends > Math.max(MIN_APPENDS_BETWEEN_FLATTENS, this.#text.length / FLATTEN_DIVISOR)) {
      this.#text = flatten(this.#text);
      this.#appends = 0;
    }
    return this.#text;
  }
}
