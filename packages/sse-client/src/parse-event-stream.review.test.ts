// Adversarial tests of parseEventStream and parseEventStreamBatches over the self-settling async
// generator: random chunkings, next() calls made several at a time without waiting, return() or an
// abort at a random point (also while next() calls are pending), a source that errors after some
// output. Whatever the script, the values come in stream order, an abort takes effect before the
// next event, the reader's lock is released and the source is cancelled at most once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEventStream, parseEventStreamBatches } from './parse-event-stream.js';
import { nextTask } from './test/helpers.js';
import { splitAt } from './testing/chunking.js';
import { readableFromChunks } from './testing/readable-stream.js';

const NUM_RUNS = 150;
const SEED = 20_261_203; // fixed: the suite is deterministic; change it locally to explore

const encoder = new TextEncoder();

/** A body of events `0`, `1`, … with comments and blank lines between them, its bytes split anywhere. */
const bodyArb = fc
  .array(fc.constantFrom('event', 'comment', 'blank'), { minLength: 0, maxLength: 14 })
  .chain((kinds) => {
    let count = 0;
    const text = kinds
      .map((kind) => (kind === 'event' ? `data: ${count++}\n\n` : kind === 'comment' ? ': c\r\n' : '\n'))
      .join('');
    const bytes = encoder.encode(text);
    return fc
      .array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 10 })
      .map((cuts) => ({ count, chunks: splitAt(bytes, [...cuts].sort((a, b) => a - b)) }));
  });

/** What to do: groups of next() calls made together, and what may interrupt them. */
const scriptArb = fc.record({
  groups: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }),
  // After which group to interrupt, and how (none, return() with the group, abort after the group, abort with the group).
  at: fc.integer({ min: 0, max: 7 }),
  how: fc.constantFrom('none', 'return-with', 'abort-after', 'abort-with'),
  error: fc.boolean(),
});

function tracked(chunks: Uint8Array[], error?: unknown) {
  const record = { cancels: 0, reasons: [] as unknown[] };
  const body = readableFromChunks(chunks, {
    error,
    onCancel: (reason) => {
      record.cancels += 1;
      record.reasons.push(reason);
    },
  });
  return { body, record };
}

describe('parseEventStream: any script of overlapping next(), return() and abort', () => {
  it('values in stream order; an abort rejects the next call with its reason; lock released, source cancelled at most once', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArb, scriptArb, async ({ count, chunks }, { groups, at, how, error }) => {
        const failure = new TypeError('connection dropped');
        const { body, record } = tracked(chunks, error ? failure : undefined);
        const controller = new AbortController();
        const iterator = parseEventStream(body, { signal: controller.signal });
        const settled: Array<{ value?: string; done?: boolean; error?: unknown; kind: string; afterAbort: boolean }> = [];
        let aborted = false;
        for (let group = 0; group < groups.length; group += 1) {
          const calls: Array<Promise<IteratorResult<{ data: string }, void>>> = [];
          const kinds: Array<[kind: string, afterAbort: boolean]> = [];
          if (how === 'abort-with' && group === at) {
            calls.push(iterator.next());
            kinds.push(['next', aborted]);
            controller.abort();
            aborted = true;
          }
          for (let call = 0; call < groups[group]!; call += 1) {
            calls.push(iterator.next());
            kinds.push(['next', aborted]);
          }
          if (how === 'return-with' && group === at) {
            calls.push(iterator.return());
            kinds.push(['return', aborted]);
          }
          const results = await Promise.allSettled(calls);
          results.forEach((result, index) => {
            const [kind, afterAbort] = kinds[index]!;
            if (result.status === 'rejected') settled.push({ error: result.reason, kind, afterAbort });
            else if (result.value.done) settled.push({ done: true, kind, afterAbort });
            else settled.push({ value: result.value.value.data, kind, afterAbort });
          });
          if (how === 'abort-after' && group === at) {
            controller.abort();
            aborted = true;
          }
        }
        // Events first, in order, each at most once; then at most one rejection; then done results.
        const values = settled.filter((entry) => 'value' in entry).map((entry) => entry.value);
        expect(values).toStrictEqual(Array.from({ length: values.length }, (_, index) => String(index)));
        const firstEnd = settled.findIndex((entry) => !('value' in entry));
        const tail = firstEnd < 0 ? [] : settled.slice(firstEnd);
        expect(tail.every((entry) => !('value' in entry))).toBe(true);
        const errors = tail.filter((entry) => 'error' in entry);
        expect(errors.length).toBeLessThanOrEqual(1);
        if (errors.length === 1) {
          expect(tail[0]).toBe(errors[0]);
          expect([controller.signal.reason, failure]).toContain(errors[0]!.error);
        }
        // No next() made after the abort hands over an event; the first one made after it rejects
        // with its reason, unless the stream had already ended or failed.
        expect(settled.filter((entry) => entry.afterAbort && 'value' in entry)).toStrictEqual([]);
        // A full read without interruption gives every event, then the source's error if any.
        if (how === 'none' && tail.length > 0) {
          expect(values).toHaveLength(count);
          if (error) expect(tail[0]).toStrictEqual({ error: failure, kind: 'next', afterAbort: false });
        }
        // Finishing: return() settles done, and leaves the body unlocked.
        await expect(iterator.return()).resolves.toStrictEqual({ done: true, value: undefined });
        await expect(iterator.next()).resolves.toStrictEqual({ done: true, value: undefined });
        expect(body.locked).toBe(false);
        expect(record.cancels).toBeLessThanOrEqual(1);
        if (aborted && record.cancels === 1) expect(record.reasons[0]).toBe(controller.signal.reason);
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });

  it('an abort between two next() calls of one chunk: no event after it, whichever call it falls between', async () => {
    const chunk = encoder.encode('data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\n');
    for (let before = 1; before <= 4; before += 1) {
      const { body, record } = tracked([chunk]);
      const controller = new AbortController();
      const iterator = parseEventStream(body, { signal: controller.signal });
      for (let index = 0; index < before; index += 1) {
        await expect(iterator.next()).resolves.toMatchObject({ value: { data: String(index) } });
      }
      controller.abort();
      await expect(iterator.next()).rejects.toBe(controller.signal.reason);
      await expect(iterator.next()).resolves.toStrictEqual({ done: true, value: undefined });
      expect(body.locked).toBe(false);
      expect(record.cancels).toBe(1);
    }
  });

  it('an abort while next() calls are queued behind a pending read: the read and the queued calls end, none gives an event', async () => {
    let pullCount = 0;
    let release!: () => void;
    const cancels: unknown[] = [];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pullCount += 1;
        if (pullCount === 1) {
          controller.enqueue(encoder.encode('data: 0\n\n'));
          return;
        }
        // The second read waits until released (never, in this test).
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      cancel(reason) {
        cancels.push(reason);
      },
    }, { highWaterMark: 0 });
    const controller = new AbortController();
    const iterator = parseEventStream(body, { signal: controller.signal });
    await expect(iterator.next()).resolves.toMatchObject({ value: { data: '0' } });
    const pending = [iterator.next(), iterator.next(), iterator.return()];
    controller.abort();
    const results = await Promise.allSettled(pending);
    expect(results[0]).toStrictEqual({ status: 'rejected', reason: controller.signal.reason });
    expect(results[1]).toStrictEqual({ status: 'fulfilled', value: { done: true, value: undefined } });
    expect(results[2]).toStrictEqual({ status: 'fulfilled', value: { done: true, value: undefined } });
    expect(body.locked).toBe(false);
    expect(cancels).toStrictEqual([controller.signal.reason]);
    release?.();
  });
});

describe('parseEventStreamBatches: overlapping next() and return()', () => {
  it('batches in stream order, each event once, whatever the groups of overlapping calls; lock released', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArb, scriptArb, async ({ count, chunks }, { groups, at, how }) => {
        const { body, record } = tracked(chunks);
        const iterator = parseEventStreamBatches(body);
        const values: string[] = [];
        let returned = false;
        for (let group = 0; group < groups.length; group += 1) {
          const calls: Array<Promise<IteratorResult<readonly { data: string }[], void>>> = [];
          for (let call = 0; call < groups[group]!; call += 1) calls.push(iterator.next());
          if (how === 'return-with' && group === at) {
            calls.push(iterator.return());
            returned = true;
          }
          for (const result of await Promise.all(calls)) {
            if (!result.done) {
              expect(result.value.length).toBeGreaterThan(0);
              values.push(...result.value.map((event) => event.data));
            }
          }
        }
        expect(values).toStrictEqual(Array.from({ length: values.length }, (_, index) => String(index)));
        if (!returned && values.length < count) {
          // Not read to the end yet: the rest is still there.
          for await (const batch of iterator) values.push(...batch.map((event) => event.data));
          expect(values).toHaveLength(count);
        }
        await iterator.return();
        expect(body.locked).toBe(false);
        expect(record.cancels).toBeLessThanOrEqual(1);
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });
});

describe('a next() call made from other code while earlier calls are pending settles after them', () => {
  /** Calls next() once (or twice) at once, then once more after `ticks` microtasks; gives the order in which the calls settled. */
  async function settleOrder(texts: readonly string[], overlapping: number, ticks: number): Promise<string[]> {
    const iterator = parseEventStream(readableFromChunks(texts.map((text) => encoder.encode(text))));
    const order: string[] = [];
    const record = (name: string) => (result: IteratorResult<{ data: string }, void>) =>
      order.push(`${name}:${result.done ? 'done' : result.value.data}`);
    for (let call = 0; call < overlapping; call += 1) void iterator.next().then(record(`call${call}`));
    let tick = 0;
    const later = (): void => {
      if (tick++ === ticks) void iterator.next().then(record('later'));
      else void Promise.resolve().then(later);
    };
    void Promise.resolve().then(later);
    await nextTask();
    await nextTask();
    await iterator.return();
    return order;
  }

  it('after a call that needed two reads (the first chunk completed no event), whatever the microtask it is made in', async () => {
    for (let ticks = 0; ticks < 30; ticks += 1) {
      expect(await settleOrder(['data: 0', '\n\ndata: 1\n\ndata: 2\n\n'], 1, ticks), `after ${ticks} microtasks`).toStrictEqual([
        'call0:0',
        'later:1',
      ]);
    }
  });

  it('after two calls made together, whatever the microtask it is made in', async () => {
    for (const texts of [['data: 0\n\ndata: 1\n\ndata: 2\n\n'], ['data: 0', '\n\ndata: 1\n\ndata: 2\n\n']]) {
      for (let ticks = 0; ticks < 30; ticks += 1) {
        expect(await settleOrder(texts, 2, ticks), `${texts.length} chunks, after ${ticks} microtasks`).toStrictEqual([
          'call0:0',
          'call1:1',
          'later:2',
        ]);
      }
    }
  });
});
