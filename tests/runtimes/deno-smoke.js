// The runtime smoke test in Deno: the built package against a Deno.serve server on 127.0.0.1.
// Run by run.mjs as `deno run --allow-net=127.0.0.1 --no-remote --no-npm --no-config --no-lock deno-smoke.js`.
/* global Deno */
import { runSmokeTest } from './smoke-checks.js';

/** @type {import('./smoke-checks.js').Serve} */
async function serve(handler) {
  const { promise: listening, resolve } = Promise.withResolvers();
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: resolve }, handler);
  const { hostname, port } = await listening;
  return {
    url: `http://${hostname}:${port}`,
    close: () => server.shutdown(),
  };
}

const failed = await runSmokeTest(`Deno ${Deno.version.deno}`, serve);
Deno.exit(failed === 0 ? 0 : 1);
