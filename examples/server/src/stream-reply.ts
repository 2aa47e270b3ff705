import type { ServerResponse } from 'node:http';
import type { ReplyPlan } from './model.js';

/** Options for {@link streamReply}. */
export interface StreamReplyOptions {
  /** The pause before each token, in milliseconds. */
  readonly tokenDelayMs: number;
  /** Receives one line per notable event (finished, failed on purpose, paused for backpressure, resumed, client disconnected). */
  readonly log: (message: string) => void;
  /** Called once when the client disconnects before the reply ended, with how many tokens it was sent. */
  readonly onClientClose: ((info: { tokensSent: number }) => void) | undefined;
}

/**
 * The headers of an event stream that proxies must pass through unbuffered. No `Connection`
 * header: Node keeps the connection alive unless the client asked to close it.
 */
const EVENT_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache',
  'X-Accel-Buffering': 'no',
} as const;

/** One `data:` event. JSON-encoding keeps newlines in the payload from breaking the framing. */
function dataEvent(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/**
 * Streams `plan` to `res` in the `{"token"}` wire format (`docs/wire-formats.md` §1): a `: ping`
 * comment at once (so the status and headers reach the client before the first token), then one
 * `data: {"token": "..."}` event per token every `tokenDelayMs`, then `data: [DONE]` — or, when
 * the plan has an error, `data: {"error": "..."}` — and the end of the response.
 *
 * Generation only runs while the client can take its output:
 * - When `res.write()` returns false (the connection's buffer is full: the client is not
 *   reading), no further token is generated until `res` emits `'drain'`; both are logged.
 * - A pipelined request's reply (`res.socket` still null: Node holds its bytes until the replies
 *   before it on the connection have been sent) starts generating when it gets the socket.
 * - When the client disconnects first, no further token is generated: the timer is cleared, the
 *   disconnect is logged, and `onClientClose` is called.
 */
export function streamReply(res: ServerResponse, plan: ReplyPlan, options: StreamReplyOptions): void {
  const { tokenDelayMs, log, onClientClose } = options;
  const total = plan.tokens.length;
  let tokensSent = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  // `res` (not `req`) closes when the connection does; `req` closes once its body has been read.
  res.on('close', () => {
    if (res.writableFinished) return;
    closed = true;
    clearTimeout(timer);
    log(`client disconnected after ${tokensSent} of ${total} tokens; stopped generating`);
    onClientClose?.({ tokensSent });
  });

  res.writeHead(200, EVENT_STREAM_HEADERS);
  res.write(': ping\n\n');

  const scheduleNext = (): void => {
    if (!closed) timer = setTimeout(step, tokenDelayMs);
  };

  const step = (): void => {
    const token = plan.tokens[tokensSent];
    if (token !== undefined) {
      const acceptsMore = res.write(dataEvent({ token }));
      tokensSent += 1;
      if (acceptsMore) {
        scheduleNext();
        return;
      }
      // The bytes are queued in memory; generating more would only add to them.
      log(`paused after ${tokensSent} of ${total} tokens: the client is not reading; waiting for 'drain'`);
      res.once('drain', () => {
        log(`resumed after ${tokensSent} of ${total} tokens`);
        scheduleNext();
      });
      return;
    }
    if (plan.error !== undefined) {
      res.end(dataEvent({ error: plan.error }));
      log(`sent ${tokensSent} tokens, then the error event (the prompt asked for an error)`);
      return;
    }
    res.end('data: [DONE]\n\n');
    log(`sent ${tokensSent} tokens and [DONE]`);
  };

  if (res.socket === null) res.once('socket', scheduleNext);
  else scheduleNext();
}
