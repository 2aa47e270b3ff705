// Debian's Chromium (`apt-get install chromium`; CHROMIUM_PATH overrides /usr/bin/chromium),
// driven by playwright-core, headless. The flags keep it from reaching out to the network at
// start (this machine has none but localhost) and let it run as root in a container.
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { REPO_ROOT } from './processes';

/** Launches headless Chromium with a fresh temporary profile (playwright's `launch()`). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** A browser context (its own profile state) with the viewport the screenshots are taken at. */
export function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 900, height: 900 } });
}

/** Where screenshots go (gitignored). */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'e2e', 'artifacts');

/**
 * Saves a full-page screenshot of `page` as `e2e/artifacts/<name>.png` and returns its path
 * relative to the repository root.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return relative(REPO_ROOT, path);
}
