/** @jsxRuntime automatic @jsxImportSource react */ // (tsx reads the root tsconfig, which has no `jsx`)
// The components the render benchmark mounts: the same tiny chat (a Send button and the reply's
// text) written with useChatStream and with the AI SDK's useChat. Each counts its renders and
// writes the reply and whether it has finished to the DOM, where the benchmark watches them.
import { useChat } from '@ai-sdk/react';
import { useChatStream } from '@tokenstream/react';
import { DefaultChatTransport } from 'ai';
import { useState, type ReactElement } from 'react';
import { frameClock } from './render-environment.js';
import type { WireFormat } from './render-streams.js';

/** The prompt every candidate sends. */
export const PROMPT = 'Tell me a long story';

/** The frame (see {@link frameClock}) of each render since the last `clear()`. */
export const renderLog = {
  frames: [] as number[],
  clear(): void {
    this.frames = [];
  },
};

/** Called in each candidate's body: one entry per render. */
function countRender(): void {
  renderLog.frames.push(frameClock.frames);
}

interface ChatProps {
  readonly fetch: typeof fetch;
}

/** What every candidate renders: the reply in an `<output>`, `data-finished` once the reply ended. */
function ChatView(props: { readonly text: string; readonly finished: boolean; readonly error: Error | undefined; readonly onSend: () => void }): ReactElement {
  return (
    <div>
      <button type="button" onClick={props.onSend}>
        Send
      </button>
      <output data-finished={props.finished} data-error={props.error?.message}>
        {props.text}
      </output>
    </div>
  );
}

function TokenstreamChat({ fetch }: ChatProps): ReactElement {
  countRender();
  const { status, text, error, send } = useChatStream({ url: '/chat/stream', fetch });
  const finished = status === 'done' || status === 'error' || status === 'aborted';
  return <ChatView text={text} finished={finished} error={error} onSend={() => void send(PROMPT)} />;
}

function AiSdkChat({ fetch, throttle }: ChatProps & { readonly throttle?: number }): ReactElement {
  countRender();
  const [transport] = useState(() => new DefaultChatTransport({ api: '/api/chat', fetch }));
  const { messages, status, error, sendMessage } = useChat(throttle === undefined ? { transport } : { transport, throttle });
  const last = messages.at(-1);
  const text = last?.role === 'assistant' ? last.parts.map((part) => (part.type === 'text' ? part.text : '')).join('') : '';
  const finished = status === 'error' || (status === 'ready' && messages.length >= 2);
  return <ChatView text={text} finished={finished} error={error} onSend={() => void sendMessage({ text: PROMPT })} />;
}

/** One column of the benchmark's table. */
export interface Candidate {
  readonly name: string;
  readonly format: WireFormat;
  readonly Chat: (props: ChatProps) => ReactElement;
}

export const candidates: readonly Candidate[] = [
  { name: 'useChatStream', format: 'token', Chat: TokenstreamChat },
  { name: 'useChat', format: 'ai-sdk', Chat: (props) => <AiSdkChat {...props} /> },
  { name: 'useChat throttle 16', format: 'ai-sdk', Chat: (props) => <AiSdkChat {...props} throttle={16} /> },
];

/** The candidate the time column is compared with. */
export const BASELINE = 'useChat throttle 16';
