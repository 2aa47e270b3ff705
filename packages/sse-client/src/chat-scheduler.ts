/**
 * When a chat store notifies its listeners of changes:
 * - `'frame'`: at most once per animation frame: `requestAnimationFrame` where it exists
 *   (browsers; they pause frames in hidden tabs, and the listeners catch up when the tab shows),
 *   else a 16 ms timer;
 * - a number: at most once per that many milliseconds (a timer);
 * - `false`: at once, after every change (at most once per network chunk while streaming);
 * - a function: a custom scheduler. It is given `flush` and must call it once, later, and return
 *   a function that cancels that call (e.g. `(flush) => { const id = setTimeout(flush, 50); return () => clearTimeout(id); }`).
 *
 * Whatever the choice, the state itself is always current (`getSnapshot()`). While a reply
 * streams, its changes wait for the next frame (interval, custom flush). The end of a reply (done,
 * error), an HTTP retry's start and end (`ChatSnapshot.retry`), and the changes made by `stop`,
 * `reset`, `setMessages` and `addToolResult`, do not wait:
 * - with `'frame'` or a number, they notify at once when nothing was notified since the last frame
 *   (interval) began, else at the next one, in one notification with everything before them (the
 *   final status never shows without its text). So a reply that arrives in one burst renders once,
 *   at once, and no frame (interval) ever holds two notifications. After each notification, one
 *   more frame (timer) is requested to mark where the next one begins; none while nothing changes;
 * - with `false` or a custom scheduler, they notify at once (cancelling the scheduled call).
 */
export type ChatBatch = 'frame' | number | false | ((flush: () => void) => () => void);

/** Calls `flush` later, as `batch` says; returns the function that cancels it. @internal */
export function scheduleFlush(batch: ChatBatch, flush: () => void): () => void {
  if (typeof batch === 'function') return batch(flush);
  if (batch === 'frame' && typeof globalThis.requestAnimationFrame === 'function') {
    const id = globalThis.requestAnimationFrame(flush);
    return () => globalThis.cancelAnimationFrame(id);
  }
  const id = setTimeout(flush, batch === 'frame' ? 16 : (batch as number));
  return () => clearTimeout(id);
}
