// The parser test vectors of two peers this project did not write, run through tokenstream:
// eventsource-parser's own test suite and the web-platform-tests for EventSource (the parse part
// of each; what only an EventSource object does is marked out of scope in the data). The data is
// copied from the shared peer fixtures with its provenance: test/fixtures/parser-vectors/SOURCES.md.
//
// Every vector whose input is a stream is read by parseEventStream as bytes (in the vector's own
// chunks, whole, one byte at a time and in seeded random pieces) and by createParser as text; the
// HTTP ones go through fetchEventStream with a fake fetch. An expected event is compared on the
// fields it gives (a vector that leaves out `lastEventId` does not check it).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EventTooLargeError, HTTPError, ContentTypeError } from './errors.js';
import { fetchEventStream } from './fetch-event-stream.js';
import { createParser } from './parse.js';
import { parseEventStream } from './parse-event-stream.js';
import { createRandom, splitAt, splitIntoUnits } from './testing/chunking.js';
import { createFakeFetch } from './testing/fake-fetch.js';
import { readableFromChunks } from './testing/readable-stream.js';
import type { ServerSentEvent } from './types.js';

interface Vector {
  name: string;
  source: string;
  note?: string;
  chunks?: string[];
  input?: string;
  inputBase64?: string;
  events: Partial<ServerSentEvent>[];
  retries?: number[];
  comments?: string[];
  finalLastEventId?: string;
  feed?: 'string' | 'steps' | 'huge' | 'too-large';
  steps?: [string, string][];
  huge?: { prefix: string; repeat: string; count: number; suffix: string };
  expectLength?: number;
  expectSha256FromEvent?: number;
  maxEventSize?: number;
  http?: {
    status?: number;
    contentType?: string;
    expectError?: 'HTTPError' | 'ContentTypeError';
    echoAccept?: boolean;
    lastEventIdServer?: string;
  };
  outOfScope?: string;
}

const load = (suite: string): Vector[] =>
  (JSON.parse(readFileSync(new URL(`./test/fixtures/parser-vectors/${suite}.json`, import.meta.url), 'utf8')) as { vectors: Vector[] })
    .vectors;
const suites = { 'eventsource-parser': load('eventsource-parser'), wpt: load('wpt') };

const encoder = new TextEncoder();

/** The stream's bytes, and the vector's own chunks as bytes (when it gives chunks). */
function bytesOf(vector: Vector): { whole: Uint8Array; own?: Uint8Array[] } {
  if (vector.inputBase64 !== undefined) return { whole: new Uint8Array(Buffer.from(vector.inputBase64, 'base64')) };
  if (vector.huge !== undefined) {
    const { prefix, repeat, count, suffix } = vector.huge;
    return { whole: encoder.encode(prefix + repeat.repeat(count) + suffix) };
  }
  if (vector.chunks !== undefined) {
    const own = vector.chunks.map((chunk) => encoder.encode(chunk));
    return { whole: encoder.encode(vector.chunks.join('')), own };
  }
  return { whole: encoder.encode(vector.input ?? '') };
}

/** Ways to cut the bytes: the vector's own chunks, whole, one byte each (not for huge inputs), random. */
function cuts(vector: Vector): [string, Uint8Array[]][] {
  const { whole, own } = bytesOf(vector);
  const random = createRandom(whole.length + vector.name.length);
  const indices = Array.from({ length: Math.min(64, whole.length) }, () => Math.floor(random() * whole.length)).sort((a, b) => a - b);
  return [
    ...(own === undefined ? [] : ([['its own chunks', own]] as [string, Uint8Array[]][])),
    ['one chunk', [whole]],
    ...(whole.length > 100_000 ? [] : ([['one byte per chunk', splitIntoUnits(whole)]] as [string, Uint8Array[]][])),
    ['random pieces', splitAt(whole, indices)],
  ];
}

interface Read {
  events: ServerSentEvent[];
  retries: number[];
  comments: string[];
  thrown?: unknown;
}

async function readBytes(chunks: Uint8Array[], maxEventSize?: number): Promise<Read> {
  const read: Read = { events: [], retries: [], comments: [] };
  try {
    for await (const event of parseEventStream(readableFromChunks(chunks), {
      maxEventSize,
      onRetry: (ms) => read.retries.push(ms),
      onComment: (text) => read.comments.push(text),
    })) {
      read.events.push(event);
    }
  } catch (error) {
    read.thrown = error;
  }
  return read;
}

/** Each expected event compared on the fields the vector gives. */
function expectEvents(actual: readonly ServerSentEvent[], expected: readonly Partial<ServerSentEvent>[]): void {
  expect(actual.map((event, index) => pick(event, expected[index]))).toStrictEqual(expected);
}

function pick(event: ServerSentEvent, like: Partial<ServerSentEvent> | undefined): Partial<ServerSentEvent> {
  if (like === undefined) return event;
  return Object.fromEntries(Object.keys(like).map((key) => [key, event[key as keyof ServerSentEvent]]));
}

function expectRead(read: Read, vector: Vector): void {
  expect(read.thrown).toBeUndefined();
  if (vector.feed === 'huge') {
    // The first event is the huge one; a later event carries the SHA-256 of its data.
    expect(read.events.map(({ type }) => type)).toStrictEqual(vector.events.map(({ type }) => type));
    const huge = read.events[0]!.data;
    expect(huge.length).toBe(vector.expectLength);
    expect(createHash('sha256').update(huge).digest('hex')).toBe(read.events[vector.expectSha256FromEvent!]!.data);
    return;
  }
  expectEvents(read.events, vector.events);
  if (vector.retries !== undefined) expect(read.retries).toStrictEqual(vector.retries);
  if (vector.comments !== undefined) expect(read.comments).toStrictEqual(vector.comments);
}

const streamVectors = (vectors: Vector[]) =>
  vectors.filter((vector) => vector.outOfScope === undefined && vector.http === undefined && (vector.feed === undefined || vector.feed === 'huge'));

describe.each(Object.entries(suites))('%s vectors', (_suite, vectors) => {
  it('are all accounted for: run here, or marked out of scope in the data', () => {
    const run = vectors.filter(
      (vector) =>
        vector.outOfScope === undefined &&
        (vector.http !== undefined || vector.feed === undefined || ['huge', 'steps', 'too-large'].includes(vector.feed)),
    );
    expect(run.length + vectors.filter((vector) => vector.outOfScope !== undefined).length).toBe(vectors.length);
  });

  describe.each(streamVectors(vectors).map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    it.each(cuts(vector))('parseEventStream, bytes in %s', async (_cut, chunks) => {
      expectRead(await readBytes(chunks), vector);
    });

    if (vector.inputBase64 === undefined && vector.feed !== 'huge') {
      it('createParser, text in its own chunks', () => {
        const read: Read = { events: [], retries: [], comments: [] };
        const parser = createParser({
          onEvent: (event) => read.events.push(event),
          onRetry: (ms) => read.retries.push(ms),
          onComment: (text) => read.comments.push(text),
        });
        const chunks = [...(vector.chunks ?? [vector.input ?? ''])];
        // A leading U+FEFF stands for the stream's byte order mark, which the decoder in front of
        // createParser removes (exactly one: TextDecoder's default), as parseEventStream does.
        if (chunks[0]!.startsWith('\ufeff')) chunks[0] = chunks[0]!.slice(1);
        for (const chunk of chunks) parser.feed(chunk);
        expectRead(read, vector);
        if (vector.finalLastEventId !== undefined) expect(parser.lastEventId).toBe(vector.finalLastEventId);
      });
    }
  });

  const steps = vectors.filter((vector) => vector.feed === 'steps');
  if (steps.length > 0) it.each(steps.map((vector) => [vector.name, vector] as const))(
    '%s: the last event ID after each step',
    (_name, vector) => {
      const parser = createParser({ onEvent: () => undefined });
      for (const [text, lastEventId] of vector.steps!) {
        parser.feed(text);
        expect(parser.lastEventId).toBe(lastEventId);
      }
    },
  );

  const tooLarge = vectors.filter((vector) => vector.feed === 'too-large');
  if (tooLarge.length > 0) it.each(tooLarge.map((vector) => [vector.name, vector] as const))(
    '%s: an EventTooLargeError, and no event',
    async (_name, vector) => {
      for (const [, chunks] of cuts(vector)) {
        const read = await readBytes(chunks, vector.maxEventSize);
        expect(read.thrown).toBeInstanceOf(EventTooLargeError);
        expect((read.thrown as EventTooLargeError).maxEventSize).toBe(vector.maxEventSize);
        expectEvents(read.events, vector.events);
      }
    },
  );

  const http = vectors.filter((vector) => vector.outOfScope === undefined && vector.http !== undefined);
  if (http.length > 0) it.each(http.map((vector) => [vector.name, vector] as const))('%s: over fetch', async (_name, vector) => {
    const { status = 200, contentType = 'text/event-stream', expectError, echoAccept, lastEventIdServer } = vector.http!;
    let requests = 0;
    const fetch = createFakeFetch((request) => {
      const index = requests++;
      let body = vector.input ?? '';
      if (echoAccept) body = `data: ${request.headers.get('accept')}\n\n`;
      if (lastEventIdServer !== undefined) {
        // As resources/last-event-id.py: the first response sets the id and ends; a reconnection
        // is answered with the Last-Event-ID header it sent (UTF-8 bytes, read back as text).
        const sent = request.headers.get('last-event-id');
        body =
          index === 0
            ? `id: ${lastEventIdServer}\ndata: hello\n\n`
            : `data: ${new TextDecoder().decode(Uint8Array.from(sent ?? '', (char) => char.charCodeAt(0)))}\n\n`;
      }
      // (A 204 or 205 response has no body: the Response constructor refuses one.)
      return new Response(status === 204 || status === 205 ? null : body, { status, headers: { 'content-type': contentType } });
    });
    const events: ServerSentEvent[] = [];
    let thrown: unknown;
    const reconnections = vector.events.length - 1;
    try {
      for await (const event of fetchEventStream('https://example.test/stream', {
        method: 'GET',
        fetch,
        retry: false,
        ...(lastEventIdServer === undefined ? {} : { reconnect: { limit: 1, totalLimit: reconnections, delay: 0, minDelay: 0 } }),
      })) {
        events.push(event);
      }
    } catch (error) {
      thrown = error;
    }
    if (expectError === 'HTTPError') expect(thrown).toBeInstanceOf(HTTPError);
    else if (expectError === 'ContentTypeError') expect(thrown).toBeInstanceOf(ContentTypeError);
    else if (lastEventIdServer === undefined) expect(thrown).toBeUndefined();
    expectEvents(events, vector.events);
  });
});
