import {
  ContentTypeError,
  HTTPError,
  IncompleteStreamError,
  NetworkError,
  ServerStreamError,
  TimeoutError,
  streamTokens,
} from '@tokenstream/sse-client';

/** Options for {@link mountChat}. */
export interface ChatOptions {
  /** The token streaming endpoint. @defaultValue `'/chat/stream'` */
  url?: string;
  /** The `fetch` to send with (tests pass a fake). @defaultValue the global `fetch` */
  fetch?: typeof fetch;
}

/** What {@link mountChat} returns. */
export interface Chat {
  /** Sends `prompt` as the Send button does; resolves once the reply has ended (done, stopped or failed). Never rejects. */
  send(prompt: string): Promise<void>;
}

/**
 * A sentence for the person chatting: what went wrong, in plain words. The partial reply stays
 * in view, so the sentences about a cut reply say that it is incomplete.
 */
export function describeError(error: unknown): string {
  if (error instanceof HTTPError) {
    return error.status === 429
      ? 'The server is busy. Wait a moment, then try again.'
      : `The server could not answer (HTTP ${error.status}). Try again in a moment.`;
  }
  if (error instanceof NetworkError) {
    return error.text === ''
      ? 'Could not reach the server. Check your connection, then try again.'
      : 'The connection was lost, so this reply is incomplete.';
  }
  if (error instanceof TimeoutError) return 'The server stopped responding, so this reply is incomplete.';
  if (error instanceof ServerStreamError) return 'The model failed partway through, so this reply is incomplete.';
  if (error instanceof IncompleteStreamError) return 'The reply ended early, so it may be cut off.';
  if (error instanceof ContentTypeError) return 'The server answered with something that is not a chat reply.';
  return 'Something went wrong. Try again.';
}

/** `document.createElement` with properties. */
function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}): HTMLElementTagNameMap[K] {
  return Object.assign(document.createElement(tag), props);
}

/**
 * Renders a prompt form (Send, Stop), the reply and a status line into `root`, and streams each
 * reply from `url` with `streamTokens`. The reply is written as text, never parsed as HTML.
 */
export function mountChat(root: HTMLElement, options: ChatOptions = {}): Chat {
  const { url = '/chat/stream', fetch } = options;
  const prompt = element('textarea', { name: 'prompt', rows: 3, required: true, placeholder: 'Ask something (say "error" to see one)' });
  prompt.setAttribute('aria-label', 'Prompt');
  const sendButton = element('button', { type: 'submit', textContent: 'Send' });
  const stopButton = element('button', { type: 'button', textContent: 'Stop', disabled: true });
  const form = element('form');
  form.append(prompt, sendButton, ' ', stopButton);
  const output = element('div', { className: 'reply' });
  output.setAttribute('aria-live', 'polite');
  const status = element('p', { className: 'status' });
  status.setAttribute('role', 'status');
  root.append(form, output, status);

  let controller: AbortController | undefined;

  function show(state: string, failed = false): void {
    status.textContent = state;
    status.classList.toggle('failed', failed);
  }

  async function send(text: string): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    output.textContent = '';
    sendButton.disabled = true;
    stopButton.disabled = false;
    show('Streaming…');
    try {
      // The few lines this example is about: tokens arrive as the server sends them.
      for await (const token of streamTokens(url, { body: { prompt: text }, signal: current.signal, fetch })) {
        output.append(token); // a Text node: never parsed as HTML
      }
      show('Done');
    } catch (error) {
      if (controller !== current) return; // a newer reply owns the page
      if (current.signal.aborted) {
        show('Stopped'); // the partial reply stays in view
      } else {
        show(describeError(error), true); // the partial reply stays in view too
        console.error('Chat reply failed:', error); // the detail for developers: request, status, body, cause
      }
    } finally {
      if (controller === current) {
        controller = undefined;
        sendButton.disabled = false;
        stopButton.disabled = true;
      }
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send(prompt.value);
  });
  stopButton.addEventListener('click', () => controller?.abort());
  return { send };
}

// The page: index.html has a #app (the tests import mountChat into a document without one).
const app = document.querySelector<HTMLElement>('#app');
if (app !== null) mountChat(app);
