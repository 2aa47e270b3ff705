import {
  ContentTypeError,
  EventTooLargeError,
  HTTPError,
  IncompleteStreamError,
  NetworkError,
  ProtocolError,
  ServerStreamError,
  TimeoutError,
  TokenStreamError,
} from '@tokenstream/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorMessage, reportReplyError } from './error-message';

const request = { method: 'POST', url: 'https://api.example.com/chat/stream?…' };
const http = (status: number, headers: HeadersInit = {}) => new HTTPError({ response: new Response(null, { status, headers }), request });

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('errorMessage: a sentence for the user', () => {
  it.each<[string, Error, string]>([
    ['429', http(429), 'The service is busy right now. Wait a moment, then try again.'],
    ['429 with Retry-After in seconds', http(429, { 'retry-after': '3' }), 'The service is busy right now. Try again in 3 seconds.'],
    ['401', http(401), 'You are not signed in, or your session has expired. Sign in again, then retry.'],
    ['403', http(403), 'You do not have access to this chat.'],
    ['404', http(404), 'The chat service could not be found. It may be down or moved.'],
    ['413', http(413), 'Your message is too long for the server. Try a shorter one.'],
    ['504', http(504), 'The server took too long to answer. Try again in a moment.'],
    ['500', http(500), 'The server ran into a problem and could not answer. Try again in a moment.'],
    ['503', http(503), 'The server ran into a problem and could not answer. Try again in a moment.'],
    ['400', http(400), 'The server could not accept this message. Try rephrasing it, or reload the page.'],
    ['422', http(422), 'The server could not accept this message. Try rephrasing it, or reload the page.'],
    [
      'a network error before the reply',
      new NetworkError({ request, text: '', cause: new TypeError('fetch failed') }),
      'Could not reach the server. Check your connection, then try again.',
    ],
    [
      'a network error during the reply',
      new NetworkError({ request, text: 'Once', cause: new TypeError('terminated') }),
      'The connection was lost, so this reply is incomplete.',
    ],
    ['an idle timeout', new TimeoutError({ kind: 'idle', timeout: 30_000, request, text: 'Once' }), 'The server stopped responding, so this reply is incomplete.'],
    ['a total timeout', new TimeoutError({ kind: 'total', timeout: 60_000, request, text: 'Once' }), 'The reply took too long and was cut off.'],
    [
      'a stream cut before its terminator',
      new IncompleteStreamError({ request, text: 'Once' }),
      'The connection closed before the reply was finished, so it may be cut off.',
    ],
    [
      'an error event from the server',
      new ServerStreamError({ message: 'model crashed', payload: 'model crashed', request, text: 'Once' }),
      'The model ran into a problem and could not finish this reply.',
    ],
    [
      'a response that is not an event stream',
      new ContentTypeError({ response: new Response('<html></html>', { headers: { 'content-type': 'text/html' } }), request }),
      'The server answered with something that is not a chat reply. Reload the page, then try again.',
    ],
    ['a malformed event', new ProtocolError({ protocol: '{"token"}', data: 'garbage', request, text: '' }), 'The server sent a reply this app could not read.'],
    ['an oversized event', new EventTooLargeError({ maxEventSize: 1024, text: '', request }), 'The server sent a reply this app could not read.'],
    ['any other library error', new TokenStreamError('A reply is still streaming'), 'This reply could not be completed. Try again.'],
    ['any other error', new TypeError('Failed to construct URL'), 'Something went wrong. Try again.'],
  ])('%s', (_, error, message) => {
    expect(errorMessage(error)).toBe(message);
  });

  it('reads a Retry-After date as the seconds left until then', () => {
    vi.useFakeTimers({ now: Date.parse('2025-01-01T00:00:00Z') });
    expect(errorMessage(http(429, { 'retry-after': 'Wed, 01 Jan 2025 00:01:00 GMT' }))).toBe(
      'The service is busy right now. Try again in 60 seconds.',
    );
  });

  it('never shows the request (method, URL), a status code or the server’s payload', () => {
    const errors = [http(500), new ServerStreamError({ message: 'secret internals', payload: { detail: 'secret internals' }, request, text: '' })];
    for (const error of errors) {
      expect(error.message).toContain('POST https://api.example.com/chat/stream');
      expect(errorMessage(error)).not.toMatch(/POST|example\.com|500|secret/);
    }
  });
});

describe('reportReplyError: the detail for the developer', () => {
  it('logs the error, whose message names the request', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const error = new IncompleteStreamError({ request, text: 'Once' });
    reportReplyError(error);
    expect(log).toHaveBeenCalledWith(`Chat reply failed: ${error.message}`, error);
    expect(error.message).toMatch(/: POST https:\/\/api\.example\.com\/chat\/stream\?…$/);
  });

  it('logs an HTTP error’s response body too', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const error = new HTTPError({ response: new Response(null, { status: 400 }), request, body: { error: 'Missing "prompt"' } });
    reportReplyError(error);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('status 400'), error, { responseBody: { error: 'Missing "prompt"' } });
  });
});
