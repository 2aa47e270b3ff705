import { defaultClientConditions, defineConfig, type ProxyOptions } from 'vite';

/** Where the example server listens; `/chat` requests are proxied there. */
const serverUrl = process.env['SERVER_URL'] ?? 'http://127.0.0.1:8787';

/**
 * Vite's proxy pipes the example server's response to the browser, but when the server cuts the
 * connection mid-reply (the demo's "drop" failure mode, a crash) it neither ends nor destroys the
 * browser's response, and the browser would wait for more until its idle timeout. Cut it too.
 */
const cutWhenUpstreamCuts: ProxyOptions['configure'] = (proxy) => {
  proxy.on('proxyRes', (proxyRes, _request, response) => {
    proxyRes.on('close', () => {
      if (!proxyRes.complete) response.destroy();
    });
  });
};

export default defineConfig({
  resolve: {
    // Import the workspace packages from their TypeScript source: no library build needed.
    conditions: ['@tokenstream/source', ...defaultClientConditions],
  },
  server: {
    // 5174, so that it can run beside the React example (5173).
    port: 5174,
    strictPort: true,
    proxy: { '/chat': { target: serverUrl, configure: cutWhenUpstreamCuts } },
  },
});
