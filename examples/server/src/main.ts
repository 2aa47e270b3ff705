// Starts the example chat server on 127.0.0.1, port `PORT` (default 8787), logging to the
// console, and closes it on SIGINT or SIGTERM. With `OPENAI_API_KEY` or `ANTHROPIC_API_KEY` set,
// it relays the chats to that provider (`providers.ts`); without, the built-in model answers.
import type { AddressInfo } from 'node:net';
import { providerFromEnv } from './providers.js';
import { createChatServer } from './server.js';

const host = '127.0.0.1';
const port = Number(process.env['PORT'] ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(process.env['PORT'])}`);
  process.exit(1);
}

const provider = providerFromEnv(process.env);
const server = createChatServer({ log: (message) => console.log(message), provider });

server.on('error', (error) => {
  console.error(`example server failed: ${error.message}`);
  process.exit(1);
});

server.listen(port, host, () => {
  const { port: actualPort } = server.address() as AddressInfo;
  console.log(`example server listening on http://${host}:${actualPort}`);
  // The model and the provider's name, never its key.
  console.log(provider === undefined ? 'model: the built-in demo model (no API key set)' : `model: ${provider.model}, relayed to ${provider.name}`);
});

function shutdown(signal: NodeJS.Signals): void {
  console.log(`${signal}: closing the example server`);
  server.close(() => process.exit(0));
  // Streams in flight would keep close() waiting: end them.
  server.closeAllConnections();
}

process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
