// The candidates of the parser tables, each written as its users write it. Every one reports its
// events to the same sink `(type, data, id)` ("message" and "" when absent), so that their output
// can be compared with the workload's expected events before anything is timed.
import { createRequire } from 'node:module';
import { getBytes, getLines, getMessages } from '@microsoft/fetch-event-source/lib/cjs/parse.js';
import { createParser as createLibraryParser } from 'eventsource-parser';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { createParser, parseEventStream, parseEventStreamBatches, type ServerSentEvent } from '../src/index.js';
import { streamOf } from './harness.js';
import type { Workload } from './sse-workloads.js';

const require = createRequire(import.meta.url);
const versionOf = (name: string): string => (require(`${name}/package.json`) as { version: string }).version;
export const EVENTSOURCE_PARSER = `eventsource-parser ${versionOf('eventsource-parser')}`;
export const FETCH_EVENT_SOURCE = `@microsoft/fetch-event-source ${versionOf('@microsoft/fetch-event-source')}`;

export type Sink = (type: string, data: string, id: string) => void;

export interface ParserCandidate {
  readonly name: string;
  /** Feeds every chunk of the workload (text or bytes, as the candidate takes) to a fresh parser. */
  readonly feed: (workload: Workload, sink: Sink) => void | Promise<void>;
  /** A floor: finds the event boundaries only, so it is checked by its event count alone. */
  readonly floor?: true | undefined;
  /** Copies or rescans its whole buffer on every chunk: timed on W4 at small sizes only. */
  readonly quadratic?: true | undefined;
}

// --- Strings in -------------------------------------------------------------------------------

const tokenstreamString: ParserCandidate = {
  name: 'tokenstream createParser',
  feed({ text }, sink) {
    const parser = createParser({ onEvent: (event) => sink(event.type, event.data, event.lastEventId) });
    for (const chunk of text) parser.feed(chunk);
  },
};

const eventsourceParser: ParserCandidate = {
  name: EVENTSOURCE_PARSER,
  feed({ text }, sink) {
    const parser = createLibraryParser({ onEvent: (event) => sink(event.event ?? 'message', event.data, event.id ?? '') });
    for (const chunk of text) parser.feed(chunk);
  },
};

/**
 * The naive loop of the tutorial the project grew from, as users write it: append the chunk,
 * split the buffer on "\n\n", keep the last piece, read the `data: ` lines. It rescans the whole
 * pending buffer on every chunk (quadratic on a large event) and knows no CRLF.
 */
export function createNaiveParser(sink: Sink): (chunk: string) => void {
  let buffer = '';
  return (chunk) => {
    buffer += chunk;
    const blocks = buffer.split('\n\n');
    buffer = blocks.pop() ?? '';
    for (const block of blocks) {
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
      if (data.length > 0) sink('message', data.join('\n'), '');
    }
  };
}

const naiveString: ParserCandidate = {
  name: 'naive split loop (tutorial)',
  quadratic: true,
  feed({ text }, sink) {
    const feed = createNaiveParser(sink);
    for (const chunk of text) feed(chunk);
  },
};

/** Counts the terminators across chunks: what any parser must at least do. */
function createBoundaryCounter(terminator: string, sink: Sink): (chunk: string) => void {
  let tail = '';
  return (chunk) => {
    const text = tail + chunk;
    let from = 0;
    for (let found = text.indexOf(terminator); found !== -1; found = text.indexOf(terminator, from)) {
      sink('message', '', '');
      from = found + terminator.length;
    }
    tail = text.slice(Math.max(from, text.length - terminator.length + 1));
  };
}

const stringFloor: ParserCandidate = {
  name: 'floor: indexOf of the blank line',
  floor: true,
  feed({ text, terminator }, sink) {
    const count = createBoundaryCounter(terminator, sink);
    for (const chunk of text) count(chunk);
  },
};

export const stringCandidates: readonly ParserCandidate[] = [tokenstreamString, eventsourceParser, naiveString, stringFloor];

// --- Bytes in ---------------------------------------------------------------------------------

const fromEvent = (sink: Sink) => (event: ServerSentEvent) => sink(event.type, event.data, event.lastEventId);

const tokenstreamBytes: ParserCandidate = {
  name: 'tokenstream parseEventStream',
  async feed({ bytes }, sink) {
    const onEvent = fromEvent(sink);
    for await (const event of parseEventStream(streamOf(bytes))) onEvent(event);
  },
};

/** The same engine, a chunk's events handed over together: one asynchronous step per chunk, not per event. */
const tokenstreamBatches: ParserCandidate = {
  name: 'tokenstream parseEventStreamBatches',
  async feed({ bytes }, sink) {
    const onEvent = fromEvent(sink);
    for await (const batch of parseEventStreamBatches(streamOf(bytes))) for (const event of batch) onEvent(event);
  },
};

const tokenstreamStreamingDecode: ParserCandidate = {
  name: 'tokenstream createParser + streaming TextDecoder',
  feed({ bytes }, sink) {
    const decoder = new TextDecoder();
    const parser = createParser({ onEvent: fromEvent(sink) });
    for (const chunk of bytes) parser.feed(decoder.decode(chunk, { stream: true }));
    parser.feed(decoder.decode());
  },
};

const tokenstreamOneShotDecode: ParserCandidate = {
  name: 'tokenstream createParser + one-shot decode',
  feed({ bytes }, sink) {
    const decoder = new TextDecoder();
    const parser = createParser({ onEvent: fromEvent(sink) });
    for (const chunk of bytes) parser.feed(decoder.decode(chunk));
  },
};

/** The byte layer's own floor: the same reader loop, each chunk decoded one-shot into the string parser. */
const tokenstreamReaderLoop: ParserCandidate = {
  name: 'tokenstream createParser + one-shot decode, reader loop',
  async feed({ bytes }, sink) {
    const parser = createParser({ onEvent: fromEvent(sink) });
    const reader = streamOf(bytes).getReader();
    const decoder = new TextDecoder();
    for (let result = await reader.read(); !result.done; result = await reader.read()) parser.feed(decoder.decode(result.value));
  },
};

/**
 * The least any async iterator over a body's reader does: the reader loop above, the chunk's events
 * collected in an array (so they outlive the parse), and one `then` per read to hand them over.
 * What bounds {@link parseEventStreamBatches}; not a product.
 */
function bareBatchIterator(bytes: readonly Uint8Array[]): AsyncIterableIterator<readonly ServerSentEvent[]> {
  let batch: ServerSentEvent[] = [];
  const parser = createParser({ onEvent: (event) => batch.push(event) });
  const reader = streamOf(bytes).getReader();
  const decoder = new TextDecoder();
  const onRead = (result: ReadableStreamReadResult<Uint8Array>): IteratorResult<readonly ServerSentEvent[]> => {
    if (result.done) return { done: true, value: undefined };
    parser.feed(decoder.decode(result.value));
    const events = batch;
    batch = [];
    return { done: false, value: events };
  };
  return {
    next: () => reader.read().then(onRead),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export const BARE_BATCHES = 'bare iterator: reader loop + createParser, a then per read, per-chunk arrays';
export const BARE_EVENTS = 'bare iterator: the same, then one resolved promise per event';

const bareBatches: ParserCandidate = {
  name: BARE_BATCHES,
  async feed({ bytes }, sink) {
    const onEvent = fromEvent(sink);
    for await (const events of bareBatchIterator(bytes)) for (const event of events) onEvent(event);
  },
};

/** {@link bareBatchIterator} one event per `next()`: what bounds {@link parseEventStream}. */
const bareEvents: ParserCandidate = {
  name: BARE_EVENTS,
  async feed({ bytes }, sink) {
    const batches = bareBatchIterator(bytes);
    let events: readonly ServerSentEvent[] = [];
    let index = 0;
    const next = (): Promise<IteratorResult<ServerSentEvent>> =>
      index < events.length
        ? Promise.resolve({ done: false, value: events[index++]! })
        : batches.next().then((result) => {
            if (result.done) return result;
            events = result.value;
            index = 0;
            return events.length > 0 ? { done: false, value: events[index++]! } : next();
          });
    const onEvent = fromEvent(sink);
    for await (const event of { next, [Symbol.asyncIterator]: () => ({ next }) }) onEvent(event);
  },
};

const eventsourceParserReaderLoop: ParserCandidate = {
  name: `${EVENTSOURCE_PARSER} + TextDecoder, reader loop`,
  async feed({ bytes }, sink) {
    const parser = createLibraryParser({ onEvent: (event) => sink(event.event ?? 'message', event.data, event.id ?? '') });
    const reader = streamOf(bytes).getReader();
    const decoder = new TextDecoder();
    for (let result = await reader.read(); !result.done; result = await reader.read()) {
      parser.feed(decoder.decode(result.value, { stream: true }));
    }
    parser.feed(decoder.decode());
  },
};

const eventsourceParserStream: ParserCandidate = {
  name: `${EVENTSOURCE_PARSER}/stream (TextDecoderStream, as the AI SDK)`,
  async feed({ bytes }, sink) {
    const events = streamOf(bytes)
      .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
      .pipeThrough(new EventSourceParserStream());
    const reader = events.getReader();
    for (let result = await reader.read(); !result.done; result = await reader.read()) {
      sink(result.value.event ?? 'message', result.value.data, result.value.id ?? '');
    }
  },
};

const fetchEventSource: ParserCandidate = {
  name: `${FETCH_EVENT_SOURCE} (getBytes, getLines, getMessages)`,
  quadratic: true,
  async feed({ bytes }, sink) {
    const onLine = getMessages(
      () => undefined,
      () => undefined,
      (message) => sink(message.event || 'message', message.data, message.id),
    );
    await getBytes(streamOf(bytes), getLines(onLine));
  },
};

const naiveReaderLoop: ParserCandidate = {
  name: 'naive reader loop (TextDecoder + split)',
  quadratic: true,
  async feed({ bytes }, sink) {
    const feed = createNaiveParser(sink);
    const reader = streamOf(bytes).getReader();
    const decoder = new TextDecoder();
    for (let result = await reader.read(); !result.done; result = await reader.read()) {
      feed(decoder.decode(result.value, { stream: true }));
    }
  },
};

const streamingDecodeFloor: ParserCandidate = {
  name: 'floor: streaming TextDecoder + indexOf',
  floor: true,
  feed({ bytes, terminator }, sink) {
    const decoder = new TextDecoder();
    const count = createBoundaryCounter(terminator, sink);
    for (const chunk of bytes) count(decoder.decode(chunk, { stream: true }));
  },
};

const oneShotDecodeFloor: ParserCandidate = {
  name: 'floor: one-shot decode + indexOf',
  floor: true,
  feed({ bytes, terminator }, sink) {
    const decoder = new TextDecoder();
    const count = createBoundaryCounter(terminator, sink);
    for (const chunk of bytes) count(decoder.decode(chunk));
  },
};

const readerLoopFloor: ParserCandidate = {
  name: 'floor: reader loop + one-shot decode + indexOf',
  floor: true,
  async feed({ bytes, terminator }, sink) {
    const decoder = new TextDecoder();
    const count = createBoundaryCounter(terminator, sink);
    const reader = streamOf(bytes).getReader();
    for (let result = await reader.read(); !result.done; result = await reader.read()) count(decoder.decode(result.value));
  },
};

export const byteCandidates: readonly ParserCandidate[] = [
  tokenstreamBytes,
  tokenstreamBatches,
  tokenstreamStreamingDecode,
  tokenstreamOneShotDecode,
  tokenstreamReaderLoop,
  bareBatches,
  bareEvents,
  eventsourceParserReaderLoop,
  eventsourceParserStream,
  fetchEventSource,
  naiveReaderLoop,
  streamingDecodeFloor,
  oneShotDecodeFloor,
  readerLoopFloor,
];
