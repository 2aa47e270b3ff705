/**
 * Failure modes on demand: each request may ask the server to misbehave in one documented way, so
 * the demo app and the tests can show what a client does with it. Never on by default.
 *
 * A request chooses one with the header `X-Demo-Failure: <mode>` or the body field
 * `"demo_failure": "<mode>"` (the header wins when both are present).
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';

/**
 * The failure modes, as named in `X-Demo-Failure` / `"demo_failure"`:
 * - `slow-first-token`: the first token comes after `slowFirstTokenMs` (the `: ping` comment at once).
 * - `stall`: a few tokens, then nothing at all (no bytes, no end) until the client gives up: trips
 *   the client's idle timeout.
 * - `drop`: a few tokens, then the connection is destroyed mid-reply (no `[DONE]`, no final chunk).
 * - `429`: `429 Too Many Requests` with `Retry-After` on every other request that asks for it (the
 *   first, third, …), the reply on the others: a client that retries once sees the 429, then the reply.
 * - `500`: `500 Internal Server Error` with a JSON error body, every time.
 * - `html`: `200` with `Content-Type: text/html` and a login page, as a captive portal or an
 *   authenticating proxy answers.
 * - `crlf`: the normal reply with every line ended by CRLF and a `: keep-alive` comment before each event.
 * - `split-utf8`: the normal reply with each event written in two pieces, cut inside a multibyte
 *   UTF-8 character when the event has one.
 */
export const DEMO_FAILURES = ['slow-first-token', 'stall', 'drop', '429', '500', 'html', 'crlf', 'split-utf8'] as const;

/** One of {@link DEMO_FAILURES}. */
export type DemoFailure = (typeof DEMO_FAILURES)[number];

/** The header that chooses a failure mode. */
export const DEMO_FAILURE_HEADER = 'x-demo-failure';

/** How many tokens (events) `stall` and `drop` send before misbehaving. */
export const EVENTS_BEFORE_FAILURE = 3;

/** The page that `html` answers with: what a proxy's login page looks like to a streaming client. */
export const LOGIN_PAGE_HTML =
  '<!doctype html>\n<html><head><title>Sign in</title></head>\n' +
  '<body><h1>Sign in to continue</h1><form method="post" action="/login"><input name="user"><button>Sign in</button></form></body></html>\n';

/**
 * The failure mode a request asks for: the `X-Demo-Failure` header, else the body's
 * `demo_failure` field. `undefined` when it asks for none; `{ error }` when it names an unknown mode.
 */
export function demoFailureOf(req: IncomingMessage, body: unknown): DemoFailure | undefined | { error: string } {
  const header = req.headers[DEMO_FAILURE_HEADER];
  const field = typeof body === 'object' && body !== null ? (body as { demo_failure?: unknown }).demo_failure : undefined;
  const value = header ?? field;
  if (value === undefined || value === null) return undefined;
  const mode = DEMO_FAILURES.find((candidate) => candidate === (typeof value === 'string' ? value.trim().toLowerCase() : value));
  if (mode !== undefined) return mode;
  return { error: `Unknown demo failure ${JSON.stringify(value)}: use one of ${DEMO_FAILURES.join(', ')}` };
}

/**
 * The chunks to write for one SSE event (`text`, ending with a blank line) under `failure`:
 * - `crlf`: a `: keep-alive` comment, then the event, every line ended by CRLF (one chunk);
 * - `split-utf8`: the event's bytes in two chunks, cut after the first byte of its first
 *   multibyte character (in the middle of the event when it has none);
 * - otherwise the event as it is.
 */
export function eventChunks(text: string, failure: DemoFailure | undefined): (string | Buffer)[] {
  if (failure === 'crlf') return [`: keep-alive\r\n\r\n${text.replace(/\n/g, '\r\n')}`];
  if (failure !== 'split-utf8') return [text];
  const bytes = Buffer.from(text, 'utf8');
  const multibyte = bytes.findIndex((byte) => byte >= 0xc0);
  const cut = multibyte === -1 ? Math.floor(bytes.length / 2) : multibyte + 1;
  return [bytes.subarray(0, cut), bytes.subarray(cut)];
}
