// Shared by the parser's test files (not part of the package: nothing imports it but tests).
import { expect } from 'vitest';
import type { EventTooLargeError } from '../errors.js';
import { createParser, type ParserOptions } from '../parse.js';
import { chunkings, type ChunkingsOptions } from '../testing/chunking.js';
import { readableFromChunks } from '../testing/readable-stream.js';
import type { ServerSentEvent } from '../types.js';

/** Everything a parser reported, in order. */
export interface ParseResult {
  events: ServerSentEvent[];
  retries: number[];
  comments: string[];
  /** The `maxEventSize` of each {@link EventTooLargeError} passed to `onError`. */
  errors: number[];
}

/** Feeds `chunks` to a new parser (with `onError` set) and returns what it reported. */
export function parseChunks(chunks: Iterable<string>, options: ParserOptions = {}): ParseResult {
  const result: ParseResult = { events: [], retries: [], comments: [], errors: [] };
  const parser = createParser(
    {
      onEvent: (event) => result.events.push(event),
      onRetry: (retry) => result.retries.push(retry),
      onComment: (comment) => result.comments.push(comment),
      onError: (error: EventTooLargeError) => result.errors.push(error.maxEventSize),
    },
    options,
  );
  for (const chunk of chunks) parser.feed(chunk);
  return result;
}

/**
 * Parses `input` under every chunking of {@link chunkings} (whole, one code unit per chunk, every
 * two-way split, seeded random splits), expects the same result from each, and returns it.
 */
export function parseUnderEveryChunking(
  input: string,
  options: ParserOptions = {},
  chunkingsOptions: ChunkingsOptions = {},
): ParseResult {
  const expected = parseChunks([input], options);
  for (const { name, chunks } of chunkings(input, { seeds: [1, 2, 3, 4, 5, 6], ...chunkingsOptions })) {
    expect(parseChunks(chunks, options), name).toStrictEqual(expected);
  }
  return expected;
}

/** Shorthand for the events parsed from `input` under every chunking. */
export function eventsOf(input: string, options: ParserOptions = {}): ServerSentEvent[] {
  return parseUnderEveryChunking(input, options).events;
}

/** An event as the parser dispatches it: type `message` and no last event ID unless given. */
export function event(data: string, fields: { type?: string; lastEventId?: string } = {}): ServerSentEvent {
  return { type: fields.type ?? 'message', data, lastEventId: fields.lastEventId ?? '' };
}

/** A byte source that records how it was consumed: how many pulls, whether (and why) it was cancelled. */
export function trackedSource(chunks: Uint8Array[], error?: unknown) {
  const record = { pulls: 0, cancelled: false, cancelReason: undefined as unknown };
  const stream = readableFromChunks(chunks, {
    error,
    onPull: () => {
      record.pulls += 1;
    },
    onCancel: (reason) => {
      record.cancelled = true;
      record.cancelReason = reason;
    },
  });
  return { stream, record };
}

/** Runs `arrive` in a task of its own, and resolves in the next task, after its microtasks. */
export const inTask = (arrive: () => void): Promise<void> =>
  new Promise((resolve) =>
    setTimeout(() => {
      arrive();
      setTimeout(resolve, 0);
    }, 0),
  );
