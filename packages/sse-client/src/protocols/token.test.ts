// tokenProtocol: the default `{"token"}` format carries text only; `[DONE]` is a plain `stop`.
import { describe, expect, it } from 'vitest';
import { sseEvent } from '../test/helpers.js';
import { tokenProtocol } from './token.js';

describe('tokenProtocol: the decoder', () => {
  it('maps {"token"} to a text-delta part', () => {
    expect(tokenProtocol.createDecoder()(sseEvent('{"token":"Hel"}'))).toEqual({ type: 'text-delta', delta: 'Hel' });
  });

  it('maps [DONE] to a finish part with finishReason "stop", no raw reason and no usage (the format has none)', () => {
    expect(tokenProtocol.createDecoder()(sseEvent('[DONE]'))).toEqual({ type: 'finish', finishReason: 'stop' });
  });

  it('maps {"error"} to an error part, the payload the error value', () => {
    expect(tokenProtocol.createDecoder()(sseEvent('{"error":"upstream model timed out"}'))).toEqual({
      type: 'error',
      message: 'upstream model timed out',
      payload: 'upstream model timed out',
    });
  });

  it('throws a SyntaxError for JSON with neither a string token nor an error, and ignores other event types', () => {
    expect(() => tokenProtocol.createDecoder()(sseEvent('{"text":"Hel"}'))).toThrow(SyntaxError);
    expect(tokenProtocol.createDecoder()(sseEvent('{"token":"Hel"}', 'ping'))).toBeUndefined();
  });
});
