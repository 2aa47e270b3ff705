// No added latency: an event reaches the consumer in the same task as the bytes that end it.
import { describe, expect, it } from 'vitest';
import { fetchEventStream, streamParts, streamTokens } from './index.js';
import { createFakeFetch } from './testing/index.js';

const encoder = new TextEncoder();

/**
 * A response whose body hands out `chunks` one per read (nothing is read ahead). When the chunk at
 * `marked` is handed out, a macrotask is scheduled that logs `"next task"`: whatever the consumer
 * logs before it was delivered in the task in which that chunk arrived.
 */
function responseMarking(chunks: readonly string[], marked: number, log: string[]): Response {
  let index = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (index === marked) setTimeout(() => log.push('next task'), 0);
        if (index < chunks.length) controller.enqueue(encoder.encode(chunks[index++]));
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

// The token event ends with the second chunk (its blank line); then the terminator.
const CHUNKS = [': open\n\n', 'data: {"token":"Hi"}\n', '\n', 'data: [DONE]\n\n'];

describe('an event is delivered in the task in which its terminating bytes arrive', () => {
  it('streamTokens: the token before any later task', async () => {
    const log: string[] = [];
    const fetch = createFakeFetch(() => responseMarking(CHUNKS, 2, log));
    for await (const token of streamTokens('/c', { fetch })) log.push(token);
    expect(log[0]).toBe('Hi');
  });

  it('streamTokens: onToken too', async () => {
    const log: string[] = [];
    const fetch = createFakeFetch(() => responseMarking(CHUNKS, 2, log));
    await streamTokens('/c', { fetch, onToken: (token) => log.push(token) }).text;
    expect(log[0]).toBe('Hi');
  });

  it('streamParts: the part before any later task', async () => {
    const log: string[] = [];
    const fetch = createFakeFetch(() => responseMarking(CHUNKS, 2, log));
    for await (const part of streamParts('/c', { fetch })) log.push(part.type);
    expect(log[0]).toBe('text-delta');
  });

  it('fetchEventStream: the event before any later task', async () => {
    const log: string[] = [];
    const fetch = createFakeFetch(() => responseMarking(CHUNKS, 2, log));
    for await (const event of fetchEventStream('/c', { fetch })) {
      log.push(event.data);
      if (event.data === '[DONE]') break;
    }
    expect(log[0]).toBe('{"token":"Hi"}');
  });
});
