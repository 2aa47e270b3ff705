import { fileURLToPath } from 'node:url';
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
          exclude: ['src/**/*.memory.test.ts'],
        },
      },
      {
        // Tests that measure retained heap: they call `gc()` (exposed only here), in forked
        // processes of their own so that no other test's garbage blurs the figures.
        resolve: { conditions },
        ssr: { resolve: { conditions } },
        test: {
          name: 'sse-client-memory',
          root: './packages/sse-client',
          environment: 'node',
          include: ['src/**/*.memory.test.ts'],
          pool: 'forks',
          execArgv: ['--expose-gc'],
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
        // The same hook tests against React 18 (the peer range is ^18.2 || ^19), with the copies of
        // React and Testing Library that the tests/react-18 package installs.
        resolve: {
          conditions,
          alias: ['react', 'react-dom', '@testing-library/react'].map((name) => ({
            find: new RegExp(`^${name}(/.*)?$`),
            replacement: `${fileURLToPath(new URL(`./tests/react-18/node_modules/${name}`, import.meta.url))}$1`,
          })),
        },
        ssr: { resolve: { conditions } },
        test: {
          name: 'react-18',
          root: './packages/react',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
        },
      },
      {
        resolve: { conditions },
        ssr: { resolve: { conditions } },
        test: {
          name: 'example-react-chat',
          root: './examples/react-chat',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
        },
      },
      {
        resolve: { conditions },
        ssr: { resolve: { conditions } },
        test: {
          name: 'example-vanilla',
          root: './examples/vanilla',
          environment: 'jsdom',
          include: ['src/**/*.test.ts'],
        },
      },
      {
        // The FastAPI example is Python, not a workspace package: its test finds the client by alias.
        resolve: {
          conditions,
          alias: { '@tokenstream/sse-client': fileURLToPath(new URL('./packages/sse-client/src/index.ts', import.meta.url)) },
        },
        ssr: { resolve: { conditions } },
        test: {
          name: 'example-fastapi',
          root: './examples/fastapi',
          environment: 'node',
          include: ['*.node.test.ts'],
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
