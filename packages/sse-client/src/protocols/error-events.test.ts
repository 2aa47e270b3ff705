// Every built-in protocol reads `event: error` as the server reporting an error, whatever its data:
// plain text (what Hono's streamSSE error handler writes), JSON that is not an object, or the
// format's own JSON error object.
import { describe, expect, it } from 'vitest';
import { sseEvent } from '../test/helpers.js';
import { aiSdkUIMessageProtocol } from './ai-sdk.js';
import { anthropicProtocol } from './anthropic.js';
import { openAIChatProtocol } from './openai-chat.js';
import { openAIResponsesProtocol } from './openai-responses.js';
import { tokenProtocol } from './token.js';
import type { StreamProtocol } from './types.js';

const PROTOCOLS: readonly StreamProtocol[] = [
  tokenProtocol,
  openAIChatProtocol,
  openAIResponsesProtocol,
  anthropicProtocol,
  aiSdkUIMessageProtocol,
];

function decodeError(protocol: StreamProtocol, data: string) {
  return protocol.createDecoder()(sseEvent(data, 'error'));
}

describe.each(PROTOCOLS.map((protocol) => [protocol.name, protocol] as const))('%s: event: error', (_name, protocol) => {
  it('with plain-text data: an error part, the text as message, the data as payload', () => {
    expect(decodeError(protocol, 'upstream model timed out')).toEqual({
      type: 'error',
      message: 'upstream model timed out',
      payload: 'upstream model timed out',
    });
  });

  it('trims the message, keeps inner newlines, and keeps the payload as sent', () => {
    expect(decodeError(protocol, '  model crashed\nretry later \n')).toEqual({
      type: 'error',
      message: 'model crashed\nretry later',
      payload: '  model crashed\nretry later \n',
    });
  });

  it('cuts a long message to 1,024 characters, the payload whole', () => {
    const long = 'x'.repeat(5000);
    expect(decodeError(protocol, long)).toEqual({ type: 'error', message: `${'x'.repeat(1024)}…`, payload: long });
  });

  it('with JSON that is not an object (a number, a quoted string, null, an array): the text as message', () => {
    for (const data of ['504', '"timed out"', 'null', '[1,2]']) {
      expect(decodeError(protocol, data)).toEqual({ type: 'error', message: data, payload: data });
    }
  });

  it('with empty data: an error part that says so', () => {
    expect(decodeError(protocol, '')).toEqual({ type: 'error', message: 'an error event without a message', payload: '' });
  });

  it('still ignores or reads message events as before: plain text there is malformed', () => {
    expect(() => protocol.createDecoder()(sseEvent('upstream model timed out'))).toThrow(SyntaxError);
  });
});

describe('event: error with a JSON object keeps each format\'s reading', () => {
  it('token: {"error"} gives the error value as payload; another object is the payload itself', () => {
    expect(decodeError(tokenProtocol, '{"error":{"message":"Overloaded","code":529}}')).toEqual({
      type: 'error',
      message: 'Overloaded',
      payload: { message: 'Overloaded', code: 529 },
    });
    expect(decodeError(tokenProtocol, '{"message":"boom"}')).toEqual({ type: 'error', message: 'boom', payload: { message: 'boom' } });
  });

  it('openai-chat: the error member, else the whole object', () => {
    expect(decodeError(openAIChatProtocol, '{"error":{"message":"Rate limited","type":"requests"}}')).toEqual({
      type: 'error',
      message: 'Rate limited',
      payload: { message: 'Rate limited', type: 'requests' },
    });
    expect(decodeError(openAIChatProtocol, '{"message":"boom"}')).toEqual({ type: 'error', message: 'boom', payload: { message: 'boom' } });
  });

  it('openai-responses: the whole data object', () => {
    const data = { type: 'error', code: 'rate_limit_exceeded', message: 'Slow down' };
    expect(decodeError(openAIResponsesProtocol, JSON.stringify(data))).toEqual({ type: 'error', message: 'Slow down', payload: data });
  });

  it('anthropic: the error object', () => {
    const error = { type: 'overloaded_error', message: 'Overloaded' };
    expect(decodeError(anthropicProtocol, JSON.stringify({ type: 'error', error }))).toEqual({
      type: 'error',
      message: 'Overloaded',
      payload: error,
    });
  });

  it('ai-sdk-ui-message: errorText, else message; the whole object as payload', () => {
    const part = { type: 'error', errorText: 'An error occurred.' };
    expect(decodeError(aiSdkUIMessageProtocol, JSON.stringify(part))).toEqual({
      type: 'error',
      message: 'An error occurred.',
      payload: part,
    });
    expect(decodeError(aiSdkUIMessageProtocol, '{"message":"boom"}')).toEqual({
      type: 'error',
      message: 'boom',
      payload: { message: 'boom' },
    });
  });
});
