import type { RetryPolicy } from './options.js';

export { toRetryPolicy, type RetryOptions, type RetryPolicy } from './options.js';

/**
 * True when a `fetch` rejection is a network failure that a retry could fix: a `TypeError` (what
 * `fetch` rejects with when the request could not be sent or got no answer), except the one
 * undici (Node) throws for a URL it cannot parse (its `cause` chain has `code: 'ERR_INVALID_URL'`;
 * it reaches here only through a custom `fetch` given a relative URL).
 *
 * @internal
 */
export function isRetriableFailure(error: unknown): boolean {
  // By name, not instanceof: a `fetch` from another realm (an iframe, a test environment) throws its own TypeError.
  if ((error as { name?: unknown } | null | undefined)?.name !== 'TypeError') return false;
  let cause = error as { code?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; depth < 5 && cause; depth += 1) {
    if (cause.code === 'ERR_INVALID_URL') return false;
    cause = cause.cause as typeof cause;
  }
  return true;
}

/**
 * The `Retry-After` header in milliseconds (delay-seconds or an HTTP date, RFC 9110 §10.2.3), or
 * `undefined` when absent or unreadable.
 *
 * @internal
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  const trimmed = value?.trim() ?? '';
  const delay = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  return Number.isNaN(delay) ? undefined : Math.max(0, delay);
}

/**
 * How long to wait before retry number `retry` (1 for the first retry), in milliseconds; or
 * `undefined` when the server's `Retry-After` asks for longer than `maxDelay`.
 *
 * @internal
 */
export function retryDelay(policy: RetryPolicy, retry: number, retryAfter: number | undefined): number | undefined {
  if (retryAfter !== undefined) return retryAfter > policy.maxDelay ? undefined : retryAfter;
  const full = Math.min(policy.maxDelay, policy.delay * policy.backoffFactor ** (retry - 1));
  return policy.jitter ? full / 2 + (Math.random() * full) / 2 : full;
}

/**
 * `setTimeout(then, ms)`, the delay capped at the longest timers accept: 2^31 - 1 ms, about 24.8
 * days (a longer one waits that long, rather than firing at once). @internal
 */
export function after(ms: number, then: () => void): ReturnType<typeof setTimeout> {
  return setTimeout(then, Math.min(ms, 2_147_483_647));
}

/**
 * Resolves after `ms` milliseconds (at most about 24.8 days, the timers' limit); rejects with
 * `signal.reason` as soon as `signal` aborts.
 *
 * @internal
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = after(ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
