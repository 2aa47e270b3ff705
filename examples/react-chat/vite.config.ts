import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type Plugin, type ProxyOptions } from 'vite';

/** Where the example server listens; `/chat` and `/v1` requests are proxied there. */
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

/** Adds a line after Vite's own URL banner, so `pnpm demo` says plainly where to go. */
function announceUrl(): Plugin {
  return {
    name: 'tokenstream-announce-url',
    configureServer(server) {
      const printUrls = server.printUrls.bind(server);
      server.printUrls = () => {
        printUrls();
        const url = server.resolvedUrls?.local[0] ?? 'http://localhost:5173/';
        server.config.logger.info(`\n  tokenstream demo: open ${url} (chat requests go to ${serverUrl})\n`);
      };
    },
  };
}

export default defineConfig({
  plugins: [react(), announceUrl()],
  resolve: {
    // Import the workspace packages from their TypeScript source: no library build needed.
    conditions: ['@tokenstream/source', ...defaultClientConditions],
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/chat': { target: serverUrl, configure: cutWhenUpstreamCuts },
      '/v1': { target: serverUrl, configure: cutWhenUpstreamCuts },
    },
  },
});
