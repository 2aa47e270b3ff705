import { defineConfig } from 'vitest/config';

// End-to-end tests (`pnpm test:e2e`): Debian's Chromium, driven by playwright-core, against the
// demo as `pnpm demo` serves it and against the vanilla page, over real sockets. Uses the system's
// Chromium (Debian: `apt-get install chromium`); set CHROMIUM_PATH to use another. Screenshots of
// each finished state go to e2e/artifacts/ (gitignored). Not part of `pnpm test`: vitest.config.ts
// lists its projects by root, and none is e2e/.
export default defineConfig({
  resolve: { conditions: ['@tokenstream/source'] },
  ssr: { resolve: { conditions: ['@tokenstream/source'] } },
  test: {
    name: 'e2e',
    root: './e2e',
    environment: 'node',
    include: ['**/*.e2e.test.ts'],
    // Each file starts its own servers and browser: one file at a time on a small machine keeps
    // the streams' timing close to what a user sees.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
