import type { ServerResponse } from 'node:http';
import type { ReplyPlan } from './model.js';

/** Options for {@link streamReply}. */
export interface StreamReplyOptions {
  /** The pause before each token, in milliseconds. */
  readonly tokenDelayMs: number;
  /** Receives one line per notable event (finished, failed on purpose, client disconnected). */
  readonly log: (message: string) => void;
  /** Called once when the client disconnects before the reply ended, with how many tokens it was sent. */
  readonly onClientClose: ((info: { tokensSent: number }) => void) | undefined;
}

/** The headers of an event stream that proxies must pass through unbuffered. */
const EVENT_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
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
 * When the client disconnects first, no further token is generated: the timer is cleared, the
 * disconnect is logged, and `onClientClose` is called.
 */
export function streamReply(res: ServerResponse, plan: ReplyPlan, options: StreamReplyOptions): void {
  const { tokenDelayMs, log, onClientClose } = options;
  let tokensSent = 0;
  let timer: NodeJS.Timeout | undefined;

  // `res` (not `req`) closes when the connection does; `req` closes once its body has been read.
  res.on('close', () => {
    if (res.writableFinished) return;
    clearTimeout(timer);
    log(`client disconnected after ${tokensSent} of ${plan.tokens.length} tokens; stopped generating`);
    onClientClose?.({ tokensSent });
  });

  res.writeHead(200, EVENT_STREAM_HEADERS);
  res.write(': ping\n\n');

  const step = (): void => {
    const token = plan.tokens[tokensSent];
    if (token !== undefined) {
      res.write(dataEvent({ token }));
      tokensSent += 1;
      timer = setTimeout(step, tokenDelayMs);
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
  timer = setTimeout(step, tokenDelayMs);
}
