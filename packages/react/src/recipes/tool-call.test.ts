import { openAIChatProtocol, streamParts } from '@tokenstream/sse-client';
import { createFakeFetch, openAIChatEvents, sseResponse } from '@tokenstream/sse-client/testing';
import { expect, it } from 'vitest';

it('streams a tool call: its input as it grows, then the complete call', async () => {
  const events = openAIChatEvents(
    ['Let me check. ', { type: 'tool-call', toolName: 'get_weather', input: { city: 'Paris' } }],
    { type: 'done', finishReason: 'tool_calls' },
  );
  const fetch = createFakeFetch(() => sseResponse(events, { chunking: 'byte' }));

  // What a UI would render while the arguments stream: the partial input after each piece.
  const shown: unknown[] = [];
  const stream = streamParts('/v1/chat/completions', { protocol: openAIChatProtocol, fetch });
  for await (const part of stream) {
    if (part.type === 'tool-input-delta') shown.push(part.input);
  }
  const { text, toolCalls, finish } = await stream.result;

  expect(text).toBe('Let me check. ');
  expect(shown).toEqual([{}, { city: 'Par' }, { city: 'Paris' }]); // '{"city' + '":"Par' + 'is"}'
  expect(toolCalls).toMatchObject([{ toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } }]);
  expect(finish).toMatchObject({ finishReason: 'tool-calls', rawFinishReason: 'tool_calls' });
});
