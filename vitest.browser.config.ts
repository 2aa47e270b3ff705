import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

// The core's tests again, in a real Chromium: the library runs in browsers, not only in Node.
// Uses the system's Chromium (Debian: `apt-get install chromium`); set CHROMIUM_PATH to use another.
// Tests that need Node itself end in `.node.test.ts` (and heap measurements in `.memory.test.ts`)
// and are left out here.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const args = [
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

export default defineConfig({
  resolve: { conditions: ['@tokenstream/source'] },
  // Pre-bundled up front: discovering them mid-run makes Vite reload a test file.
  // (`react` is only ever mocked away, by the test proving the core never needs it.)
  optimizeDeps: { include: ['fast-check', 'react'] },
  test: {
    name: 'sse-client-browser',
    root: './packages/sse-client',
    include: ['src/**/*.test.ts'],
    // Heap measurements need Node's gc() and process.memoryUsage(): they run in the Node project only.
    exclude: ['src/**/*.node.test.ts', 'src/**/*.memory.test.ts'],
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({ launchOptions: { executablePath, args } }),
      instances: [{ browser: 'chromium' }],
      screenshotFailures: false,
    },
  },
});
