// Starts the example chat server on 127.0.0.1, port `PORT` (default 8787), logging to the
// console, and closes it on SIGINT or SIGTERM.
import type { AddressInfo } from 'node:net';
import { createChatServer } from './server.js';

const host = '127.0.0.1';
const port = Number(process.env['PORT'] ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(process.env['PORT'])}`);
  process.exit(1);
}

const server = createChatServer({ log: (message) => console.log(message) });

server.on('error', (error) => {
  console.error(`example server failed: ${error.message}`);
  process.exit(1);
});

server.listen(port, host, () => {
  const { port: actualPort } = server.address() as AddressInfo;
  console.log(`example server listening on http://${host}:${actualPort}`);
});

function shutdown(signal: NodeJS.Signals): void {
  console.log(`${signal}: closing the example server`);
  server.close(() => process.exit(0));
  // Streams in flight would keep close() waiting: end them.
  server.closeAllConnections();
}

process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
