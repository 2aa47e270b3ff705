import { defaultClientConditions, defineConfig } from 'vite';

/** Where the example server listens; `/chat` requests are proxied there. */
const serverUrl = process.env['SERVER_URL'] ?? 'http://127.0.0.1:8787';

export default defineConfig({
  resolve: {
    // Import the workspace packages from their TypeScript source: no library build needed.
    conditions: ['@tokenstream/source', ...defaultClientConditions],
  },
  server: {
    // 5174, so that it can run beside the React example (5173).
    port: 5174,
    strictPort: true,
    proxy: { '/chat': serverUrl },
  },
});
