/**
 * The example server's built-in "model": a deterministic script, no API key, no network. The
 * same prompt always gets the same reply, so tests can compare what arrives with what was meant.
 *
 * @module
 */

/** The message of the mid-stream error sent for prompts that ask for one (see {@link wantsError}). */
export const DEMO_ERROR_MESSAGE = 'The demo model failed on purpose (your prompt asked for an error)';

/** How many tokens a reply that fails on purpose sends before its error event. */
export const TOKENS_BEFORE_ERROR = 6;

/** The most characters (Unicode code points) of the prompt that the reply quotes. */
export const MAX_ECHO_LENGTH = 200;

/** What the model will stream for one prompt. */
export interface ReplyPlan {
  /** The tokens, in order: words with their trailing whitespace. Joined, they are the reply text. */
  readonly tokens: readonly string[];
  /** When set, the message of the error event sent after the tokens instead of `[DONE]`. */
  readonly error: string | undefined;
}

const OPENINGS = [
  'That is a good question, and here is a made-up answer, streamed one word at a time.',
  'Happy to help! This answer is invented on the spot and sent to you word by word.',
  'Let me think about that for a moment… done. Here is my answer, one token at a time.',
];

const BODY =
  'I am the demo model built into the example server: no API key, no real intelligence, just a ' +
  'deterministic script, so the same prompt always gets the same words. Every word travels as its ' +
  'own Server-Sent Event, JSON-encoded, so even a token that contains a newline cannot break the framing.';

const CLOSING =
  'Watch the text grow 🚀 and notice that multibyte characters such as 日本語, Ελληνικά and café ' +
  'survive the trip through UTF-8 intact. Press Stop at any time: the server stops generating as ' +
  'soon as the connection closes.';

/** True when the prompt asks for the demo's mid-stream error: it contains the word "error" (any case). */
export function wantsError(prompt: string): boolean {
  return /\berror\b/i.test(prompt);
}

/** The prompt on one line, at most {@link MAX_ECHO_LENGTH} code points (never splitting a surrogate pair). */
function echo(prompt: string): string {
  const oneLine = prompt.trim().replace(/\s+/g, ' ');
  const codePoints = Array.from(oneLine);
  return codePoints.length > MAX_ECHO_LENGTH ? `${codePoints.slice(0, MAX_ECHO_LENGTH).join('')}…` : oneLine;
}

/** A small deterministic hash (FNV-1a, 32 bits), to vary the wording between prompts. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

/** Splits text into tokens: each word with the whitespace after it (`"Hello "`, `"world.\n\n"`). */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [];
}

/** The full text of the reply to `prompt` (what a successful stream delivers). */
export function replyText(prompt: string): string {
  const opening = OPENINGS[hash(prompt) % OPENINGS.length]!;
  return `You asked: “${echo(prompt)}”. ${opening}\n\n${BODY}\n\n${CLOSING}`;
}

/**
 * What the model streams for `prompt`: the tokens of {@link replyText}, or, when the prompt
 * {@link wantsError}, only its first {@link TOKENS_BEFORE_ERROR} tokens and then an error.
 */
export function planReply(prompt: string): ReplyPlan {
  const tokens = tokenize(replyText(prompt));
  if (wantsError(prompt)) return { tokens: tokens.slice(0, TOKENS_BEFORE_ERROR), error: DEMO_ERROR_MESSAGE };
  return { tokens, error: undefined };
}
