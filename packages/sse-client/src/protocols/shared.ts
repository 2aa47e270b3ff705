// Small helpers shared by the protocols (internal: not exported from the package).
import { truncateText } from '../errors.js';
import type { ServerSentEvent } from '../types.js';
import type { ErrorPart } from './types.js';

/** True for a JSON object (not `null`, not an array). @internal */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A human-readable message for an error payload: the payload itself when it is a string, its
 * `message` when that is a string, the message of a nested `error` object
 * (`{"type":"error","error":{"message":"..."}}`), else the payload as JSON.
 *
 * @internal
 */
export function errorMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  if (isRecord(error)) {
    if (typeof error.message === 'string') return error.message;
    if (isRecord(error.error)) return errorMessage(error.error);
  }
  return JSON.stringify(error) ?? String(error);
}

/**
 * For an `error` event (`event: error`) whose data is not a JSON object, the {@link ErrorPart} it
 * stands for: the server reporting an error in plain text, as Hono's `streamSSE` error handler
 * writes it (`event: error` then `data: <the error's message>`). The `message` is the data,
 * trimmed and cut to `MAX_QUOTED_TEXT` (1,024) characters (`"…"` marks a cut); the `payload` is the
 * data as sent. Returns `undefined` for any other event, and for an `error` event whose data is a
 * JSON object (each protocol reads those its own way).
 *
 * @internal
 */
export function plainTextErrorPart(event: ServerSentEvent): ErrorPart | undefined {
  if (event.type !== 'error') return undefined;
  try {
    if (isRecord(JSON.parse(event.data))) return undefined;
  } catch {
    // Not JSON: plain text.
  }
  const text = event.data.trim();
  return { type: 'error', message: text === '' ? 'an error event without a message' : truncateText(text), payload: event.data };
}
