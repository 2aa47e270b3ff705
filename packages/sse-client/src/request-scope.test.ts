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

describe('the idle deadline: idleTimeout ms after the last activity, to the millisecond', () => {
  const request = { method: 'POST', url: '/c' };

  it('each activity moves it; it fires at the deadline, not a millisecond before', () => {
    const scope = createRequestScope({ idleTimeout: 1000 });
    for (let i = 0; i < 5; i += 1) {
      vi.advanceTimersByTime(700);
      scope.activity();
    }
    vi.advanceTimersByTime(999);
    expect(scope.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(scope.signal.aborted).toBe(true);
    expect(scope.mapError(new Error('aborted'), request, 'Hel')).toMatchObject({ name: 'TimeoutError', kind: 'idle', timeout: 1000, text: 'Hel' });
    scope.dispose();
  });

  it('many activities in one instant cost no timer each', () => {
    const scope = createRequestScope({ idleTimeout: 1000 });
    for (let i = 0; i < 1000; i += 1) scope.activity();
    expect(vi.getTimerCount()).toBe(1);
    scope.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('paused, it does not fire; the next activity starts it again', () => {
    const scope = createRequestScope({ idleTimeout: 1000 });
    scope.pauseIdle();
    vi.advanceTimersByTime(5000);
    expect(scope.signal.aborted).toBe(false);
    scope.activity();
    vi.advanceTimersByTime(999);
    expect(scope.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(scope.signal.aborted).toBe(true);
    scope.dispose();
  });

  it('the limit that aborted the call is the one reported, whatever arrives after', () => {
    const scope = createRequestScope({ idleTimeout: 1000, timeout: 500 });
    vi.advanceTimersByTime(500);
    expect(scope.signal.aborted).toBe(true);
    // A chunk already on its way still counts as activity: it must not turn the timeout into an idle one.
    scope.activity();
    vi.advanceTimersByTime(5000);
    expect(scope.mapError(new Error('aborted'), request, '')).toMatchObject({ name: 'TimeoutError', kind: 'total', timeout: 500 });
    scope.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('without an idleTimeout, activity starts no timer', () => {
    const scope = createRequestScope({});
    scope.activity();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(24 * 60 * 60 * 1000);
    expect(scope.signal.aborted).toBe(false);
    scope.dispose();
  });
});
