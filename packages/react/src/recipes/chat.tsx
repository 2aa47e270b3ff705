import { useChatStream } from '@tokenstream/react';
import { useState } from 'react';

// The component under test: an ordinary chat box. It takes no test-only props: the tests
// replace the global `fetch`, which the library looks up when each request starts.
export function Chat() {
  const { text, status, error, send, stop } = useChatStream({ url: '/chat/stream' });
  const [prompt, setPrompt] = useState('');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void send(prompt);
        setPrompt('');
      }}
    >
      <label>
        Message
        <input value={prompt} onChange={(event) => setPrompt(event.target.value)} />
      </label>
      <button type="submit">Send</button>
      <button type="button" onClick={stop} disabled={status !== 'submitted' && status !== 'streaming'}>
        Stop
      </button>
      <p data-testid="status">{status}</p>
      <p data-testid="reply">{text}</p>
      {error && <p role="alert">{error.message}</p>}
    </form>
  );
}
