import { useChatStream, type ChatStatus, type ChatStoreOptions } from '@tokenstream/react';
import { reportReplyError } from './error-message';
import { MessageList } from './message-list';
import { PromptForm } from './prompt-form';

const STATUS_LABELS: Record<ChatStatus, string> = {
  idle: 'Ready',
  submitted: 'Waiting…',
  streaming: 'Streaming…',
  done: 'Done',
  error: 'Failed',
  aborted: 'Stopped',
};

/** Props of {@link App}. */
export interface AppProps {
  /**
   * Chat store options over the app's own: the endpoint (`url`, default `"/chat/stream"`, the
   * example server's `{"token"}` stream), its `protocol` and `body`, a `fetch` for tests… An
   * `onError` given here is called after the app has logged the error.
   */
  readonly chat?: Partial<ChatStoreOptions> | undefined;
}

/** The chat: the conversation (each reply with its own status, metrics and error) and the prompt box. */
export function App({ chat }: AppProps) {
  const { status, messages, send, stop, reset } = useChatStream({
    url: '/chat/stream',
    ...chat,
    onError(error, message) {
      // The user sees a plain sentence beside the reply; the detail (method, URL, body) goes here.
      reportReplyError(error);
      chat?.onError?.(error, message);
    },
  });
  const busy = status === 'submitted' || status === 'streaming';

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

      <MessageList messages={messages} />

      <PromptForm streaming={busy} onSend={send} onStop={stop} />
    </main>
  );
}
