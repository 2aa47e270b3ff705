import { useRef, useState, type KeyboardEvent } from 'react';

/** Props of {@link PromptForm}. */
export interface PromptFormProps {
  /** True while a reply is on its way or arriving: sending waits, stopping is possible. */
  readonly streaming: boolean;
  /** Sends a prompt (the box is cleared). */
  readonly onSend: (prompt: string) => Promise<void>;
  /** Stops the reply in flight. */
  readonly onStop: () => void;
}

/** The prompt box: Enter sends, Shift+Enter starts a new line; Stop is enabled only while streaming. */
export function PromptForm({ streaming, onSend, onStop }: PromptFormProps) {
  const [prompt, setPrompt] = useState('');
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const canSend = !streaming && prompt.trim() !== '';

  function send(): void {
    if (!canSend) return;
    void onSend(prompt);
    setPrompt('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  }

  function stop(): void {
    onStop();
    inputRef.current?.focus(); // the Stop button is about to be disabled: keep the focus somewhere useful
  }

  return (
    <form
      className="prompt"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label htmlFor="prompt" className="prompt__label">
        Your message
      </label>
      <textarea
        id="prompt"
        ref={inputRef}
        className="prompt__input"
        rows={2}
        value={prompt}
        placeholder="Ask anything… (Shift+Enter for a new line)"
        onChange={(event) => setPrompt(event.target.value)}
        onKeyDown={onKeyDown}
        autoFocus
      />
      <div className="prompt__actions">
        <button type="submit" className="button" disabled={!canSend}>
          Send
        </button>
        <button type="button" className="button button--stop" onClick={stop} disabled={!streaming}>
          Stop
        </button>
      </div>
    </form>
  );
}
