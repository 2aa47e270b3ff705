import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { TokenStreamError, type ChatMessage, type MessageStatus } from '@tokenstream/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageList } from './message-list';

// jsdom lays nothing out: the conversation's box gets a fake layout in which every character of
// its text is one pixel of height, so that growing content grows `scrollHeight`.

afterEach(cleanup);

const CLIENT_HEIGHT = 100;

function fakeLayout(element: HTMLElement) {
  let scrollTop = 0;
  const scrollHeight = () => CLIENT_HEIGHT + (element.textContent ?? '').length;
  Object.defineProperties(element, {
    clientHeight: { get: () => CLIENT_HEIGHT },
    scrollHeight: { get: scrollHeight },
    scrollTop: {
      get: () => scrollTop,
      set: (value: number) => {
        scrollTop = Math.max(0, Math.min(value, scrollHeight() - CLIENT_HEIGHT));
      },
    },
  });
  return {
    /** Where the bottom of the content is: the `scrollTop` that shows it. */
    bottom: () => scrollHeight() - CLIENT_HEIGHT,
    /** The user scrolls to `top`. */
    scrollTo(top: number) {
      element.scrollTop = top;
      fireEvent.scroll(element);
    },
  };
}

const user = (id: string, text: string): ChatMessage => ({ id, role: 'user', parts: [{ type: 'text', text }] });
const reply = (id: string, text: string, status: MessageStatus, error?: Error): ChatMessage => ({
  id,
  role: 'assistant',
  parts: text === '' ? [] : [{ type: 'text', text }],
  status,
  ...(error === undefined ? {} : { error }),
});

function renderList(messages: readonly ChatMessage[]) {
  const view = render(<MessageList messages={messages} />);
  const layout = fakeLayout(screen.getByRole('region', { name: 'Conversation' }));
  return { layout, update: (next: readonly ChatMessage[]) => view.rerender(<MessageList messages={next} />) };
}

const long = 'word '.repeat(60);

describe('scrolling', () => {
  it('follows the reply to the bottom as it streams', () => {
    const question = user('m1', 'Tell me a story');
    const { layout, update } = renderList([question, reply('m2', '', 'submitted')]);
    update([question, reply('m2', long, 'streaming')]);
    expect(layout.bottom()).toBeGreaterThan(0);
    expect(screen.getByRole('region').scrollTop).toBe(layout.bottom());

    update([question, reply('m2', long + long, 'streaming')]);
    expect(screen.getByRole('region').scrollTop).toBe(layout.bottom());
  });

  const streaming = { timeToFirstByte: 40, timeToFirstToken: 120, duration: undefined, textDeltas: 60, deltasPerSecond: 30, longestGap: 50 };
  const ended = { ...streaming, duration: 2120 };

  it.each([
    ['stopped', { ...reply('m2', long, 'aborted'), metrics: ended }],
    ['failed', { ...reply('m2', long, 'error', new TokenStreamError('The stream ended before its terminator: POST /chat/stream')), metrics: ended }],
  ])('keeps a %s reply in view: the end of its row (its mark, metrics, error) scrolls into view as it grows, its text unchanged', (_, last) => {
    const question = user('m1', 'Tell me a story');
    const { layout, update } = renderList([question, reply('m2', '', 'submitted')]);
    update([question, { ...reply('m2', long, 'streaming'), metrics: streaming }]);
    const before = layout.bottom();
    expect(screen.getByRole('region').scrollTop).toBe(before);

    // Only the reply's status and metrics change (and an error line appears): the end of its row grows.
    update([question, last]);
    expect(layout.bottom()).toBeGreaterThan(before);
    expect(screen.getByRole('region').scrollTop).toBe(layout.bottom());
  });

  it('stays where the user scrolled up to while the reply streams, and follows again from their next send', () => {
    const question = user('m1', 'Tell me a story');
    const { layout, update } = renderList([question, reply('m2', long, 'streaming')]);
    layout.scrollTo(10);

    update([question, reply('m2', long + long, 'streaming')]);
    update([question, reply('m2', long + long, 'done')]);
    expect(screen.getByRole('region').scrollTop).toBe(10);

    const next = user('m3', 'Another');
    update([question, reply('m2', long + long, 'done'), next, reply('m4', '', 'submitted')]);
    expect(screen.getByRole('region').scrollTop).toBe(layout.bottom());
  });

  it('follows again once the user scrolls back near the bottom', () => {
    const question = user('m1', 'Tell me a story');
    const { layout, update } = renderList([question, reply('m2', long, 'streaming')]);
    layout.scrollTo(10);
    layout.scrollTo(layout.bottom() - 20);

    update([question, reply('m2', long + long, 'streaming')]);
    expect(screen.getByRole('region').scrollTop).toBe(layout.bottom());
  });
});
