/**
 * Heap measurement for `*.memory.test.ts` files, which run in the `sse-client-memory` vitest
 * project with `--expose-gc` (see the root `vitest.config.ts`).
 */

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('gc() is not exposed: name the test file *.memory.test.ts');
  // Twice: the first pass may only finalise what the second frees.
  gc();
  gc();
}

/** The heap in use after a full garbage collection, in bytes. */
export function usedHeapAfterGC(): number {
  collect();
  return process.memoryUsage().heapUsed;
}

/**
 * Runs `fill`, which builds some state and returns a value that keeps it reachable, and returns
 * how many bytes of heap that state holds once everything else has been collected.
 */
export function retainedBytes(fill: () => unknown): number {
  const before = usedHeapAfterGC();
  const keep = fill();
  const after = usedHeapAfterGC();
  // Keep `keep` alive across the second measurement.
  if (keep === before) throw new Error('unreachable');
  return after - before;
}
