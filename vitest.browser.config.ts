import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/helpers/chromium';

// The core's tests again, in a real Chromium: the library runs in browsers, not only in Node.
// Uses the system's Chromium (Debian: `apt-get install chromium`); set CHROMIUM_PATH to use another.
// Tests that need Node itself end in `.node.test.ts` (and heap measurements in `.memory.test.ts`)
// and are left out here.
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
      provider: playwright({ launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } }),
      instances: [{ browser: 'chromium' }],
      screenshotFailures: false,
    },
  },
});
