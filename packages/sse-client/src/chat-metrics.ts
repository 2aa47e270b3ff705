import type { ReplyMetrics } from './chat-messages.js';
import type { StreamPart } from './protocols/types.js';

/** Milliseconds from an arbitrary origin: `performance.now()` where it exists, else `Date.now()`. Looked up at each call. */
function now(): number {
  return globalThis.performance?.now?.() ?? Date.now();
}

/** Measures one reply (see {@link ReplyMetrics}). @internal */
export interface MetricsRecorder {
  /** The first response's headers arrived. */
  response(): void;
  /** A network chunk's parts arrived: returns the metrics so far (the same object when they did not change). */
  parts(parts: readonly StreamPart[]): ReplyMetrics;
  /** The reply ended: returns the final metrics, with `duration`. */
  end(): ReplyMetrics;
}

/** Starts measuring a reply whose request starts now. @internal */
export function createMetricsRecorder(): MetricsRecorder {
  const start = now();
  let firstByte: number | undefined;
  let firstToken: number | undefined;
  let firstText: number | undefined;
  let lastText: number | undefined;
  let lastDelta: number | undefined;
  let textDeltas = 0;
  let longestGap: number | undefined;
  let duration: number | undefined;
  let metrics: ReplyMetrics | undefined;

  const current = (): ReplyMetrics =>
    (metrics ??= {
      timeToFirstByte: firstByte,
      timeToFirstToken: firstToken,
      duration,
      textDeltas,
      deltasPerSecond: textDeltas > 1 && lastText! > firstText! ? (textDeltas * 1000) / (lastText! - firstText!) : undefined,
      longestGap,
    });

  return {
    response() {
      if (firstByte === undefined) {
        firstByte = now() - start;
        metrics = undefined;
      }
    },
    parts(parts) {
      let at: number | undefined;
      for (const part of parts) {
        if (part.type !== 'text-delta' && part.type !== 'reasoning-delta') continue;
        if (at === undefined) {
          at = now() - start;
          firstToken ??= at;
          if (lastDelta !== undefined) longestGap = Math.max(longestGap ?? 0, at - lastDelta);
          lastDelta = at;
          metrics = undefined;
        } else {
          // Deltas of one chunk arrive together: a gap of 0.
          longestGap ??= 0;
        }
        if (part.type === 'text-delta') {
          textDeltas += 1;
          firstText ??= at;
          lastText = at;
        }
      }
      return current();
    },
    end() {
      if (duration === undefined) {
        duration = now() - start;
        metrics = undefined;
      }
      return current();
    },
  };
}
