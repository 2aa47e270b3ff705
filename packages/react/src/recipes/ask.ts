import { streamTokens } from '@tokenstream/sse-client';

// The code under test: streams an answer, showing the text so far, and returns the whole text.
export function ask(prompt: string, show: (text: string) => void, signal?: AbortSignal): Promise<string> {
  return streamTokens('/chat/stream', { body: { prompt }, signal, onToken: (_token, text) => show(text) }).text;
}
