import { cleanup, render } from '@testing-library/react';
import type { ChatMessage } from '@tokenstream/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MessageList } from './message-list';
import { PartView } from './message-parts';

// Every part a row renders goes through PartView: counting its calls counts the rows' renders.
vi.mock('./message-parts', async (importOriginal) => {
  const original = await importOriginal<typeof import('./message-parts')>();
  return { ...original, PartView: vi.fn(original.PartView) };
});

afterEach(cleanup);

const text = (id: string, role: 'user' | 'assistant', value: string, status?: ChatMessage['status']): ChatMessage => ({
  id,
  role,
  parts: [{ type: 'text', text: value }],
  ...(status === undefined ? {} : { status }),
});

describe('message rows', () => {
  it('render again only for the messages that changed (the store keeps the others identical)', () => {
    const history = [
      text('m1', 'user', 'Hi'),
      text('m2', 'assistant', 'Hello!', 'done'),
      text('m3', 'user', 'A story?'),
    ];
    const view = render(<MessageList messages={[...history, text('m4', 'assistant', 'Once', 'streaming')]} />);
    const renders = vi.mocked(PartView);
    expect(renders).toHaveBeenCalledTimes(4);

    renders.mockClear();
    view.rerender(<MessageList messages={[...history, text('m4', 'assistant', 'Once upon', 'streaming')]} />);
    expect(renders).toHaveBeenCalledTimes(1);
    expect(renders.mock.calls[0]![0].part).toEqual({ type: 'text', text: 'Once upon' });
  });
});
