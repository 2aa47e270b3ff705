import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReplyPlan } from './model.js';
import type { DemoFailure } from './demo-failures.js';
import { streamReply } from './stream-reply.js';

// Backpressure: `res.write()` returns false when the connection's buffer is full (the client is
// not reading). The reply must then wait for 'drain' instead of generating into memory.
// A real socket on loopback absorbs megabytes before that happens, so these tests drive a
// stand-in for the response whose write() result they choose.

/** The parts of a `ServerResponse` that `streamReply` uses; `accepting` is what `write()` returns. */
class FakeResponse extends EventEmitter {
  readonly written: string[] = [];
  accepting = true;
  socket: object | null = {};
  writableFinished = false;
  writeHead(): this {
    return this;
  }
  write(chunk: string): boolean {
    this.written.push(chunk);
    return this.accepting;
  }
  destroyed = false;
  destroy(): this {
    this.destroyed = true;
    this.emit('close');
    return this;
  }
  end(chunk: string): this {
    this.written.push(chunk);
    this.writableFinished = true;
    return this;
  }
  tokens(): string[] {
    return this.written.filter((chunk) => chunk.startsWith('data: {"token"'));
  }
}

const plan: ReplyPlan = { tokens: ['one ', 'two ', 'three ', 'four'], error: undefined };
const tokenDelayMs = 10;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function stream(res: FakeResponse, failure?: DemoFailure, onClientClose?: () => void): string[] {
  const lines: string[] = [];
  const log = (line: string): number => lines.push(line);
  streamReply(res as unknown as ServerResponse, plan, { tokenDelayMs, log, onClientClose, failure, slowFirstTokenMs: 500 });
  return lines;
}

describe('streamReply and backpressure', () => {
  it('sends a token every tokenDelayMs while write() accepts more', () => {
    const res = new FakeResponse();
    stream(res);

    vi.advanceTimersByTime(tokenDelayMs * 2);
    expect(res.tokens()).toHaveLength(2);
    vi.advanceTimersByTime(tokenDelayMs * 3);
    expect(res.written.at(-1)).toBe('data: [DONE]\n\n');
  });

  it("stops generating when write() returns false, and resumes tokenDelayMs after 'drain'", () => {
    const res = new FakeResponse();
    const lines = stream(res);
    res.accepting = false;

    vi.advanceTimersByTime(tokenDelayMs);
    expect(res.tokens()).toHaveLength(1);
    vi.advanceTimersByTime(tokenDelayMs * 100);
    expect(res.tokens()).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(lines).toContain("paused after 1 of 4 tokens: the client is not reading; waiting for 'drain'");

    res.accepting = true;
    res.emit('drain');
    expect(lines).toContain('resumed after 1 of 4 tokens');
    vi.advanceTimersByTime(tokenDelayMs);
    expect(res.tokens()).toHaveLength(2);
    vi.advanceTimersByTime(tokenDelayMs * 3);
    expect(res.written.at(-1)).toBe('data: [DONE]\n\n');
  });

  it('does not generate while the response waits for its connection (a pipelined request)', () => {
    const res = new FakeResponse();
    res.socket = null;
    stream(res);

    vi.advanceTimersByTime(tokenDelayMs * 100);
    expect(res.tokens()).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);

    res.socket = {};
    res.emit('socket');
    vi.advanceTimersByTime(tokenDelayMs);
    expect(res.tokens()).toHaveLength(1);
  });

  it('stops for good when the client disconnects while paused', () => {
    const res = new FakeResponse();
    const lines = stream(res);
    res.accepting = false;
    vi.advanceTimersByTime(tokenDelayMs);

    res.emit('close');
    res.emit('drain');
    vi.advanceTimersByTime(tokenDelayMs * 100);
    expect(res.tokens()).toHaveLength(1);
    expect(lines).toContain('client disconnected after 1 of 4 tokens; stopped generating');
  });
});

describe('streamReply with a demo failure', () => {
  it('slow-first-token: the first token waits slowFirstTokenMs, the others tokenDelayMs', () => {
    const res = new FakeResponse();
    stream(res, 'slow-first-token');

    vi.advanceTimersByTime(499);
    expect(res.tokens()).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(res.tokens()).toHaveLength(1);
    vi.advanceTimersByTime(tokenDelayMs);
    expect(res.tokens()).toHaveLength(2);
  });

  it('stall: after 3 tokens nothing more is written, and the response is left open', () => {
    const res = new FakeResponse();
    const lines = stream(res, 'stall');

    vi.advanceTimersByTime(tokenDelayMs * 100);
    expect(res.tokens()).toHaveLength(3);
    expect(res.writableFinished).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    expect(lines).toContain('stalled after 3 of 4 tokens on purpose (demo failure "stall"); the response stays open');
  });

  it('drop: after 3 tokens the connection is destroyed, without [DONE], and not reported as a client disconnect', () => {
    const res = new FakeResponse();
    const onClientClose = vi.fn();
    const lines = stream(res, 'drop', onClientClose);

    vi.advanceTimersByTime(tokenDelayMs * 100);
    expect(res.tokens()).toHaveLength(3);
    expect(res.destroyed).toBe(true);
    expect(res.written).not.toContain('data: [DONE]\n\n');
    expect(onClientClose).not.toHaveBeenCalled();
    expect(lines.some((line) => line.startsWith('client disconnected'))).toBe(false);
  });
});
