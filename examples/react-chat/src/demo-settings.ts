import {
  openAIChatProtocol,
  toOpenAIChatMessages,
  tokenProtocol,
  type ChatStoreOptions,
} from '@tokenstream/react';

/** The wire formats the example server speaks (`docs/wire-formats.md` §1 and §2). */
export type DemoFormat = 'token' | 'openai';

/** The example server's failure modes (its `X-Demo-Failure` header), or `'none'`. */
export type DemoFailure =
  | 'none'
  | 'slow-first-token'
  | 'stall'
  | 'drop'
  | '429'
  | '500'
  | 'html'
  | 'crlf'
  | 'split-utf8';

/** What the demo panel chose: the wire format and the failure the server is asked for. */
export interface DemoSettings {
  readonly format: DemoFormat;
  readonly failure: DemoFailure;
}

/** The panel's starting point: the `{"token"}` format, no failure. */
export const DEFAULT_DEMO_SETTINGS: DemoSettings = { format: 'token', failure: 'none' };

/** The formats in the panel's order, with their labels. */
export const DEMO_FORMATS: readonly { readonly value: DemoFormat; readonly label: string }[] = [
  { value: 'token', label: 'Default ({"token"})' },
  { value: 'openai', label: 'OpenAI-compatible' },
];

/** The failure modes in the panel's order, with their labels and what each one shows. */
export const DEMO_FAILURES: readonly { readonly value: DemoFailure; readonly label: string; readonly hint: string }[] = [
  { value: 'none', label: 'None', hint: 'The normal reply.' },
  {
    value: 'slow-first-token',
    label: 'Slow first token',
    hint: 'The first token comes after 3 s: the reply waits ("Waiting…"), then streams; its time to first token shows the wait.',
  },
  {
    value: 'stall',
    label: 'Stall',
    hint: 'A few tokens, then silence: after 3 s without a byte the idle timeout gives up; the partial reply is kept with a timeout error.',
  },
  {
    value: 'drop',
    label: 'Drop',
    hint: 'A few tokens, then the connection is cut: the partial reply is kept with a "cut off" error, and is not re-sent.',
  },
  {
    value: '429',
    label: '429 Too Many Requests',
    hint: 'The first request is refused with 429 and Retry-After: 1; the status says "Retrying in 1 s…" while the client waits, then the retry gets the reply.',
  },
  {
    value: '500',
    label: '500 Internal Server Error',
    hint: 'Every request fails with 500: the reply shows the typed HTTP error in plain words (detail in the console).',
  },
  {
    value: 'html',
    label: 'HTML instead of a stream',
    hint: 'A 200 with a login page (text/html), as a proxy might answer: refused without parsing it, with a clear error.',
  },
  {
    value: 'crlf',
    label: 'CRLF line endings',
    hint: 'Every line ends with CRLF, with keep-alive comments: the reply reads exactly as with LF.',
  },
  {
    value: 'split-utf8',
    label: 'UTF-8 split across chunks',
    hint: 'Each event arrives in two pieces cut inside a multibyte character: the text decodes whole, with no �.',
  },
];

/** The idle timeout in the stall mode, in milliseconds: short enough to trip while you watch. */
export const STALL_IDLE_TIMEOUT = 3000;

/** The retries in the 429 mode: enough for the alternating 429 to be followed by the reply. */
export const RATE_LIMIT_RETRY = { limit: 2 } as const;

/** Chat store options with their endpoint. */
export type DemoChatOptions = Pick<ChatStoreOptions, 'url'> & Partial<ChatStoreOptions>;

/**
 * The chat store options for the panel's choice: the endpoint, its protocol and body for the
 * format; the `X-Demo-Failure` header for a failure; `retry` only in the 429 mode and a short
 * `idleTimeout` only in the stall mode (every other mode gets the store's defaults: no retries,
 * a 2 minute idle timeout).
 */
export function demoChatOptions({ format, failure }: DemoSettings): DemoChatOptions {
  const endpoint: DemoChatOptions =
    format === 'openai'
      ? {
          url: '/v1/chat/completions',
          protocol: openAIChatProtocol,
          body: ({ messages }) => ({
            model: 'demo',
            messages: toOpenAIChatMessages(messages),
            stream: true,
            stream_options: { include_usage: true },
          }),
        }
      : { url: '/chat/stream', protocol: tokenProtocol, body: ({ prompt }) => ({ prompt }) };
  if (failure === 'none') return endpoint;
  return {
    ...endpoint,
    headers: { 'X-Demo-Failure': failure },
    ...(failure === '429' ? { retry: RATE_LIMIT_RETRY } : {}),
    ...(failure === 'stall' ? { idleTimeout: STALL_IDLE_TIMEOUT } : {}),
  };
}
