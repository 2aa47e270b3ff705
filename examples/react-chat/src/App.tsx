import { useChatStream, type ChatStatus } from '@tokenstream/react';
import { errorMessage } from './error-message';
import { MessageList } from './message-list';
import { PromptForm } from './prompt-form';

const STATUS_LABELS: Record<ChatStatus, string> = {
  idle: 'Ready',
  streaming: 'Streaming…',
  done: 'Done',
  error: 'Failed',
  aborted: 'Stopped',
};

/** The chat: the conversation, what went wrong if anything, and the prompt box. */
export function App() {
  const { status, error, messages, send, stop, reset } = useChatStream({ url: '/chat/stream' });
  const streaming = status === 'streaming';

  return (
    <main className="chat">
      <header className="chat__header">
        <h1 className="chat__title">tokenstream demo</h1>
        <p className="status" data-status={status} role="status">
          {STATUS_LABELS[status]}
        </p>
        <button type="button" className="button button--quiet" onClick={reset} disabled={messages.length === 0}>
          New chat
        </button>
      </header>

      <MessageList messages={messages} status={status} />

      {error !== undefined && (
        <p className="error" role="alert">
          {errorMessage(error)}
        </p>
      )}

      <PromptForm streaming={streaming} onSend={send} onStop={stop} />
    </main>
  );
}
