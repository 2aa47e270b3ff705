// Every failure mode of the demo panel, in Chromium against the demo as `pnpm demo` serves it:
// each one's outcome shows in the UI. Errors show their sentence beside the reply, with the
// partial reply kept and in view; the 429 is retried into the full reply, with a "Retrying…"
// notice during the wait; CRLF and split UTF-8 read exactly as the plain stream does.
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EVENTS_BEFORE_FAILURE } from '../examples/server/src/demo-failures';
import { replyText, tokenize, TOKENS_BEFORE_ERROR } from '../examples/server/src/model';
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
});

/** Opens the app, chooses `failure`, sends `prompt`, and returns the index of the server's first log line for it. */
async function sendWith(failure: string, prompt: string): Promise<number> {
  await choose(page, { failure });
  const logFrom = demo.server.lines.length;
  await send(page, prompt);
  return logFrom;
}

/** The failed reply's sentence for the user. */
async function shownError(current: Page): Promise<string | null> {
  const alert = lastReply(current).getByRole('alert');
  await alert.waitFor({ state: 'visible', timeout: 5_000 });
  return alert.textContent();
}

/** Asserts that the last reply shows exactly the first `count` tokens of the reply to `prompt`, in view. */
async function expectPartialReply(current: Page, prompt: string, count: number): Promise<void> {
  expect(await shownReplyText(current)).toBe(tokenize(replyText(prompt)).slice(0, count).join(''));
  expect(await replyTextPart(current).isVisible()).toBe(true);
  expect(await isInViewport(replyTextPart(current))).toBe(true);
}

describe('the React demo app, failure modes', () => {
  it('slow first token: the reply waits ("Waiting…"), then streams in full; its time to first token shows the wait', async () => {
    const prompt = 'Take your time';
    await sendWith('slow-first-token', prompt);
    await waitForReplyStatus(page, 'submitted', 2_000);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Waiting…');
    await expect(lastReply(page).locator('.part__pending').textContent()).resolves.toBe('Thinking…');
    await waitForReplyStatus(page, 'done', 20_000);
    expect(await shownReplyText(page)).toBe(replyText(prompt));
    const metrics = await lastReply(page).locator('.reply__metrics').textContent();
    const firstToken = Number(/first token (\d+) ms/.exec(metrics ?? '')?.[1]);
    expect(firstToken).toBeGreaterThanOrEqual(2_900); // the server waits 3 s (timers may fire a little early)
    screenshots.push(await saveScreenshot(page, 'react-chat-failure-slow-first-token'));
  });

  it('stall: the idle timeout (3 s in this mode) fails the reply, keeping its words; the server sees the client leave', async () => {
    const prompt = 'Then stop talking';
    const logFrom = await sendWith('stall', prompt);
    await waitForReplyStatus(page, 'error', 15_000);
    expect(await shownError(page)).toBe('The server stopped responding, so this reply is incomplete.');
    await expectPartialReply(page, prompt, EVENTS_BEFORE_FAILURE);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Failed');
    const { match } = await demo.server.waitForLine(DISCONNECT_LOG, { from: logFrom, timeoutMs: 2_000 });
    expect(Number(match[1])).toBe(EVENTS_BEFORE_FAILURE);
    screenshots.push(await saveScreenshot(page, 'react-chat-failure-stall'));
  });

  // Behind Vite's proxy this needs the proxy to cut the browser's response when the example
  // server cuts its own (examples/react-chat/vite.config.ts, cutWhenUpstreamCuts).
  it('drop: the cut connection fails the reply, keeping its words', async () => {
    const prompt = 'Hang up on me';
    await sendWith('drop', prompt);
    await waitForReplyStatus(page, 'error', 5_000);
    expect(await shownError(page)).toBe('The connection was lost, so this reply is incomplete.');
    await expectPartialReply(page, prompt, EVENTS_BEFORE_FAILURE);
    screenshots.push(await saveScreenshot(page, 'react-chat-failure-drop'));
  });

  it('429: the status says "Retrying in 1 s…" while the client waits out Retry-After, then the full reply arrives', async () => {
    const prompt = 'Busy?';
    await choose(page, { failure: '429' });
    const logFrom = demo.server.lines.length;
    await startRecording(page, { status: { selector: '.chat__header [role="status"]' }, reply: REPLY_FIELDS.status });
    await send(page, prompt);
    await waitForReplyStatus(page, 'done', 20_000);
    const snapshots = await stopRecording<'status' | 'reply'>(page);
    expect(await shownReplyText(page)).toBe(replyText(prompt));
    expect(await lastReply(page).getByRole('alert').count()).toBe(0);
    // While it waited, the user was told; the notice went once the retry was answered.
    const retrying = snapshots.findIndex((snapshot) => snapshot.status === 'Retrying in 1 s…');
    expect(retrying).toBeGreaterThanOrEqual(0);
    expect(snapshots[retrying]!.reply).toBe('submitted');
    expect(snapshots.slice(retrying).some((snapshot) => snapshot.status === 'Streaming…')).toBe(true);
    // The server refused the first request, then streamed the reply to the retry.
    const refused = await demo.server.waitForLine(/429 on purpose/, { from: logFrom, timeoutMs: 1_000 });
    const streamed = await demo.server.waitForLine(/streaming a reply of \d+ tokens \(demo failure "429"\)/, { from: logFrom, timeoutMs: 1_000 });
    expect(streamed.line.at - refused.line.at).toBeGreaterThanOrEqual(900); // Retry-After: 1
    screenshots.push(await saveScreenshot(page, 'react-chat-failure-429-retried'));
  });

  it('500: the reply fails with the HTTP error in plain words', async () => {
    await sendWith('500', 'Break the server');
    await waitForReplyStatus(page, 'error', 10_000);
    expect(await shownError(page)).toBe('The server ran into a problem and could not answer. Try again in a moment.');
    await expect(lastReply(page).locator('.part__pending').textContent()).resolves.toBe('(no reply)');
    screenshots.push(await saveScreenshot(page, 'react-chat-failure-500'));
  });

  it('html: a 200 login page instead of a stream is refused with a clear error', async () => {
    await sendWith('html', 'Behind a proxy');
    await waitForReplyStatus(page, 'error', 10_000);
    expect(await shownError(page)).toBe('The server answered with something that is not a chat reply. Reload the page, then try again.');
    // Nothing of the page is shown as the reply.
    expect(await lastReply(page).textContent()).not.toContain('Sign in');
    screenshots.push(await saveScreenshot(page, 'react-chat-failure-html'));
  });

  it('crlf: CRLF line endings and keep-alive comments read exactly as the plain stream', async () => {
    const prompt = 'Windows line endings';
    await sendWith('crlf', prompt);
    await waitForReplyStatus(page, 'done', 20_000);
    expect(await shownReplyText(page)).toBe(replyText(prompt));
    screenshots.push(await saveScreenshot(page, 'react-chat-failure-crlf'));
  });

  it('split-utf8: characters cut across chunks decode whole (emoji, CJK, Greek, accents), no U+FFFD', async () => {
    const prompt = 'Unicode 🚀 please';
    await sendWith('split-utf8', prompt);
    await waitForReplyStatus(page, 'done', 25_000);
    const shown = await shownReplyText(page);
    expect(shown).toBe(replyText(prompt));
    for (const text of ['🚀', '日本語', 'Ελληνικά', 'café', '“Unicode 🚀 please”']) expect(shown).toContain(text);
    expect(shown).not.toContain('\uFFFD');
    screenshots.push(await saveScreenshot(page, 'react-chat-failure-split-utf8'));
  });

  it('a mid-stream error from the model ("error" in the prompt) fails the reply, keeping its words', async () => {
    const prompt = 'Show me an error';
    await sendWith('none', prompt);
    await waitForReplyStatus(page, 'error', 10_000);
    expect(await shownError(page)).toBe('The model ran into a problem and could not finish this reply.');
    await expectPartialReply(page, prompt, TOKENS_BEFORE_ERROR);
    screenshots.push(await saveScreenshot(page, 'react-chat-failure-model-error'));
  });
});
