// The runtime smoke test's checks, shared by deno-smoke.js and bun-smoke.js. Web APIs only (fetch,
// streams, TextEncoder, AbortController): each runtime's script passes in its own HTTP server.
// It imports the BUILT package, as an application in that runtime would: run `pnpm build` first.
import { createParser, HTTPError, ServerStreamError, streamTokens } from '../../packages/sse-client/dist/index.js';

/**
 * @typedef {object} LocalServer
 * @property {string} url The server's base URL, e.g. `http://127.0.0.1:41234`.
 * @property {() => Promise<void>} close Stops the server and closes its connections.
 */

/**
 * Starts a local HTTP server on 127.0.0.1 (a free port) answering every request with `handler`.
 * @typedef {(handler: (request: Request) => Response | Promise<Response>) => Promise<LocalServer>} Serve
 */

/** Text with 2- and 4-byte UTF-8 characters, so that chunk boundaries can fall inside them. */
const TOKENS = ['Hé', 'llo, ', 'wörld ', '👋', '!'];
const EXPECTED_TEXT = TOKENS.join('');
/** How long the server may take to see an aborted request before the check fails (ms). */
const CANCEL_DEADLINE = 5_000;

const encoder = new TextEncoder();
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

/** The default wire format (`{"token"}` events ended by `[DONE]`), with CRLF line endings and a comment. */
function tokenStreamBody(tokens, end = 'data: [DONE]\r\n\r\n') {
  const events = tokens.map((token) => `data: ${JSON.stringify({ token })}\r\n\r\n`);
  return encoder.encode(`: ping\r\n\r\n${events.join('')}${end}`);
}

/**
 * Cuts `bytes` into pieces: inside each multi-byte character (after its first byte) and between
 * each CR and its LF, so the client must carry partial characters and line endings across chunks.
 */
function splitMidCharacter(bytes) {
  const cuts = [];
  for (let i = 0; i < bytes.length; i++) {
    const leadOfMultiByte = bytes[i] >= 0xc0;
    const crBeforeLf = bytes[i] === 0x0d && bytes[i + 1] === 0x0a;
    if (leadOfMultiByte || crBeforeLf) cuts.push(i + 1);
  }
  const pieces = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    pieces.push(bytes.subarray(start, cut));
    start = cut;
  }
  return pieces;
}

/**
 * A response body that sends `pieces` one per pull, a macrotask apart, so they leave in separate
 * writes (the text checked is the same however the network regroups them).
 */
function piecewiseBody(pieces) {
  let next = 0;
  return new ReadableStream({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (next < pieces.length) controller.enqueue(pieces[next++]);
      else controller.close();
    },
  });
}

/** The server's routes. `cancelled` settles when the `/endless` stream is cancelled by the runtime. */
function createRoutes() {
  let reportCancel;
  const cancelled = new Promise((resolve) => (reportCancel = resolve));
  /** @param {Request} request */
  const handler = async (request) => {
    const { pathname } = new URL(request.url);
    await request.text(); // the JSON body streamTokens POSTs
    if (pathname === '/tokens') {
      return new Response(piecewiseBody(splitMidCharacter(tokenStreamBody(TOKENS))), { headers: SSE_HEADERS });
    }
    if (pathname === '/fail') {
      return new Response(JSON.stringify({ error: 'model overloaded' }), {
        status: 500,
        headers: { 'content-type': 'application/json' },
      });
    }
    if (pathname === '/mid-stream-error') {
      const body = tokenStreamBody(['Partial ', 'answer'], 'data: {"error": "upstream model timed out"}\r\n\r\n');
      return new Response(piecewiseBody(splitMidCharacter(body)), { headers: SSE_HEADERS });
    }
    if (pathname === '/endless') {
      // One token, then nothing more until the client goes away: only a cancel ends this stream.
      return new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(tokenStreamBody(['first'], ''));
          },
          cancel(reason) {
            reportCancel(reason);
          },
        }),
        { headers: SSE_HEADERS },
      );
    }
    return new Response('not found', { status: 404 });
  };
  return { handler, cancelled };
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function describe(error) {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Awaits `promise`, or rejects once `ms` have passed. */
function within(ms, promise, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

async function expectRejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but the stream succeeded');
}

function checks(url, cancelled) {
  return [
    [
      'streamTokens streams a CRLF token stream split mid-character to the exact text',
      async () => {
        const tokens = [];
        const text = await streamTokens(`${url}/tokens`, {
          body: { prompt: 'hi' },
          onToken: (token) => tokens.push(token),
        }).text;
        assert(text === EXPECTED_TEXT, `text ${JSON.stringify(text)} !== ${JSON.stringify(EXPECTED_TEXT)}`);
        assert(tokens.join('|') === TOKENS.join('|'), `tokens ${JSON.stringify(tokens)}`);
      },
    ],
    [
      'a 500 response rejects with HTTPError carrying status and body',
      async () => {
        const error = await expectRejection(streamTokens(`${url}/fail`, { body: { prompt: 'hi' } }).text);
        assert(error instanceof HTTPError, `got ${describe(error)}`);
        assert(error.status === 500, `status ${error.status}`);
        assert(error.body?.error === 'model overloaded', `body ${JSON.stringify(error.body)}`);
      },
    ],
    [
      'a mid-stream error event rejects with ServerStreamError keeping the partial text',
      async () => {
        const error = await expectRejection(streamTokens(`${url}/mid-stream-error`, { body: { prompt: 'hi' } }).text);
        assert(error instanceof ServerStreamError, `got ${describe(error)}`);
        assert(error.text === 'Partial answer', `text ${JSON.stringify(error.text)}`);
        assert(error.payload === 'upstream model timed out', `payload ${JSON.stringify(error.payload)}`);
      },
    ],
    [
      'an abort mid-stream rejects with AbortError and the server sees its stream cancelled',
      async () => {
        const controller = new AbortController();
        const tokens = [];
        const stream = streamTokens(`${url}/endless`, { body: { prompt: 'hi' }, signal: controller.signal });
        const error = await expectRejection(
          (async () => {
            for await (const token of stream) {
              tokens.push(token);
              controller.abort();
            }
          })(),
        );
        assert(error instanceof Error && error.name === 'AbortError', `got ${describe(error)}`);
        assert(tokens.join('|') === 'first', `tokens ${JSON.stringify(tokens)}`);
        await within(CANCEL_DEADLINE, cancelled, "the server's stream cancel");
      },
    ],
    [
      'createParser parses a fixed input fed in pieces',
      async () => {
        const events = [];
        const retries = [];
        const comments = [];
        const parser = createParser({
          onEvent: (event) => events.push({ ...event }),
          onRetry: (ms) => retries.push(ms),
          onComment: (comment) => comments.push(comment),
        });
        for (const chunk of [': keep-alive\r', '\nevent: greeting\r\nda', 'ta: hel', 'lo\rdata:  world\n', '\nid: 7\nretry: 250\ndata\n\n']) {
          parser.feed(chunk);
        }
        const expected = [
          { type: 'greeting', data: 'hello\n world', lastEventId: '' },
          { type: 'message', data: '', lastEventId: '7' },
        ];
        assert(JSON.stringify(events) === JSON.stringify(expected), `events ${JSON.stringify(events)}`);
        assert(retries.join() === '250', `retries ${JSON.stringify(retries)}`);
        assert(comments.join() === 'keep-alive', `comments ${JSON.stringify(comments)}`);
      },
    ],
  ];
}

/**
 * Runs every check against a server started with `serve`, printing one line per check and a
 * final `N passed, M failed` line.
 * @param {string} runtime The runtime's name and version, printed first.
 * @param {Serve} serve
 * @returns {Promise<number>} The number of failed checks.
 */
export async function runSmokeTest(runtime, serve) {
  console.log(`# @tokenstream/sse-client (built) in ${runtime}`);
  const { handler, cancelled } = createRoutes();
  const server = await serve(handler);
  let passed = 0;
  let failed = 0;
  try {
    for (const [name, check] of checks(server.url, cancelled)) {
      try {
        await check();
        passed++;
        console.log(`ok - ${name}`);
      } catch (error) {
        failed++;
        console.log(`not ok - ${name}: ${describe(error)}`);
      }
    }
  } finally {
    await server.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}
