// The vanilla page (examples/vanilla: no framework, streamTokens directly) in Chromium, served as
// its README says: the example server and the page's Vite dev server. It streams, stops and shows
// a failure, each with the partial reply kept.
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replyText, tokenize, TOKENS_BEFORE_ERROR } from '../examples/server/src/model';
import { newContext, saveScreenshot } from './helpers/browser';
import { startRecording, stopRecording } from './helpers/dom-recorder';
import { startVanillaPage, type ServedPage } from './helpers/servers';
import { DISCONNECT_LOG, useBrowserSession } from './helpers/session';

/** What the recorder samples on the page: the reply and the status line. */
const PAGE_FIELDS = {
  text: { selector: '.reply' },
  status: { selector: '[role="status"]' },
} as const;

const session = useBrowserSession(startVanillaPage, async (browser, served) => {
  const page = await (await newContext(browser)).newPage();
  await page.goto(served.url);
  await page.getByLabel('Prompt').waitFor({ state: 'visible', timeout: 60_000 });
  return page;
});
const { screenshots } = session;
let served: ServedPage;
let page: Page;

beforeAll(() => {
  ({ served, page } = session);
});

beforeEach(async () => {
  // Each test starts with Send enabled: no reply in flight.
  await page.locator('button[type="submit"]:enabled').waitFor({ timeout: 5_000 });
});

async function send(prompt: string): Promise<void> {
  await page.getByLabel('Prompt').fill(prompt);
  await page.getByRole('button', { name: 'Send' }).click();
}

async function shown(): Promise<{ text: string; status: string }> {
  return {
    text: (await page.locator(PAGE_FIELDS.text.selector).textContent()) ?? '',
    status: (await page.locator(PAGE_FIELDS.status.selector).textContent()) ?? '',
  };
}

/** Waits until the status line reads `status`. */
async function waitForStatus(status: string, timeoutMs: number): Promise<void> {
  await page.locator(PAGE_FIELDS.status.selector, { hasText: new RegExp(`^${status}$`) }).waitFor({ timeout: timeoutMs });
}

describe('the vanilla page', () => {
  it('streams the reply progressively, then says Done', async () => {
    const prompt = 'Plain TypeScript, please';
    await startRecording(page, PAGE_FIELDS);
    await send(prompt);
    await waitForStatus('Done', 20_000);
    const snapshots = await stopRecording<keyof typeof PAGE_FIELDS>(page);
    screenshots.push(await saveScreenshot(page, 'vanilla-streamed'));

    const full = replyText(prompt);
    expect((await shown()).text).toBe(full);
    const partial = snapshots.filter((snapshot) => snapshot.status === 'Streaming…' && snapshot.text !== '' && snapshot.text!.length < full.length);
    expect(partial.length).toBeGreaterThanOrEqual(10);
    for (const snapshot of partial) expect(full.startsWith(snapshot.text!)).toBe(true);
  });

  it('Stop halts the stream, says Stopped, keeps the partial reply, and the server logs the disconnect', async () => {
    const prompt = 'A long one, please';
    await send(prompt);
    await page.waitForFunction((selector) => (document.querySelector(selector)?.textContent ?? '').split(' ').length > 4, PAGE_FIELDS.text.selector, {
      timeout: 10_000,
    });
    const logFrom = served.server.lines.length;
    const stoppedAt = Date.now();
    await page.getByRole('button', { name: 'Stop' }).click();
    await waitForStatus('Stopped', 5_000);

    const { line, match } = await served.server.waitForLine(DISCONNECT_LOG, { from: logFrom, timeoutMs: 2_000 });
    expect(line.at - stoppedAt).toBeLessThan(2_000);
    const tokens = tokenize(replyText(prompt));
    const tokensSent = Number(match[1]);
    expect(tokensSent).toBeLessThan(tokens.length);
    const { text } = await shown();
    const count = tokenize(text).length;
    expect(count).toBeGreaterThan(4);
    expect(count).toBeLessThanOrEqual(tokensSent);
    expect(text).toBe(tokens.slice(0, count).join(''));
    expect(await page.getByRole('button', { name: 'Stop' }).isDisabled()).toBe(true);
    screenshots.push(await saveScreenshot(page, 'vanilla-stopped'));
  });

  it('shows a mid-stream error in plain words, keeping the partial reply', async () => {
    const prompt = 'Give me an error';
    await send(prompt);
    await waitForStatus('The model failed partway through, so this reply is incomplete.', 10_000);
    expect(await page.locator('.status.failed').isVisible()).toBe(true);
    expect((await shown()).text).toBe(tokenize(replyText(prompt)).slice(0, TOKENS_BEFORE_ERROR).join(''));
    screenshots.push(await saveScreenshot(page, 'vanilla-error'));
  });
});
