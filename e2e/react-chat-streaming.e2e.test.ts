// The React demo app in Chromium, as `pnpm demo` serves it: a reply streams in progressively,
// Stop halts it (and the server says so), and reasoning and a tool call render as they stream.
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tokenize, replyText } from '../examples/server/src/model';
import { DEMO_REASONING, DEMO_TOOL_INPUT, DEMO_TOOL_NAME, DEMO_TOOL_TEXT } from '../examples/server/src/openai-chat';
import { saveScreenshot } from './helpers/browser';
import {
  choose,
  newChat,
  isInViewport,
  lastReply,
  REPLY_FIELDS,
  replyTextPart,
  send,
  shownReplyText,
  waitForReplyStatus,
} from './helpers/chat-page';
import { startRecording, stopRecording } from './helpers/dom-recorder';
import { startDemo, type ServedPage } from './helpers/servers';
import { DISCONNECT_LOG, openDemoChat, useBrowserSession } from './helpers/session';

const session = useBrowserSession(startDemo, openDemoChat);
const { screenshots } = session;
let demo: ServedPage;
let page: Page;

beforeAll(() => {
  ({ served: demo, page } = session);
});

beforeEach(async () => {
  await newChat(page);
  await choose(page, {});
});

describe('the React demo app, streaming', () => {
  it('shows the reply progressively: partial text is on screen before the reply completes', async () => {
    const prompt = 'How does streaming work?';
    await startRecording(page, REPLY_FIELDS);
    await send(page, prompt);
    await waitForReplyStatus(page, 'done');
    const snapshots = await stopRecording<keyof typeof REPLY_FIELDS>(page);
    screenshots.push(await saveScreenshot(page, 'react-chat-streamed'));

    const full = replyText(prompt);
    expect(await shownReplyText(page)).toBe(full);
    // While the reply was streaming, the text grew step by step, each step a prefix of the reply
    // (the last token shows before the end of the stream arrives, hence "at most" the whole reply).
    const streaming = snapshots.filter((snapshot) => snapshot.status === 'streaming' && snapshot.text !== null && snapshot.text !== '');
    for (const [index, snapshot] of streaming.entries()) {
      expect(full.startsWith(snapshot.text!)).toBe(true);
      if (index > 0) expect(snapshot.text!.length).toBeGreaterThanOrEqual(streaming[index - 1]!.text!.length);
    }
    const partial = streaming.filter((snapshot) => snapshot.text!.length < full.length);
    expect(partial.length).toBeGreaterThanOrEqual(10);
    // The first words were on screen well before the end (the demo model sends ~100 tokens, 35 ms apart).
    const doneAt = snapshots.find((snapshot) => snapshot.status === 'done')!.at;
    expect(doneAt - partial[0]!.at).toBeGreaterThan(500);
    await expect(lastReply(page).locator('.mark').textContent()).resolves.toBe('Done');
  });

  it('Stop halts the stream, the reply says Stopped, and the server logs the disconnect promptly', async () => {
    const prompt = 'Tell me a long story';
    await send(page, prompt);
    // A few words in, press Stop.
    await page.waitForFunction((selector) => (document.querySelector(selector)?.textContent ?? '').split(' ').length > 4, REPLY_FIELDS.text.selector, {
      timeout: 10_000,
    });
    const logFrom = demo.server.lines.length;
    const stoppedAt = Date.now();
    await page.getByRole('button', { name: 'Stop' }).click();

    await waitForReplyStatus(page, 'aborted', 5_000);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Stopped');
    await expect(lastReply(page).locator('.mark').textContent()).resolves.toBe('Stopped');
    // The server noticed at once (within 2 s, on a loaded machine) and stopped generating before the end of the reply.
    const { line, match } = await demo.server.waitForLine(DISCONNECT_LOG, { from: logFrom, timeoutMs: 2_000 });
    expect(line.at - stoppedAt).toBeLessThan(2_000);
    const tokensSent = Number(match[1]);
    const tokens = tokenize(replyText(prompt));
    expect(Number(match[2])).toBe(tokens.length);
    expect(tokensSent).toBeLessThan(tokens.length);
    // The partial reply stays, in view: the first tokens of the reply, no more than the server sent.
    const shown = await shownReplyText(page);
    const shownTokens = tokenize(shown);
    expect(shownTokens.length).toBeGreaterThan(4);
    expect(shownTokens.length).toBeLessThanOrEqual(tokensSent);
    expect(shown).toBe(tokens.slice(0, shownTokens.length).join(''));
    expect(await isInViewport(replyTextPart(page))).toBe(true);
    screenshots.push(await saveScreenshot(page, 'react-chat-stopped'));
    // Nothing more arrives after the server stopped.
    expect(await shownReplyText(page)).toBe(shown);
  });

  it('renders reasoning and a tool call as they stream (OpenAI-compatible format)', async () => {
    await choose(page, { format: 'openai' });
    await startRecording(page, REPLY_FIELDS);
    await send(page, 'What is the weather in Paris?');
    await waitForReplyStatus(page, 'done');
    const snapshots = await stopRecording<keyof typeof REPLY_FIELDS>(page);
    screenshots.push(await saveScreenshot(page, 'react-chat-reasoning-and-tool'));

    // The reasoning showed while it grew, open, headed "Thinking…".
    const thinking = snapshots.filter((snapshot) => snapshot.reasoningSummary === 'Thinking…' && snapshot.reasoning !== null);
    expect(thinking.length).toBeGreaterThanOrEqual(2);
    expect(thinking.every((snapshot) => snapshot.reasoningOpen !== null)).toBe(true);
    expect(thinking.some((snapshot) => snapshot.reasoning!.length < DEMO_REASONING.length)).toBe(true);
    expect(thinking.every((snapshot) => DEMO_REASONING.startsWith(snapshot.reasoning!))).toBe(true);
    // The tool call showed while its arguments were still streaming.
    expect(snapshots.some((snapshot) => snapshot.toolState === 'input-streaming')).toBe(true);

    // The finished reply: reasoning folded, the text, the tool call with its whole arguments.
    const reply = lastReply(page);
    await expect(reply.locator('.part--reasoning > summary').textContent()).resolves.toBe('Reasoning');
    expect(await reply.locator('.part--reasoning').getAttribute('open')).toBeNull();
    await expect(reply.locator('.part--reasoning > .part__text').textContent()).resolves.toBe(DEMO_REASONING);
    expect(await shownReplyText(page)).toBe(DEMO_TOOL_TEXT);
    await expect(reply.locator('.part--tool').getAttribute('data-state')).resolves.toBe('input-available');
    await expect(reply.locator('.tool__name').textContent()).resolves.toBe(DEMO_TOOL_NAME);
    const args = await reply.getByLabel(`${DEMO_TOOL_NAME} arguments`).textContent();
    expect(JSON.parse(args!)).toEqual(DEMO_TOOL_INPUT);
    await expect(reply.locator('.reply__finish').textContent()).resolves.toBe('Ended to call tools');
  });
});
