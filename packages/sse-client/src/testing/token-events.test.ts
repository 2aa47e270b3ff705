// tokenEvents: the `{"token"}` format carries text only.
import { describe, expect, it } from 'vitest';
import { tokenEvents } from './token-events.js';

describe('tokenEvents: items other than text', () => {
  it.each([
    [{ type: 'reasoning', text: 'Hm' }, 'reasoning'],
    [{ type: 'tool-call', toolName: 'f' }, 'tool-call'],
    [{ type: 'tool-result', toolCallId: 'c', output: 1 }, 'tool-result'],
  ] as const)('throws a TypeError for %j rather than drop it', (item, type) => {
    expect(() => tokenEvents(['Hi', item])).toThrow(new TypeError(`The {"token"} wire format has no ${type} events`));
  });

  it('writes strings exactly as before', () => {
    expect(tokenEvents(['Hel', 'lo'])).toEqual(['data: {"token":"Hel"}\n\n', 'data: {"token":"lo"}\n\n', 'data: [DONE]\n\n']);
  });
});
