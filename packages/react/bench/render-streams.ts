// The replies of the render benchmark: the same tokens in the default `{"token"}` format (for
// useChatStream) and in the AI SDK UI message stream (for useChat), cut into network chunks up
// front, and a fake `fetch` whose response body hands them out lazily, at the scenario's pace.
import { aiSdkUIMessageEvents, tokenEvents } from '@tokenstream/sse-client/testing';

/** Which wire format a candidate reads. */
export type WireFormat = 'token' | 'ai-sdk';

/**
 * How fast the chunks arrive: `'burst'` enqueues each chunk as soon as the reader pulls (the whole
 * reply is read in microtasks); `'task'` waits for one macrotask before each chunk, as a browser
 * delivers each network read in a task of its own.
 */
export type Pacing = 'burst' | 'task';

const WORDS = ['the', 'stream', 'of', 'tokens', 'arrives', 'quickly', 'and', 'renders', 'once', 'per', 'frame', 'é', '👋', '\n'];

/** `count` tokens of a plausible reply (words, spaces, a newline, non-ASCII), deterministic. */
export function replyTokens(count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const word = WORDS[(index * 7 + (index >> 3)) % WORDS.length]!;
    return index === 0 || word === '\n' ? word : ` ${word}`;
  });
}

const encoder = new TextEncoder();

/**
 * The bytes of a reply in `format`, `tokensPerChunk` token events per network chunk: the events
 * before the first token (the AI SDK's `start`, `start-step`, `text-start`) go with the first chunk,
 * those after the last (`text-end`, `finish-step`, `finish`, `[DONE]`) with the last.
 */
export function replyChunks(format: WireFormat, tokens: readonly string[], tokensPerChunk: number): Uint8Array[] {
  const events = format === 'token' ? tokenEvents(tokens) : aiSdkUIMessageEvents(tokens);
  const marker = format === 'token' ? '"token"' : '"text-delta"';
  const head = events.findIndex((event) => event.includes(marker));
  const tail = events.length - head - tokens.length;
  if (head < 0 || tail < 0 || events.slice(head, head + tokens.length).some((event) => !event.includes(marker))) {
    throw new Error(`unexpected ${format} events: want one event per token`);
  }
  const chunks: string[] = [];
  for (let start = 0; start < tokens.length; start += tokensPerChunk) {
    chunks.push(events.slice(head + start, head + Math.min(start + tokensPerChunk, tokens.length)).join(''));
  }
  chunks[0] = events.slice(0, head).join('') + chunks[0]!;
  chunks[chunks.length - 1] += events.slice(head + tokens.length).join('');
  return chunks.map((chunk) => encoder.encode(chunk));
}

/**
 * Resolves after one macrotask: `setImmediate`, one turn of Node's event loop, so the animation
 * frame timer still fires on time between chunks, as a browser renders between tasks. (Node drains
 * up to 1,000 `MessageChannel` messages in one go, which would starve the frames.)
 */
const nextTask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  // What the AI SDK's server sends with a UI message stream (neither client checks it).
  'x-vercel-ai-ui-message-stream': 'v1',
};

/**
 * A `fetch` that answers every request with `chunks` as a `text/event-stream` body: each chunk is
 * enqueued when the reader pulls, at once (`'burst'`) or after a macrotask (`'task'`).
 */
export function replyFetch(chunks: readonly Uint8Array[], pacing: Pacing): typeof fetch {
  const fetchReply = async (): Promise<Response> => {
    let index = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          if (pacing === 'task') await nextTask();
          controller.enqueue(chunks[index]!);
          index += 1;
          if (index === chunks.length) controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(body, { status: 200, headers: HEADERS });
  };
  return fetchReply as typeof fetch;
}
