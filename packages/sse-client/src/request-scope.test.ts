import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRequestScope } from './request-scope.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('timeouts longer than timers can wait (2^31 - 1 ms, about 24.8 days)', () => {
  // setTimeout fires at once for a longer delay: the call would time out immediately.
  it.each(['idleTimeout', 'timeout'] as const)('a %s of 30 days does not fire early', (name) => {
    const scope = createRequestScope({ [name]: 30 * 24 * 60 * 60 * 1000 });
    vi.advanceTimersByTime(60_000);
    expect(scope.signal.aborted).toBe(false);
    scope.dispose();
  });
});
