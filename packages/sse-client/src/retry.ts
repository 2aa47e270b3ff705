/**
 * The retry policy for failures before a response body arrived. Opt-in: a POST to an LLM costs
 * tokens, so nothing is re-sent unless asked, and nothing is ever re-sent once the server answered 200.
 */
export interface RetryOptions {
  /**
   * How many times to retry after the first attempt (so `limit + 1` attempts at most).
   * @defaultValue `2`
   */
  limit?: number | undefined;
  /**
   * The HTTP statuses that are retried. Network failures (`fetch` rejected with a `TypeError`, as
   * the platform's `fetch` does when the request could not be sent or got no answer) are always
   * retried. Nothing else is: not a request that cannot be built (an invalid URL, a relative URL
   * with no base, an invalid header or method: these fail before the first attempt), nor another
   * error thrown by a custom `fetch`.
   * @defaultValue `[408, 429, 500, 502, 503, 504]`
   */
  statusCodes?: readonly number[] | undefined;
  /**
   * The delay before the first retry, in milliseconds; each later retry waits `backoffFactor`
   * times longer (exponential backoff), up to `maxDelay`. With `jitter`, each wait is a random
   * value between half of it and all of it, so many clients do not retry in step.
   * @defaultValue `1000`
   */
  delay?: number | undefined;
  /** @defaultValue `2` */
  backoffFactor?: number | undefined;
  /**
   * The longest wait, in milliseconds. A `Retry-After` header (seconds or an HTTP date) replaces the
   * computed delay; when it asks for longer than `maxDelay`, the request is not retried.
   * @defaultValue `30000`
   */
  maxDelay?: number | undefined;
  /** @defaultValue `true` */
  jitter?: boolean | undefined;
  /**
   * Called once before each retry's wait: `attempt` is the retry about to be made (1 for the
   * first), `delay` the wait before it in milliseconds (after jitter and `Retry-After`), `error`
   * what caused it: the `HTTPError` of the retried status (its body not read: `body` is
   * `undefined`) or the `NetworkError`. For a "retrying…" notice. What it throws is reported
   * (`reportError` where it exists, else `console.error`) and never ends or changes the call.
   */
  onRetry?: ((retry: { readonly attempt: number; readonly delay: number; readonly error: unknown }) => void) | undefined;
}

/** A complete retry policy. @internal */
export interface RetryPolicy {
  readonly limit: number;
  readonly statusCodes: readonly number[];
  readonly delay: number;
  readonly backoffFactor: number;
  readonly maxDelay: number;
  readonly jitter: boolean;
  readonly onRetry: RetryOptions['onRetry'];
}

/**
 * Normalises the `retry` option: `false`/`undefined` → no retries (a `limit` of 0); a number →
 * that many retries with the defaults; an object → its fields over the defaults.
 *
 * @internal
 * @throws {RangeError} when a count or a delay is negative or not a number.
 */
export function toRetryPolicy(retry: number | boolean | RetryOptions | undefined): RetryPolicy {
  const options: RetryOptions = retry === true ? {} : typeof retry === 'number' ? { limit: retry } : retry || { limit: 0 };
  const policy: RetryPolicy = {
    limit: options.limit ?? 2,
    statusCodes: options.statusCodes ?? [408, 429, 500, 502, 503, 504],
    delay: options.delay ?? 1000,
    backoffFactor: options.backoffFactor ?? 2,
    maxDelay: options.maxDelay ?? 30_000,
    jitter: options.jitter ?? true,
    onRetry: options.onRetry,
  };
  for (const key of ['limit', 'delay', 'backoffFactor', 'maxDelay'] as const) {
    if (!(policy[key] >= 0)) throw new RangeError(`retry.${key} must be a non-negative number, got ${policy[key]}`);
  }
  return policy;
}

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

/** The longest delay timers accept (2^31 - 1 ms, about 24.8 days); longer ones would fire at once. @internal */
export const MAX_TIMER_DELAY = 2_147_483_647;

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
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, Math.min(ms, MAX_TIMER_DELAY));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
