// Small helpers shared by the protocols (internal: not exported from the package).

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
