import { afterEach, expect } from 'vitest';
import type { ServerSentEvent } from '../types.js';

/** One macrotask later (`setTimeout` 0, which browsers have too): every promise reaction queued before has run. */
export const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The rejection of `promise`, or a failure if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but it resolved');
}

/** Reads every item of a stream, returning the items and the error that ended it (`undefined` when it ended well). */
export async function readAll<T>(stream: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of stream) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items, error: undefined };
}

/** Reads every token of a stream, returning the tokens and the error that ended it (if any). */
export async function drain(stream: AsyncIterable<string>): Promise<{ tokens: string[]; error: unknown }> {
  const { items, error } = await readAll(stream);
  return { tokens: items, error };
}

/**
 * A `fetch` that remembers its responses, to check afterwards that each body's reader was released.
 */
export function recordingFetch(): { fetch: typeof fetch; responses: Response[] } {
  const responses: Response[] = [];
  return {
    responses,
    fetch: async (input, init) => {
      const response = await globalThis.fetch(input, init);
      responses.push(response);
      return response;
    },
  };
}

/**
 * Fails the current test when a promise rejection goes unhandled while it runs (Node only).
 * Call once at the top of a test file.
 */
export function failOnUnhandledRejections(): void {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on('unhandledRejection', listener);
  afterEach(async () => {
    // Let pending rejections surface before checking.
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen, 'unhandled rejections').toEqual([]);
    seen.length = 0;
  });
}

/** A parsed event with no last event ID, as a decoder receives it. */
export function sseEvent(data: string, type = 'message'): ServerSentEvent {
  return { type, data, lastEventId: '' };
}
