import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { openAIChatProtocol } from '@tokenstream/react';
import {
  createControlledResponse,
  createFakeFetch,
  openAIChatEvents,
  type ResponseController,
} from '@tokenstream/sse-client/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from './App';

// The app against an OpenAI Chat Completions stream (reasoning_content, tool_calls), written one
// event at a time, to watch each part grow.

afterEach(cleanup);

async function startReply(prompt: string) {
  const server: ResponseController = createControlledResponse();
  const fetch = createFakeFetch(() => server.response);
  render(<App chat={{ url: '/v1/chat/completions', protocol: openAIChatProtocol, fetch }} />);
  fireEvent.change(screen.getByLabelText('Your message'), { target: { value: prompt } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  await fetch.waitForRequest(0);
  /** Writes one event and waits until the app shows it. */
  const write = async (event: string) => {
    await act(async () => {
      server.write(event);
      await server.whenDrained();
      // The store notifies once per animation frame: let that frame pass.
      await new Promise(requestAnimationFrame);
    });
  };
  const reply = () => screen.getAllByRole('listitem')[1]!;
  return { write, reply };
}

describe('reasoning', () => {
  it('shows the reasoning as it streams, open, then folds it once the answer starts', async () => {
    const events = openAIChatEvents([
      { type: 'reasoning', text: 'The user wants ' },
      { type: 'reasoning', text: 'the weather.' },
      'It is sunny.',
    ]);
    const { write, reply } = await startReply('Weather?');
    await write(events[0]!); // the role chunk
    await write(events[1]!);

    const details = () => reply().querySelector('details')!;
    expect(details().open).toBe(true);
    expect(within(details()).getByText('Thinking…')).toBeTruthy();
    expect(details().querySelector('.part__text')?.textContent).toBe('The user wants ');

    await write(events[2]!);
    expect(details().querySelector('.part__text')?.textContent).toBe('The user wants the weather.');
    expect(details().open).toBe(true);

    await write(events[3]!);
    expect(details().open).toBe(false);
    expect(within(details()).getByText('Reasoning')).toBeTruthy();
    expect(within(reply()).getByText('It is sunny.')).toBeTruthy();

    for (const event of events.slice(4)) await write(event);
    expect(reply().querySelector('.mark')?.textContent).toBe('Done');
    // Still there, folded, for the user to open.
    expect(details().querySelector('.part__text')?.textContent).toBe('The user wants the weather.');
  });
});

describe('tool calls', () => {
  it('shows the call, then its arguments filling in as they stream, then that it was called', async () => {
    const events = openAIChatEvents([
      { type: 'tool-call', toolName: 'get_weather', inputDeltas: ['{"city":', ' "Par', 'is", "unit": "C"}'] },
    ]);
    const { write, reply } = await startReply('Weather in Paris?');
    await write(events[0]!);
    await write(events[1]!); // the call starts: its name, no arguments yet

    const tool = () => reply().querySelector<HTMLElement>('.part--tool')!;
    const args = () => within(reply()).getByLabelText('get_weather arguments').textContent;
    expect(within(tool()).getByText('get_weather')).toBeTruthy();
    expect(within(tool()).getByText('preparing the arguments…')).toBeTruthy();
    expect(args()).toBe('…');

    await write(events[2]!);
    await write(events[3]!);
    expect(args()).toBe(JSON.stringify({ city: 'Par' }, null, 2));

    await write(events[4]!);
    expect(args()).toBe(JSON.stringify({ city: 'Paris', unit: 'C' }, null, 2));

    for (const event of events.slice(5)) await write(event);
    expect(within(tool()).getByText('called')).toBeTruthy();
    expect(reply().querySelector('.mark')?.textContent).toBe('Done');
    expect(reply().querySelector('.reply__finish')?.textContent).toBe('Ended to call tools');
  });
});

describe('finish reason', () => {
  it('says when the reply was cut off at the length limit', async () => {
    const events = openAIChatEvents(['Once upon a'], 'stop');
    const { write, reply } = await startReply('A long story');
    for (const event of events) await write(event);
    expect(reply().querySelector('.mark')?.textContent).toBe('Done');
    expect(reply().querySelector('.reply__finish')?.textContent).toBe('Cut off at the length limit');
  });
});
