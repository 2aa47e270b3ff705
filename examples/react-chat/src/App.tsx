import { useChatStream, type ChatSnapshot, type ChatStatus, type ChatStoreOptions } from '@tokenstream/react';
import { useState } from 'react';
import { DemoPanel } from './demo-panel';
import { DEFAULT_DEMO_SETTINGS, demoChatOptions } from './demo-settings';
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

/**
 * The status while an HTTP retry waits (the `retry` option, set by the demo panel's 429 mode):
 * "Retrying in N s…" for a wait of a second or more (a `Retry-After`), else "Retrying…".
 */
function retryLabel({ delay }: NonNullable<ChatSnapshot['retry']>): string {
  return delay >= 1_000 ? `Retrying in ${Math.round(delay / 1_000)} s…` : 'Retrying…';
}

/** Props of {@link App}. */
export interface AppProps {
  /**
   * Chat store options over the app's own (those of the demo panel's choice: by default
   * `"/chat/stream"`, the example server's `{"token"}` stream): a `fetch` for tests, or another
   * `url`, `protocol` and `body`, which then win over the panel's format. An `onError` given here
   * is called after the app has logged the error.
   */
  readonly chat?: Partial<ChatStoreOptions> | undefined;
}

/**
 * The chat: the demo panel (wire format, failure mode), the conversation (each reply with its own
 * status, metrics and error) and the prompt box. The status in the header says when a failed
 * request is being retried (and how long the wait is).
 */
export function App({ chat }: AppProps) {
  const [settings, setSettings] = useState(DEFAULT_DEMO_SETTINGS);
  // The hook hands the latest options to its one store after each render: a change of format or
  // failure applies to the next send, and the conversation stays.
  const { status, messages, retry, send, stop, reset } = useChatStream({
    ...demoChatOptions(settings),
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
        <p className="status" data-status={retry === undefined ? status : 'retrying'} role="status">
          {retry === undefined ? STATUS_LABELS[status] : retryLabel(retry)}
        </p>
        <button type="button" className="button button--quiet" onClick={reset} disabled={messages.length === 0}>
          New chat
        </button>
      </header>

      <DemoPanel settings={settings} onChange={setSettings} />

      <MessageList messages={messages} />

      <PromptForm streaming={busy} onSend={send} onStop={stop} />
    </main>
  );
}
