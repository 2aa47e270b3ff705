import type { ChatMessage } from '@tokenstream/react';
import { memo } from 'react';
import { errorMessage } from './error-message';
import { PartView } from './message-parts';
import { finishNote, metricsNote, STATUS_MARKS } from './reply-labels';

/** Under an assistant reply: its own status mark, why it ended when unusual, its metrics and, when it failed, why. */
function ReplyFooter({ message }: { readonly message: ChatMessage }) {
  const { status = 'done', error } = message;
  const finish = status === 'done' ? finishNote(message.finish) : undefined;
  const notes = metricsNote(message.metrics);
  return (
    <>
      <p className="reply__footer">
        <span className="mark" data-status={status}>
          {STATUS_MARKS[status]}
        </span>
        {finish !== undefined && <span className="reply__finish">{finish}</span>}
        {notes.length > 0 && <span className="reply__metrics">{notes.join(' · ')}</span>}
      </p>
      {status === 'error' && error !== undefined && (
        <p className="reply__error" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </>
  );
}

/** Props of {@link MessageRow}. */
export interface MessageRowProps {
  readonly message: ChatMessage;
}

/**
 * One message of the conversation, from its parts. Memoised: the chat store keeps the identity
 * of a message that did not change, so while a reply streams only its own row renders again.
 */
export const MessageRow = memo(function MessageRow({ message }: MessageRowProps) {
  const reply = message.role === 'assistant' && message.status !== undefined;
  const inFlight = message.status === 'submitted' || message.status === 'streaming';
  const { parts } = message;
  const author = message.role === 'user' ? 'You' : message.role === 'system' ? 'System' : 'Assistant';
  return (
    <li className={`message message--${message.role}`} data-status={message.status} aria-label={author}>
      <span className="message__author">{author}</span>
      <div className="message__body">
        {parts.map((part, index) => (
          <PartView key={index} part={part} streaming={inFlight && index === parts.length - 1} />
        ))}
        {parts.length === 0 && (
          <p className="part part__pending">{inFlight ? 'Thinking…' : '(no reply)'}</p>
        )}
      </div>
      {reply && <ReplyFooter message={message} />}
    </li>
  );
});
