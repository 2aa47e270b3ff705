import { defineConfig } from 'vitest/config';

// Tests run against the packages' TypeScript source through the `@tokenstream/source` export
// condition: nothing has to be built first. Node-environment projects need it under `ssr`.
const conditions = ['@tokenstream/source'];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { conditions },
        ssr: { resolve: { conditions } },
        test: {
          name: 'sse-client',
          root: './packages/sse-client',
          environment: 'node',
          include: ['src/**/*.test.ts'],
        },
      },
      {
        resolve: { conditions },
        ssr: { resolve: { conditions } },
        test: {
          name: 'react',
          root: './packages/react',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
        },
      },
      {
        resolve: { conditions },
        ssr: { resolve: { conditions } },
        test: {
          name: 'example-server',
          root: './examples/server',
          environment: 'node',
          include: ['src/**/*.test.ts'],
        },
      },
    ],
  },
});
