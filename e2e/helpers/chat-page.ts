// The React demo app (examples/react-chat) as a user sees it: the demo panel, the prompt box, and
// the last assistant reply with its status mark, text, error, reasoning and tool call.
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { FieldSource } from './dom-recorder';

/** The app's reply statuses (`data-status` on each reply). */
export type ReplyStatus = 'submitted' | 'streaming' | 'done' | 'error' | 'aborted';

/** The last assistant reply. */
export const LAST_REPLY = 'li[aria-label="Assistant"]:last-of-type';

/** What the recorder samples in the React app: the last reply's status, text, reasoning and tool call. */
export const REPLY_FIELDS = {
  status: { selector: LAST_REPLY, attribute: 'data-status' },
  text: { selector: `${LAST_REPLY} .message__body > .part__text` },
  reasoningSummary: { selector: `${LAST_REPLY} .part--reasoning > summary` },
  reasoningOpen: { selector: `${LAST_REPLY} .part--reasoning`, attribute: 'open' },
  reasoning: { selector: `${LAST_REPLY} .part--reasoning > .part__text` },
  toolState: { selector: `${LAST_REPLY} .part--tool`, attribute: 'data-state' },
  toolArguments: { selector: `${LAST_REPLY} .part--tool .tool__value` },
} as const satisfies Record<string, FieldSource>;

/**
 * Opens the app in a new page (a new conversation, the panel at its defaults) and waits for the
 * prompt box. Pages of one context share its HTTP cache, so only the first one waits for Vite to
 * serve every module.
 */
export async function openChat(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('Your message').waitFor({ state: 'visible', timeout: 60_000 });
  return page;
}

/**
 * Starts a new conversation in an open app ("New chat", when there is one to leave) and waits
 * until the conversation is empty and the app is Ready: each test starts from there, in the same
 * page (loading the app anew for each test would cost seconds of Vite serving modules).
 */
export async function newChat(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'New chat' });
  if (await button.isEnabled()) await button.click();
  await page.locator('.messages__empty').waitFor({ state: 'visible', timeout: 5_000 });
  await page.locator('.status[data-status="idle"]').waitFor({ state: 'visible', timeout: 5_000 });
}

/** Chooses the wire format and the failure mode in the demo panel (by their option values). */
export async function choose(page: Page, { format = 'token', failure = 'none' }: { format?: 'token' | 'openai'; failure?: string }): Promise<void> {
  await page.getByLabel('Format').selectOption(format);
  await page.getByLabel('Failure').selectOption(failure);
}

/** Types `prompt` and presses Send. */
export async function send(page: Page, prompt: string): Promise<void> {
  await page.getByLabel('Your message').fill(prompt);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** The last assistant reply. */
export function lastReply(page: Page): Locator {
  return page.locator(LAST_REPLY);
}

/** The last reply's text part. */
export function replyTextPart(page: Page): Locator {
  return page.locator(REPLY_FIELDS.text.selector);
}

/** Waits until the last reply has `status`. */
export async function waitForReplyStatus(page: Page, status: ReplyStatus, timeoutMs = 15_000): Promise<void> {
  await page.locator(`${LAST_REPLY}[data-status="${status}"]`).waitFor({ state: 'visible', timeout: timeoutMs });
}

/** The last reply's text as shown (its text part's `textContent`; `''` when it has none). */
export async function shownReplyText(page: Page): Promise<string> {
  const part = replyTextPart(page);
  return (await part.count()) === 0 ? '' : ((await part.textContent()) ?? '');
}

/** True when the element is inside the viewport (at least partly), as the user would see it. */
export async function isInViewport(locator: Locator): Promise<boolean> {
  return locator.evaluate(
    (element) =>
      new Promise<boolean>((resolve) => {
        const observer = new IntersectionObserver((entries) => {
          observer.disconnect();
          resolve(entries[0]!.isIntersecting);
        });
        observer.observe(element);
      }),
  );
}
