// At most one notification per animation frame (`batch: 'frame'`, the default) or per interval
// (`batch: ms`), the end of a reply and the user's actions included: a change that notifies at
// once does so only when nothing was notified since the last frame; otherwise it waits for the
// next frame, which carries the final state with all the text before it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChatStore, type ChatMessage, type ChatStoreOptions } from './index.js';
import { scriptedServer } from './test/chat-harness.js';
import { tokenEvents } from './testing/index.js';

/** A `requestAnimationFrame` the test runs frame by frame; `frame` counts the frames run. */
function fakeFrames() {
  const callbacks = new Map<number, FrameRequestCallback>();
  let ids = 0;
  const clock = {
    frame: 0,
    pending: () => callbacks.size,
    /** Runs the callbacks requested so far (those they request wait for the next frame). */
    run() {
      clock.frame += 1;
      const due = [...callbacks.values()];
      callbacks.clear();
      for (const callback of due) callback(clock.frame * 16);
    },
  };
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => (callbacks.set(++ids, callback), ids));
  vi.stubGlobal('cancelAnimationFrame', (id: number) => callbacks.delete(id));
  return clock;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A store on a scripted server, with a listener recording the frame, status and text of each notification. */
async function streaming(options: Partial<ChatStoreOptions> = {}) {
  const frames = fakeFrames();
  const server = scriptedServer();
  const store = createChatStore({ url: '/c', fetch: server.fetch, ...options });
  const notified: { frame: number; status: string; text: string }[] = [];
  store.subscribe(() => {
    const { status, text } = store.getSnapshot();
    notified.push({ frame: frames.frame, status, text });
  });
  const done = store.send('x');
  const response = await server.response();
  /** Writes one network chunk of tokens (no terminator) and waits until the store has it. */
  const chunk = async (...tokens: string[]) => {
    response.write(tokenEvents(tokens, 'cut'));
    await response.whenDrained();
  };
  /** The most notifications in one frame. */
  const maxPerFrame = () => {
    const counts = new Map<number, number>();
    for (const { frame } of notified) counts.set(frame, (counts.get(frame) ?? 0) + 1);
    return Math.max(0, ...counts.values());
  };
  return { frames, store, notified, done, response, chunk, maxPerFrame };
}

describe("batch: 'frame': at most one notification per frame", () => {
  it('a burst that ends before any frame notifies once, at once, with the final text', async () => {
    const { frames, store, notified, response, done } = await streaming();
    response.write([...tokenEvents(['Hel', 'lo'], 'cut'), ...tokenEvents(['!'])]);
    await done;
    expect(notified).toEqual([{ frame: 0, status: 'done', text: 'Hello!' }]);
    frames.run();
    frames.run();
    expect(notified).toHaveLength(1);
    expect(store.getSnapshot().text).toBe('Hello!');
  });

  it('the end of a reply in the frame of a frame flush is notified at the next frame, carrying the last text', async () => {
    const { frames, store, notified, chunk, response, done } = await streaming();
    frames.run(); // submitted
    await chunk('a');
    frames.run(); // 'a'
    await chunk('b');
    response.write('data: [DONE]\n\n');
    await done;
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'ab' }); // the state is current at once
    expect(notified.at(-1)).toEqual({ frame: 2, status: 'streaming', text: 'a' });
    frames.run();
    expect(notified.at(-1)).toEqual({ frame: 3, status: 'done', text: 'ab' });
    expect(notified.map(({ frame }) => frame)).toEqual([1, 2, 3]);
  });

  it('an error in the frame of a frame flush is notified at the next frame, the partial text with it', async () => {
    const { frames, notified, chunk, response, done } = await streaming();
    await chunk('Par');
    frames.run();
    response.write(tokenEvents(['tial'], 'error'));
    await done;
    expect(notified.at(-1)).toMatchObject({ status: 'streaming', text: 'Par' });
    frames.run();
    expect(notified.at(-1)).toEqual({ frame: 2, status: 'error', text: 'Partial' });
  });

  it('a stop after a frame flush in the same frame shows at the next frame', async () => {
    const { frames, store, notified, chunk } = await streaming();
    await chunk('a');
    frames.run();
    await chunk('b');
    store.stop();
    expect(store.getSnapshot().status).toBe('aborted');
    expect(notified).toEqual([{ frame: 1, status: 'streaming', text: 'a' }]);
    frames.run();
    expect(notified).toEqual([
      { frame: 1, status: 'streaming', text: 'a' },
      { frame: 2, status: 'aborted', text: 'ab' },
    ]);
  });

  it('a stop in a frame with no notification yet shows at once', async () => {
    const { frames, store, notified, chunk } = await streaming();
    frames.run();
    frames.run(); // nothing notified in this frame
    await chunk('a');
    store.stop();
    expect(notified.at(-1)).toEqual({ frame: 2, status: 'aborted', text: 'a' });
  });

  it('setMessages, reset and addToolResult in one frame: the first at once, the rest together at the next frame', async () => {
    const { frames, store, notified } = await streaming();
    frames.run();
    frames.run();
    const call: ChatMessage = {
      id: 't',
      role: 'assistant',
      parts: [{ type: 'tool', toolCallId: 'c1', toolName: 'get_weather', state: 'input-available', input: {} }],
    };
    store.setMessages([call]);
    store.addToolResult({ toolCallId: 'c1', output: 21 });
    expect(notified).toHaveLength(2);
    expect(store.getSnapshot().messages[0]!.parts[0]).toMatchObject({ state: 'output-available', output: 21 });
    frames.run();
    expect(notified).toHaveLength(3);
    store.reset();
    expect(notified).toHaveLength(3);
    frames.run();
    expect(notified).toHaveLength(4);
    expect(store.getSnapshot().messages).toEqual([]);
  });

  it.each([
    ['chunk, frame, chunk, end, frame', ['chunk', 'frame', 'chunk', 'end', 'frame']],
    ['chunk, frame, end, stop, frame', ['chunk', 'frame', 'end', 'stop', 'frame']],
    ['chunk, stop, chunk, frame', ['chunk', 'stop', 'chunk', 'frame']],
    ['frame, chunk, stop, reset, frame, frame', ['frame', 'chunk', 'stop', 'reset', 'frame', 'frame']],
    ['chunk, end, reset, frame, frame', ['chunk', 'end', 'reset', 'frame', 'frame']],
    ['frame, chunk, frame, chunk, frame, end, frame', ['frame', 'chunk', 'frame', 'chunk', 'frame', 'end', 'frame']],
  ])('two notifications never happen in one frame (%s), and the last one is the final state', async (_name, steps) => {
    const { frames, store, notified, chunk, response, maxPerFrame } = await streaming();
    for (const step of steps) {
      if (step === 'frame') frames.run();
      else if (step === 'chunk') await chunk('t');
      else if (step === 'end') {
        response.write('data: [DONE]\n\n');
        await response.whenDrained();
        await vi.advanceTimersByTimeAsync(0);
      } else if (step === 'stop') store.stop();
      else if (step === 'reset') store.reset();
    }
    frames.run();
    expect(maxPerFrame()).toBe(1);
    const { status, text } = store.getSnapshot();
    expect(notified.at(-1)).toMatchObject({ status, text });
  });

  it('requests one more frame after a notification, then none while nothing changes', async () => {
    const { frames, notified, chunk, response, done } = await streaming();
    await chunk('a');
    frames.run();
    expect(frames.pending()).toBe(1); // the frame that ends this one's mark
    frames.run();
    expect(frames.pending()).toBe(0);
    response.write('data: [DONE]\n\n');
    await done;
    expect(notified.at(-1)).toEqual({ frame: 2, status: 'done', text: 'a' }); // at once: nothing notified in frame 2
  });

  it('onFinish runs once the state is final, before the deferred notification', async () => {
    const onFinish = vi.fn();
    const { frames, store, notified, chunk, response, done } = await streaming({ onFinish });
    await chunk('a');
    frames.run();
    response.write(tokenEvents(['b']));
    await done;
    expect(onFinish).toHaveBeenCalledWith(expect.objectContaining({ status: 'done' }));
    expect(store.getSnapshot().status).toBe('done');
    expect(notified.at(-1)?.status).toBe('streaming');
    frames.run();
    expect(notified.at(-1)).toMatchObject({ status: 'done', text: 'ab' });
  });
});

describe('batch: ms: at most one notification per interval', () => {
  it('the end of a reply within the interval of a notification waits for that interval to end', async () => {
    const { notified, chunk, response, done, store } = await streaming({ batch: 100 });
    await vi.advanceTimersByTimeAsync(100); // submitted
    await chunk('Once');
    await vi.advanceTimersByTimeAsync(100); // 'Once'
    await chunk(' upon');
    await vi.advanceTimersByTimeAsync(40);
    response.write(tokenEvents([' a time']));
    await done;
    expect(store.getSnapshot().status).toBe('done');
    expect(notified.map(({ status }) => status)).toEqual(['submitted', 'streaming']);
    await vi.advanceTimersByTimeAsync(59);
    expect(notified).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(notified.map(({ status, text }) => [status, text])).toEqual([
      ['submitted', ''],
      ['streaming', 'Once'],
      ['done', 'Once upon a time'],
    ]);
  });

  it('a stop after a quiet interval shows at once', async () => {
    const { notified, chunk, store } = await streaming({ batch: 100 });
    await vi.advanceTimersByTimeAsync(100);
    await vi.advanceTimersByTimeAsync(100);
    await chunk('a');
    store.stop();
    expect(notified.at(-1)).toMatchObject({ status: 'aborted', text: 'a' });
  });
});
