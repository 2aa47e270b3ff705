import type { ChatMessage, ChatStatus } from '@tokenstream/react';
import { useEffect, useRef } from 'react';

/** Props of {@link MessageList}. */
export interface MessageListProps {
  /** The conversation, oldest first. */
  readonly messages: readonly ChatMessage[];
  /** The chat's status, which is the status of its last message (the latest reply). */
  readonly status: ChatStatus;
}

/** The conversation. Text is rendered as text (never as HTML), line breaks kept by CSS. */
export function MessageList({ messages, status }: MessageListProps) {
  const endRef = useRef<HTMLDivElement>(null);
  const lastContent = messages.at(-1)?.content;

  // Keep the newest text in view as it arrives.
  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'end' });
  }, [messages.length, lastContent]);

  return (
    <section className="messages" aria-label="Conversation" aria-live="polite">
      {messages.length === 0 ? (
        <p className="messages__empty">
          Ask anything: the reply streams in word by word. Include the word “error” in your prompt to see how a failure
          in mid-stream looks.
        </p>
      ) : (
        <ol className="messages__list">
          {messages.map((message, index) => {
            const latest = index === messages.length - 1;
            const inFlight = latest && status === 'streaming';
            return (
              <li key={message.id} className={`message message--${message.role}`}>
                <span className="message__author">{message.role === 'user' ? 'You' : 'Assistant'}</span>
                <p className="message__text">
                  {message.content}
                  {inFlight && message.content === '' && <span className="message__pending">Thinking…</span>}
                  {inFlight && <span className="message__caret" aria-hidden="true" />}
                  {!inFlight && message.content === '' && <span className="message__pending">(no text)</span>}
                </p>
                {latest && status === 'aborted' && <span className="message__note">Stopped</span>}
              </li>
            );
          })}
        </ol>
      )}
      <div ref={endRef} />
    </section>
  );
}
