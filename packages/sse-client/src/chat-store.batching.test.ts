// When listeners are notified: batched (a frame by default, a number of ms, or a custom
// scheduler) while a reply streams; the end of a reply and the user's actions at once, unless the
// listeners were already notified in this frame or interval (chat-store.frames.test.ts covers
// that); the state itself is always current.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChatStore, type ChatStoreOptions } from './index.js';
import { scriptedServer, track } from './test/chat-harness.js';
import { tokenEvents } from './testing/index.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A store on a scripted server, with one listener recording what it was notified of. */
async function streaming(options: Partial<ChatStoreOptions> = {}) {
  const server = scriptedServer();
  const store = createChatStore({ url: '/c', fetch: server.fetch, ...options });
  const snapshots = track(store);
  const done = store.send('x');
  const response = await server.response();
  /** Writes one network chunk of tokens (no terminator) and waits until the store has it. */
  const chunk = async (...tokens: string[]) => {
    response.write(tokenEvents(tokens, 'cut'));
    await response.whenDrained();
  };
  return { store, snapshots, done, response, chunk, texts: () => snapshots.map((s) => s.text) };
}

describe("batch: 'frame' (the default)", () => {
  it('without requestAnimationFrame (Node), notifies at most once per 16 ms; getSnapshot is current at once', async () => {
    const { store, chunk, texts } = await streaming();
    await vi.advanceTimersByTimeAsync(16);
    expect(texts()).toEqual(['']); // submitted
    await chunk('a');
    await chunk('b');
    await chunk('c');
    expect(store.getSnapshot().text).toBe('abc');
    expect(texts()).toEqual(['']);
    await vi.advanceTimersByTimeAsync(15);
    expect(texts()).toEqual(['']);
    await vi.advanceTimersByTimeAsync(1);
    expect(texts()).toEqual(['', 'abc']);
    store.stop();
  });

  it('uses requestAnimationFrame where it exists; the end in the frame of a notification shows at the next frame', async () => {
    const frames = new Map<number, FrameRequestCallback>();
    let ids = 0;
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => (frames.set(++ids, callback), ids));
    vi.stubGlobal('cancelAnimationFrame', (id: number) => frames.delete(id));
    const runFrames = () => {
      const due = [...frames.values()];
      frames.clear();
      for (const callback of due) callback(0);
    };
    const { store, chunk, texts, response, done } = await streaming();
    runFrames();
    await chunk('Hel');
    await chunk('lo');
    expect(frames.size).toBe(1);
    runFrames();
    expect(texts()).toEqual(['', 'Hello']);
    await chunk('!');
    expect(frames.size).toBe(1);
    response.write('data: [DONE]\n\n');
    await done;
    expect(store.getSnapshot().status).toBe('done');
    expect(texts()).toEqual(['', 'Hello']); // notified in this frame already
    expect(frames.size).toBe(1);
    runFrames();
    expect(texts()).toEqual(['', 'Hello', 'Hello!']);
    expect(frames.size).toBe(1); // the frame that ends this one's mark
    runFrames();
    expect(frames.size).toBe(0);
  });
});

describe('the end of a reply', () => {
  it('is notified at once when nothing was notified in the interval, with everything before it, in one notification', async () => {
    const { snapshots, chunk, response, done } = await streaming({ batch: 1000 });
    await vi.advanceTimersByTimeAsync(1000); // submitted
    await vi.advanceTimersByTimeAsync(1000); // (a quiet interval)
    await chunk('Once');
    await chunk(' upon');
    response.write(tokenEvents([' a time']));
    await done;
    expect(snapshots.map((s) => [s.status, s.text])).toEqual([
      ['submitted', ''],
      ['done', 'Once upon a time'],
    ]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(snapshots).toHaveLength(2); // the scheduled callback had nothing more to notify
  });

  it('an error is notified at once too, the partial text with it', async () => {
    const { snapshots, chunk, response, done } = await streaming({ batch: 1000 });
    await chunk('Par');
    response.write(tokenEvents(['tial'], 'error'));
    await done;
    expect(snapshots.map((s) => [s.status, s.text])).toEqual([['error', 'Partial']]);
  });
});

describe('batch options', () => {
  it('a number: at most once per that many milliseconds', async () => {
    const { chunk, texts, store } = await streaming({ batch: 50 });
    await vi.advanceTimersByTimeAsync(50);
    await chunk('a');
    await vi.advanceTimersByTimeAsync(20);
    await chunk('b');
    await vi.advanceTimersByTimeAsync(29);
    expect(texts()).toEqual(['']);
    await vi.advanceTimersByTimeAsync(1);
    expect(texts()).toEqual(['', 'ab']);
    store.stop();
  });

  it('false: at once, after every change', async () => {
    const { chunk, texts, store } = await streaming({ batch: false });
    await chunk('a');
    await chunk('b');
    expect(texts()).toEqual(['', 'a', 'ab']);
    store.stop();
  });

  it('a custom scheduler: given flush, its cancel called when the end flushes first', async () => {
    const pending: (() => void)[] = [];
    const cancel = vi.fn();
    const scheduler = vi.fn((flush: () => void) => (pending.push(flush), cancel));
    const { chunk, texts, response, done } = await streaming({ batch: scheduler });
    expect(scheduler).toHaveBeenCalledOnce();
    pending.shift()!();
    await chunk('a');
    await chunk('b');
    expect(scheduler).toHaveBeenCalledTimes(2);
    pending.shift()!();
    expect(texts()).toEqual(['', 'ab']);
    await chunk('c');
    response.write('data: [DONE]\n\n');
    await done;
    expect(cancel).toHaveBeenCalledOnce();
    expect(texts()).toEqual(['', 'ab', 'abc']);
  });

  it('a custom scheduler that flushes at once works like false', async () => {
    const { chunk, texts, store } = await streaming({ batch: (flush) => (flush(), () => undefined) });
    await chunk('a');
    await chunk('b');
    expect(texts()).toEqual(['', 'a', 'ab']);
    store.stop();
  });
});

describe('actions notify at once, unless notified in this frame', () => {
  it('stop, setMessages, reset', async () => {
    const { store, snapshots, chunk } = await streaming();
    await chunk('a');
    store.stop();
    expect(snapshots.at(-1)).toMatchObject({ status: 'aborted', text: 'a' });
    store.setMessages([]);
    expect(snapshots).toHaveLength(1); // (notified in this frame)
    await vi.advanceTimersByTimeAsync(16);
    expect(snapshots.at(-1)?.messages).toEqual([]);
    await vi.advanceTimersByTimeAsync(16); // a quiet frame
    store.setMessages([{ id: 'u', role: 'user', parts: [{ type: 'text', text: 'x' }] }]);
    expect(snapshots.at(-1)?.messages).toHaveLength(1);
    store.reset();
    await vi.advanceTimersByTimeAsync(16);
    expect(snapshots.at(-1)?.messages).toEqual([]);
    expect(snapshots).toHaveLength(4);
  });
});

describe('listeners', () => {
  it('nothing is scheduled without listeners, and the last unsubscribe cancels what is pending', async () => {
    const cancel = vi.fn();
    const scheduler = vi.fn(() => cancel);
    const server = scriptedServer();
    const store = createChatStore({ url: '/c', fetch: server.fetch, batch: scheduler });
    void store.send('x');
    expect(scheduler).not.toHaveBeenCalled();
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    const response = await server.response();
    response.write(tokenEvents(['a'], 'cut'));
    await response.whenDrained();
    expect(scheduler).toHaveBeenCalledOnce();
    unsubscribe();
    expect(cancel).toHaveBeenCalledOnce();
    expect(store.hasListeners()).toBe(false);
    store.stop();
    expect(listener).not.toHaveBeenCalled();
  });
});
