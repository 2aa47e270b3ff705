/**
 * A fake response body for tests: a `ReadableStream` that hands out given chunks one read at a
 * time, and reports how it was consumed.
 *
 * @module
 */

/** Options for {@link readableFromChunks}. */
export interface ReadableFromChunksOptions {
  /**
   * After the last chunk, error the stream with this value (as a dropped connection does)
   * instead of closing it. Leave it out (or `undefined`) to close the stream normally.
   */
  error?: unknown;
  /**
   * Called each time the consumer pulls, with the 0-based index of the chunk about to be
   * delivered (the number of chunks when the stream is about to end).
   */
  onPull?: ((index: number) => void) | undefined;
  /** Called when the consumer cancels the stream (for example after `break` in a `for await`), with the reason. */
  onCancel?: ((reason: unknown) => void) | undefined;
}

/**
 * Creates a pull-based `ReadableStream` that delivers `chunks` in order, one per read, then
 * closes (or errors, see {@link ReadableFromChunksOptions.error}).
 *
 * Chunks are enqueued lazily, only when the consumer reads (high-water mark 0): nothing is read
 * ahead, so a test can tell exactly how far a consumer read before it stopped, and a stream of
 * tens of thousands of chunks stays fast (a stream filled up front gets slow on Node 20). `chunks`
 * is iterated only as the consumer reads, so a generator may stream forever.
 *
 * @param chunks - What each read returns, in order: typically `Uint8Array`s of a response body.
 *
 * @example
 * ```ts
 * const body = readableFromChunks(
 *   [new TextEncoder().encode('data: hel'), new TextEncoder().encode('lo\n\n')],
 *   { onCancel: (reason) => console.log('cancelled', reason) },
 * );
 * for await (const event of parseEventStream(body)) console.log(event.data); // "hello"
 * ```
 */
export function readableFromChunks<T = Uint8Array>(
  chunks: Iterable<T>,
  options: ReadableFromChunksOptions = {},
): ReadableStream<T> {
  const { onPull, onCancel } = options;
  let iterator: Iterator<T> | undefined;
  let index = 0;
  return new ReadableStream<T>(
    {
      pull(controller) {
        onPull?.(index);
        iterator ??= chunks[Symbol.iterator]();
        const next = iterator.next();
        if (next.done) {
          if (options.error !== undefined) controller.error(options.error);
          else controller.close();
          return;
        }
        index += 1;
        controller.enqueue(next.value);
      },
      cancel(reason) {
        onCancel?.(reason);
        iterator?.return?.(); // lets a generator run its `finally`
      },
    },
    { highWaterMark: 0 },
  );
}
