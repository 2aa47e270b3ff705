// Debian's Chromium (`apt-get install chromium`; CHROMIUM_PATH overrides /usr/bin/chromium), as both
// the end-to-end tests and the core's real-browser tests (vitest.browser.config.ts) start it.

/** The Chromium binary: `CHROMIUM_PATH`, else Debian's. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Headless flags. They keep Chromium from reaching out to the network at start (these machines
 * have none but localhost), and let it run as root in a container.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
