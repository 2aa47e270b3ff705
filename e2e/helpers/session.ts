// One browser session per test file: the servers started and a page opened in Chromium before
// the file's tests, both stopped after them, with the list of screenshots printed at the end.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, newContext } from './browser';
import { openChat } from './chat-page';
import type { ServedPage } from './servers';

/** The server's log line when a client goes away before its reply ended (examples/server/src/stream-reply.ts). */
export const DISCONNECT_LOG = /client disconnected after (\d+) of (\d+) tokens; stopped generating/;

/** A file's session. `served` and `page` are set once the file's `beforeAll` hooks have run. */
export interface BrowserSession {
  served: ServedPage;
  page: Page;
  /** Paths of the screenshots taken, printed after the file's tests. */
  readonly screenshots: string[];
}

/**
 * Registers the hooks that start the servers (`start`) and Chromium together, then open the page
 * (`open`), before the file's tests, and stop both after them. Call it at the top of a test file.
 */
export function useBrowserSession(
  start: () => Promise<ServedPage>,
  open: (browser: Browser, served: ServedPage) => Promise<Page>,
): BrowserSession {
  const session = { screenshots: [] as string[] } as BrowserSession;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [session.served, browser] = await Promise.all([start(), launchChromium()]);
    session.page = await open(browser, session.served);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), session.served?.stop()]);
    const { screenshots } = session;
    if (screenshots.length > 0) console.log(`Screenshots:\n${screenshots.map((path) => `  ${path}`).join('\n')}`);
  });
  return session;
}

/** Opens the React chat app of a served demo. */
export const openDemoChat = async (browser: Browser, demo: ServedPage): Promise<Page> =>
  openChat(await newContext(browser), demo.url);
