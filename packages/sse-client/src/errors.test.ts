// The error classes: one constructor shape, literal names that narrow, shared fields on one base.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ContentTypeError,
  EventTooLargeError,
  HTTPError,
  IncompleteStreamError,
  NetworkError,
  ProtocolError,
  ReconnectLimitError,
  RequestError,
  ServerStreamError,
  TimeoutError,
  TokenStreamError,
  type RequestDescription,
} from './index.js';
import { MAX_QUOTED_TEXT } from './errors.js';
import { plainTextErrorPart } from './protocols/shared.js';

const request: RequestDescription = { method: 'POST', url: '/chat/stream' };

type ClientError =
  | HTTPError
  | ContentTypeError
  | ServerStreamError
  | IncompleteStreamError
  | NetworkError
  | TimeoutError
  | ProtocolError
  | EventTooLargeError
  | ReconnectLimitError;

/** What a UI might do with each: every branch reads a field only its class has, so `name` must narrow. */
function describeError(error: ClientError): string {
  switch (error.name) {
    case 'HTTPError':
      return `status ${error.status}`;
    case 'ContentTypeError':
      return `content type ${String(error.contentType)}`;
    case 'ServerStreamError':
      return `payload ${String(error.payload)}`;
    case 'IncompleteStreamError':
      return `cut after ${error.text.length} characters`;
    case 'NetworkError':
      return `${error.attempts} attempts`;
    case 'TimeoutError':
      return `${error.kind} ${error.timeout} ms`;
    case 'ProtocolError':
      return `data ${error.data}`;
    case 'EventTooLargeError':
      return `over ${error.maxEventSize}`;
    case 'ReconnectLimitError':
      return `${error.reconnects} reconnections`;
    default: {
      // Every name is handled: `error` is `never` here, or this does not compile.
      const unhandled: never = error;
      return unhandled;
    }
  }
}

describe('error names', () => {
  it('are literal types, so `error.name` narrows a union of error classes', () => {
    expectTypeOf<HTTPError['name']>().toEqualTypeOf<'HTTPError'>();
    expectTypeOf<TimeoutError['name']>().toEqualTypeOf<'TimeoutError'>();
    expectTypeOf<ClientError['name']>().not.toEqualTypeOf<string>();
    expect(describeError(new TimeoutError({ kind: 'idle', timeout: 5, request, text: 'a' }))).toBe('idle 5 ms');
    expect(describeError(new HTTPError({ response: new Response(null, { status: 502 }), request }))).toBe('status 502');
  });

  it('are the class names at run time (and survive in String(error))', () => {
    const error = new IncompleteStreamError({ request, text: 'Once' });
    expect(error.name).toBe('IncompleteStreamError');
    expect(String(error)).toBe('IncompleteStreamError: Stream ended before its terminator: POST /chat/stream');
  });
});

describe('the shared fields', () => {
  it('request, text and cause live on RequestError; text defaults to ""', () => {
    const cause = new TypeError('fetch failed');
    const errors = [
      new HTTPError({ response: new Response(null, { status: 500 }), request }),
      new ContentTypeError({ response: new Response('<html>', { headers: { 'content-type': 'text/html' } }), request }),
      new NetworkError({ request, cause }),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(RequestError);
      expect(error).toBeInstanceOf(TokenStreamError);
      expect(error).toMatchObject({ request, text: '' });
    }
    expect(errors[2]!.cause).toBe(cause);
    expectTypeOf<NetworkError['request']>().toEqualTypeOf<RequestDescription>();
    expectTypeOf<EventTooLargeError['request']>().toEqualTypeOf<RequestDescription | undefined>();
  });

  it('cause is the standard, non-enumerable Error.cause, and absent when not given', () => {
    const cause = new Error('inner');
    const error = new ServerStreamError({ message: 'boom', payload: { code: 1 }, request, text: 'Hi', cause });
    expect(Object.getOwnPropertyDescriptor(error, 'cause')).toMatchObject({ value: cause, enumerable: false });
    expect('cause' in new IncompleteStreamError({ request })).toBe(false);
    expect(error).toMatchObject({ payload: { code: 1 }, text: 'Hi', message: 'Server error event (boom): POST /chat/stream' });
  });

  it('the counts say how many requests were sent, in the message too', () => {
    const error = new HTTPError({ response: new Response(null, { status: 503 }), request, body: 'busy', attempts: 3 });
    expect(error).toMatchObject({ status: 503, body: 'busy', attempts: 3 });
    expect(error.message).toBe('Request failed with status 503: POST /chat/stream (gave up after 3 attempts)');
    expect(new NetworkError({ request })).toMatchObject({ attempts: 1 });
  });

  it('an EventTooLargeError thrown by the parser has no request', () => {
    const error = new EventTooLargeError({ maxEventSize: 1024 });
    expect(error).toMatchObject({ maxEventSize: 1024, request: undefined, text: '' });
    expect(error.message).toBe('An event grew past maxEventSize (1024 UTF-16 code units)');
    expect(new EventTooLargeError({ maxEventSize: 8, request, text: 'x' }).message).toBe(
      'An event grew past maxEventSize (8 UTF-16 code units): POST /chat/stream',
    );
  });

  it('a ProtocolError keeps at most 1,024 characters of the data', () => {
    const error = new ProtocolError({ protocol: 'token', data: 'x'.repeat(2000), request, text: '' });
    expect(error.data).toHaveLength(1025);
    expect(error.message).toBe('Malformed token event: POST /chat/stream');
  });

  it('one limit for the server text errors keep: a ProtocolError\'s data and a plain-text error event\'s message', () => {
    expect(MAX_QUOTED_TEXT).toBe(1024);
    const whole = 'x'.repeat(MAX_QUOTED_TEXT);
    const long = `${whole}y`;
    expect(new ProtocolError({ protocol: 'token', data: whole, request }).data).toBe(whole);
    expect(new ProtocolError({ protocol: 'token', data: long, request }).data).toBe(`${whole}…`);
    expect(plainTextErrorPart({ type: 'error', data: whole, lastEventId: '' })?.message).toBe(whole);
    expect(plainTextErrorPart({ type: 'error', data: long, lastEventId: '' })?.message).toBe(`${whole}…`);
  });

  it('a ReconnectLimitError quotes its cause', () => {
    const error = new ReconnectLimitError({ reconnects: 20, request, text: 'a', cause: new TypeError('terminated') });
    expect(error.message).toBe('Stream dropped (terminated) after 20 reconnections (reconnect.totalLimit): POST /chat/stream');
  });
});
