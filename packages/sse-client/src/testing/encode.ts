import { formatEvent, type EventInit } from './format.js';

/**
 * What a test double writes to a `text/event-stream` body, one item at a time:
 * - a `string`: raw event-stream text, written as is (encoded as UTF-8), e.g. `'data: hi\n\n'`
 *   or a piece of an event;
 * - a `Uint8Array`: raw bytes, written as is (to split a multibyte character, or send invalid UTF-8);
 * - an {@link EventInit} (`{ data, event?, id?, retry?, comment? }`): one whole event, serialised
 *   with {@link formatEvent}.
 *
 * @example
 * ```ts
 * const items: EventItem[] = [{ event: 'ping', data: '' }, 'data: {"token":"Hi"}\n\n', new Uint8Array([0x3a, 0x0a])];
 * ```
 */
export type EventItem = string | Uint8Array | EventInit;

const encoder = new TextEncoder();

/**
 * Encodes one {@link EventItem} as UTF-8 bytes. Bytes are returned as they are (not copied).
 *
 * @example
 * ```ts
 * encodeItem({ data: 'hi' }); // the bytes of 'data: hi\n\n'
 * ```
 */
export function encodeItem(item: EventItem): Uint8Array {
  if (typeof item === 'string') return encoder.encode(item);
  if (item instanceof Uint8Array) return item;
  return encoder.encode(formatEvent(item));
}

/** The bytes of `parts`, one after the other, in a new array. @internal */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
