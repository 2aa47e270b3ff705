import {
  ContentTypeError,
  EventTooLargeError,
  HTTPError,
  IncompleteStreamError,
  NetworkError,
  ProtocolError,
  ServerStreamError,
  TimeoutError,
  isTokenStreamError,
} from '@tokenstream/react';

// Two audiences: the person chatting reads a plain sentence next to the reply (errorMessage); the
// developer finds the error itself, whose message names the request (`POST /chat/stream`), its
// HTTP body and its cause, in the console (reportReplyError).

/** `Retry-After` in whole seconds (a number of seconds or an HTTP date), when the server sent one. */
function retryAfterSeconds(error: HTTPError): number | undefined {
  const value = error.headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined;
}

function httpErrorMessage(error: HTTPError): string {
  const { status } = error;
  if (status === 429) {
    const wait = retryAfterSeconds(error);
    return wait === undefined
      ? 'The service is busy right now. Wait a moment, then try again.'
      : `The service is busy right now. Try again in ${wait} second${wait === 1 ? '' : 's'}.`;
  }
  if (status === 401) return 'You are not signed in, or your session has expired. Sign in again, then retry.';
  if (status === 403) return 'You do not have access to this chat.';
  if (status === 404 || status === 405) return 'The chat service could not be found. It may be down or moved.';
  if (status === 408 || status === 504) return 'The server took too long to answer. Try again in a moment.';
  if (status === 413) return 'Your message is too long for the server. Try a shorter one.';
  if (status >= 500) return 'The server ran into a problem and could not answer. Try again in a moment.';
  if (status >= 400) return 'The server could not accept this message. Try rephrasing it, or reload the page.';
  return 'The server did not send a reply. Try again in a moment.';
}

/**
 * The sentence to show the user next to a failed reply: what happened and what they can do, in
 * plain words, with no request detail (method, URL, status codes, server payloads). The partial
 * reply stays in view above it, so the sentences about a cut reply say that it may be incomplete.
 *
 * @param error - The reply's `error` (usually a `TokenStreamError` subclass; any `Error` works).
 * @returns One or two short sentences.
 */
export function errorMessage(error: Error): string {
  if (error instanceof HTTPError) return httpErrorMessage(error);
  if (error instanceof NetworkError) {
    return error.text === ''
      ? 'Could not reach the server. Check your connection, then try again.'
      : 'The connection was lost, so this reply is incomplete.';
  }
  if (error instanceof TimeoutError) {
    return error.kind === 'idle'
      ? 'The server stopped responding, so this reply is incomplete.'
      : 'The reply took too long and was cut off.';
  }
  if (error instanceof IncompleteStreamError) return 'The connection closed before the reply was finished, so it may be cut off.';
  // (ReconnectLimitError is not exported by the package's entry point yet: recognised by its name.)
  if (error.name === 'ReconnectLimitError') return 'The connection kept dropping, so this reply could not be finished.';
  if (error instanceof ServerStreamError) return 'The model ran into a problem and could not finish this reply.';
  if (error instanceof ContentTypeError) return 'The server answered with something that is not a chat reply. Reload the page, then try again.';
  if (error instanceof ProtocolError || error instanceof EventTooLargeError) return 'The server sent a reply this app could not read.';
  if (isTokenStreamError(error)) return 'This reply could not be completed. Try again.';
  return 'Something went wrong. Try again.';
}

/**
 * Writes a failed reply's developer detail to the console: the error (its message names the
 * request, e.g. `Request failed with status 500 (Internal Server Error): POST /chat/stream`; its
 * `cause` and stack follow), and an HTTP error's response body, which often says why.
 */
export function reportReplyError(error: Error): void {
  if (error instanceof HTTPError && error.body !== undefined) {
    console.error(`Chat reply failed: ${error.message}`, error, { responseBody: error.body });
  } else {
    console.error(`Chat reply failed: ${error.message}`, error);
  }
}
