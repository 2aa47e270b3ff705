// The runtime smoke test in Bun: the built package against a Bun.serve server on 127.0.0.1.
// Run by run.mjs as `bun --no-install bun-smoke.js`.
/* global Bun */
import { runSmokeTest } from './smoke-checks.js';

/** @type {import('./smoke-checks.js').Serve} */
async function serve(handler) {
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handler });
  return {
    url: `http://${server.hostname}:${server.port}`,
    close: () => server.stop(true),
  };
}

const failed = await runSmokeTest(`Bun ${Bun.version}`, serve);
process.exit(failed === 0 ? 0 : 1);
