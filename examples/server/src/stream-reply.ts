import type { ServerResponse } from 'node:http';
import { EVENTS_BEFORE_FAILURE, eventChunks, type DemoFailure } from './demo-failures.js';
import type { ReplyPlan } from './model.js';

/** Options for {@link streamReply} and {@link streamEvents}. */
export interface StreamReplyOptions {
  /** The pause before each token, in milliseconds. */
  readonly tokenDelayMs: number;
  /** Receives one line per notable event (finished, failed on purpose, paused for backpressure, resumed, client disconnected). */
  readonly log: (message: string) => void;
  /** Called once when the client disconnects before the reply ended, with how many tokens it was sent. */
  readonly onClientClose: ((info: { tokensSent: number }) => void) | undefined;
  /** The failure mode the request asked for, among those that shape the stream itself (see `demo-failures.ts`). */
  readonly failure?: DemoFailure | undefined;
  /** With `failure: 'slow-first-token'`, the pause before the first token, in milliseconds. */
  readonly slowFirstTokenMs?: number | undefined;
}

/** A reply as SSE events, whatever its wire format. */
export interface EventPlan {
  /** One SSE event per token (each ending with its blank line), in order. */
  readonly events: readonly string[];
  /** The event that ends the reply, sent with the end of the response: `data: [DONE]`, or an error event. */
  readonly last: string;
  /** True when {@link EventPlan.last} is an error event (the model failed on purpose). */
  readonly failed: boolean;
}

/**
 * The headers of an event stream that proxies must pass through unbuffered. No `Connection`
 * header: Node keeps the connection alive unless the client asked to close it.
 */
export const EVENT_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache',
  'X-Accel-Buffering': 'no',
} as const;

/** One `data:` event. JSON-encoding keeps newlines in the payload from breaking the framing. */
function dataEvent(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/**
 * Streams `plan` to `res` in the `{"token"}` wire format (`docs/wire-formats.md` §1): one
 * `data: {"token": "..."}` event per token, then `data: [DONE]` — or, when the plan has an
 * error, `data: {"error": "..."}`. See {@link streamEvents} for the timing and the failure modes.
 */
export function streamReply(res: ServerResponse, plan: ReplyPlan, options: StreamReplyOptions): void {
  const events = plan.tokens.map((token) => dataEvent({ token }));
  const failed = plan.error !== undefined;
  streamEvents(res, { events, last: failed ? dataEvent({ error: plan.error }) : 'data: [DONE]\n\n', failed }, options);
}

/**
 * Streams `plan`'s events to `res`: a `: ping` comment at once (so the status and headers reach
 * the client before the first token), then one event every `tokenDelayMs`, then `plan.last` and
 * the end of the response.
 *
 * Generation only runs while the client can take its output:
 * - When `res.write()` returns false (the connection's buffer is full: the client is not
 *   reading), no further token is generated until `res` emits `'drain'`; both are logged.
 * - A pipelined request's reply (`res.socket` still null: Node holds its bytes until the replies
 *   before it on the connection have been sent) starts generating when it gets the socket.
 * - When the client disconnects first, no further token is generated: the timer is cleared, the
 *   disconnect is logged, and `onClientClose` is called.
 *
 * `options.failure` changes the stream (`demo-failures.ts`): `slow-first-token` waits
 * `slowFirstTokenMs` before the first event; `stall` stops sending after
 * `EVENTS_BEFORE_FAILURE` events and leaves the response open; `drop` destroys the connection
 * there; `crlf` and `split-utf8` change how each event is written (`eventChunks`), one chunk per
 * `tokenDelayMs`.
 */
export function streamEvents(res: ServerResponse, plan: EventPlan, options: StreamReplyOptions): void {
  const { tokenDelayMs, log, onClientClose, failure, slowFirstTokenMs = tokenDelayMs } = options;
  const total = plan.events.length;
  // What to write, one chunk per step; `event` marks the chunk that completes an event.
  const chunks = plan.events.flatMap((event) =>
    eventChunks(event, failure).map((chunk, index, all) => ({ chunk, event: index === all.length - 1 })),
  );
  const limit = failure === 'stall' || failure === 'drop' ? Math.min(EVENTS_BEFORE_FAILURE, total) : total;
  let written = 0;
  let tokensSent = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  // `res` (not `req`) closes when the connection does; `req` closes once its body has been read.
  res.on('close', () => {
    if (res.writableFinished || closed) return;
    closed = true;
    clearTimeout(timer);
    log(`client disconnected after ${tokensSent} of ${total} tokens; stopped generating`);
    onClientClose?.({ tokensSent });
  });

  res.writeHead(200, EVENT_STREAM_HEADERS);
  res.write(failure === 'crlf' ? ': ping\r\n\r\n' : ': ping\n\n');

  const scheduleNext = (): void => {
    if (closed) return;
    timer = setTimeout(step, failure === 'slow-first-token' && written === 0 ? slowFirstTokenMs : tokenDelayMs);
  };

  const step = (): void => {
    const next = tokensSent < limit ? chunks[written] : undefined;
    if (next !== undefined) {
      const acceptsMore = res.write(next.chunk);
      written += 1;
      if (next.event) tokensSent += 1;
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
    if (failure === 'stall') {
      log(`stalled after ${tokensSent} of ${total} tokens on purpose (demo failure "stall"); the response stays open`);
      return;
    }
    if (failure === 'drop') {
      closed = true;
      log(`dropped the connection after ${tokensSent} of ${total} tokens on purpose (demo failure "drop")`);
      res.destroy();
      return;
    }
    res.end(failure === 'crlf' ? plan.last.replace(/\n/g, '\r\n') : plan.last);
    if (plan.failed) log(`sent ${tokensSent} tokens, then the error event (the prompt asked for an error)`);
    else log(`sent ${tokensSent} tokens and [DONE]`);
  };

  if (res.socket === null) res.once('socket', scheduleNext);
  else scheduleNext();
}
