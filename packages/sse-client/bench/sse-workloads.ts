// The parser workloads W1–W5 of the side-by-side tables, pre-built once, as strings and as bytes:
// every candidate is fed the very same chunks. All ASCII, so that decoding each chunk on its own
// (the "one-shot" floor) is correct wherever the chunks are cut.
import { QUICK } from './harness.js';

export const KiB = 1024;
export const MiB = 1024 * KiB;

/** One event as every candidate must report it. */
export interface ExpectedEvent {
  readonly type: string;
  readonly data: string;
  readonly id: string;
}

export interface Workload {
  readonly key: string;
  readonly title: string;
  readonly text: readonly string[];
  readonly bytes: readonly Uint8Array[];
  readonly events: readonly ExpectedEvent[];
  /** The blank line ending each event ("\n\n" or "\r\n\r\n"), for the indexOf floors. */
  readonly terminator: string;
  /** Total characters of the events' data: with the count, the check every timed run makes. */
  readonly dataLength: number;
  /** A small version, checked first: a quadratic candidate that gets it wrong is never run on the whole. */
  readonly sample?: Workload | undefined;
}

const encoder = new TextEncoder();

function workload(
  key: string,
  title: string,
  text: readonly string[],
  events: readonly ExpectedEvent[],
  terminator = '\n\n',
  sample?: Workload,
): Workload {
  const bytes = text.map((chunk) => encoder.encode(chunk));
  const dataLength = events.reduce((sum, event) => sum + event.data.length, 0);
  return { key, title, text, bytes, events, terminator, dataLength, sample };
}

const decoder = new TextDecoder();

/**
 * Cuts `text` into chunks of `size` characters, each a flat string of its own as a `TextDecoder`
 * returns it from a network chunk (a `slice` would be a view into `text`, slower to read for every
 * parser, and not what a real stream hands over).
 */
export function chunksOf(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let offset = 0; offset < text.length; offset += size) {
    chunks.push(decoder.decode(encoder.encode(text.slice(offset, offset + size))));
  }
  return chunks;
}

/** `size` characters of base64-looking text (an image, say), deterministic. */
export function base64Like(size: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let block = '';
  for (let index = 0; index < 4096; index += 1) block += alphabet[(index * 7919) % 64];
  return block.repeat(Math.ceil(size / block.length)).slice(0, size);
}

const WORDS = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.'];

/** The data of tiny token events: `{"token":" word"}`, as a token stream sends them. */
function tokenData(count: number): string[] {
  return Array.from({ length: count }, (_, index) => JSON.stringify({ token: WORDS[index % WORDS.length] }));
}

const asEvents = (data: readonly string[]): ExpectedEvent[] => data.map((value) => ({ type: 'message', data: value, id: '' }));

export const SIZES = QUICK
  ? { tokenEvents: 2_000, bigChunkEvents: 10_000, multiLineEvents: 32, largeEvent: 2 * MiB, growthFrom: MiB / 2, crlfEvents: 500 }
  : { tokenEvents: 20_000, bigChunkEvents: 20_000, multiLineEvents: 128, largeEvent: 16 * MiB, growthFrom: 2 * MiB, crlfEvents: 3_000 };

/** W1: tiny token events, one per chunk. */
export function w1(): Workload {
  const data = tokenData(SIZES.tokenEvents);
  return workload(
    'W1',
    `W1: ${SIZES.tokenEvents.toLocaleString('en')} token events, one per chunk`,
    data.map((value) => `data: ${value}\n\n`),
    asEvents(data),
  );
}

/** W2: the same events in 64 KiB chunks. */
export function w2(): Workload {
  const data = tokenData(SIZES.bigChunkEvents);
  const text = data.map((value) => `data: ${value}\n\n`).join('');
  const title = `W2: ${SIZES.bigChunkEvents.toLocaleString('en')} token events in 64 KiB chunks`;
  return workload('W2', title, chunksOf(text, 64 * KiB), asEvents(data));
}

/** W3: events of 32 data lines of 1 KiB each, in 16 KiB chunks. */
export function w3(): Workload {
  const line = base64Like(KiB);
  const data: string[] = [];
  let text = '';
  for (let index = 0; index < SIZES.multiLineEvents; index += 1) {
    const lines = Array.from({ length: 32 }, (_, number) => `${index}:${number}:${line.slice(0, KiB - 8)}`);
    data.push(lines.join('\n'));
    text += `${lines.map((value) => `data: ${value}\n`).join('')}\n`;
  }
  return workload(
    'W3',
    `W3: ${SIZES.multiLineEvents} events of 32 data lines of 1 KiB, 16 KiB chunks`,
    chunksOf(text, 16 * KiB),
    asEvents(data),
  );
}

/**
 * W4: one event of `size` characters in all ("data: ", the data, the blank line: within the default
 * `maxEventSize` at 16 MiB), in 4 KiB chunks.
 */
export function w4(size = SIZES.largeEvent): Workload {
  const data = base64Like(size - 'data: \n\n'.length);
  return workload('W4', `W4: one ${size >= MiB ? `${size / MiB} MiB` : `${size / KiB} KiB`} event, 4 KiB chunks`, chunksOf(`data: ${data}\n\n`, 4 * KiB), asEvents([data]));
}

/** W5: CRLF token events (with `event` and `id` fields) in 7-byte chunks. */
export function w5(count = SIZES.crlfEvents): Workload {
  const data = tokenData(count);
  const text = data.map((value, index) => `event: delta\r\nid: ${index}\r\ndata: ${value}\r\n\r\n`).join('');
  return workload(
    'W5',
    `W5: ${count.toLocaleString('en')} CRLF events (event, id, data), 7-byte chunks`,
    chunksOf(text, 7),
    data.map((value, index) => ({ type: 'delta', data: value, id: String(index) })),
    '\r\n\r\n',
    count > 100 ? w5(100) : undefined,
  );
}
