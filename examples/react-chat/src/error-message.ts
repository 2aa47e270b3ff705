import { HTTPError } from '@tokenstream/react';

/**
 * The text to show for a failed reply: the error's message, plus the server's own explanation
 * when it refused the request with a JSON body such as `{"error": "Missing \"prompt\""}`.
 */
export function errorMessage(error: Error): string {
  const body: unknown = error instanceof HTTPError ? error.body : undefined;
  if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string') {
    return `${error.message} — ${body.error}`;
  }
  return error.message;
}
