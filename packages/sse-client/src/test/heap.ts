/**
 * Heap measurement for `*.memory.test.ts` files, which run in the `sse-client-memory` vitest
 * project with `--expose-gc` (see the root `vitest.config.ts`).
 */

/**
 * The heap in use after full garbage collections, in bytes: collects until the figure stops
 * falling (at least twice: the first pass may only finalise what the second frees; at most 8).
 * On a heavily loaded machine two parser memory tests once read high after two passes and passed
 * on every rerun (presumably V8's background sweeping lagging behind): a figure still falling is
 * not the heap in use yet.
 */
export function usedHeapAfterGC(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('gc() is not exposed: name the test file *.memory.test.ts');
  gc();
  let used = Infinity;
  for (let pass = 0; pass < 8; pass += 1) {
    gc();
    const now = process.memoryUsage().heapUsed;
    if (now >= used) return Math.min(now, used);
    used = now;
  }
  return used;
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
