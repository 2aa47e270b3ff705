// The SSE byte streams recorded by the official SDKs' own test suites (fixtures/sdk-recordings,
// provenance in its SOURCES.md), and a way to put an extra event in the middle of one.
import { readFileSync } from 'node:fs';

/** The bytes of a recording, by its path under `fixtures/sdk-recordings/` (`"anthropic/basic_response.sse"`). */
export function readRecording(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./fixtures/sdk-recordings/${path}`, import.meta.url)));
}

/**
 * The recording with `event` (whole event text, blank line included) put after its first `count`
 * events: a server error arriving after partial output. The rest of the recording follows
 * unchanged (a reader must not read past the error), unless `rest` is `false`.
 *
 * @throws {RangeError} when the recording has fewer than `count` events.
 */
export function withEventAfter(bytes: Uint8Array, count: number, event: string, rest = true): Uint8Array {
  const text = new TextDecoder().decode(bytes);
  // The recordings end each event with a blank line ("\n\n"), as their SDK tests serve them.
  const events = text.split(/(?<=\n\n)/);
  if (events.length < count) throw new RangeError(`The recording has ${events.length} events, fewer than ${count}`);
  return new TextEncoder().encode([...events.slice(0, count), event, ...(rest ? events.slice(count) : [])].join(''));
}

/** The `partial_json` pieces of a tool-use block of an Anthropic recording, in order. */
export function anthropicPartialJSON(bytes: Uint8Array, index: number): string[] {
  const pieces: string[] = [];
  for (const line of new TextDecoder().decode(bytes).split('\n')) {
    if (!line.startsWith('data:')) continue;
    const data = JSON.parse(line.slice('data:'.length)) as {
      type?: string;
      index?: number;
      delta?: { type?: string; partial_json?: string };
    };
    if (data.type === 'content_block_delta' && data.index === index && data.delta?.type === 'input_json_delta') {
      pieces.push(data.delta.partial_json ?? '');
    }
  }
  return pieces;
}
