import { streamTokens, type StreamProtocol } from '@tokenstream/sse-client';

// A server of your own format: `data: {"text": "..."}` events, ended by `event: end`, with
// errors sent as `event: failure`. The decoder maps each event to parts (or `undefined` to ignore
// it); a throw marks the event as malformed (a ProtocolError).
export const myProtocol: StreamProtocol = {
  name: 'my-format',
  createDecoder: () => (event) => {
    if (event.type === 'end') return { type: 'finish', finishReason: 'stop' };
    if (event.type === 'failure') return { type: 'error', message: event.data, payload: event.data };
    if (event.type !== 'message') return undefined;
    return { type: 'text-delta', delta: (JSON.parse(event.data) as { text: string }).text };
  },
};

export function askMyServer(prompt: string): Promise<string> {
  return streamTokens('/my/stream', { protocol: myProtocol, body: { prompt } }).text;
}
