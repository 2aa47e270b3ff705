import type { ChatMessage } from '@tokenstream/react';
import { MessageRow } from './message-row';
import { useStickToBottom } from './use-stick-to-bottom';

/** Props of {@link MessageList}. */
export interface MessageListProps {
  /** The conversation, oldest first (from the chat store: unchanged messages keep their identity). */
  readonly messages: readonly ChatMessage[];
}

function lastUserMessageId(messages: readonly ChatMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i -= 1) if (messages[i]!.role === 'user') return messages[i]!.id;
  return undefined;
}

/**
 * The conversation, each reply with its own status mark, metrics and error. It follows the newest
 * content while a reply streams (unless the user scrolled up to read), and a reply that stops or
 * fails stays in view with its mark and error, which belong to the reply rather than to a banner.
 */
export function MessageList({ messages }: MessageListProps) {
  const { ref, onScroll } = useStickToBottom<HTMLElement>(messages, lastUserMessageId(messages));
  return (
    <section ref={ref} onScroll={onScroll} className="messages" aria-label="Conversation" aria-live="polite">
      {messages.length === 0 ? (
        <p className="messages__empty">
          Ask anything: the reply streams in word by word. Include the word “error” in your prompt to see how a failure
          in mid-stream looks.
        </p>
      ) : (
        <ol className="messages__list">
          {messages.map((message) => (
            <MessageRow key={message.id} message={message} />
          ))}
        </ol>
      )}
    </section>
  );
}
