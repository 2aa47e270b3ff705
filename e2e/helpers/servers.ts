// The pages under test, served the way their READMEs say: the React chat as `pnpm demo` serves it
// (scripts/demo.mjs: the example server, then Vite), and the vanilla page with the example server
// and its own Vite dev server. Ports are chosen by the system (0), so runs never collide.
import { join } from 'node:path';
import { binOf, REPO_ROOT, startNode, type RunningProcess } from './processes';

/** A page being served, and the processes that serve it. */
export interface ServedPage {
  /** The URL to open. */
  readonly url: string;
  /** The process whose output has the example server's log lines. */
  readonly server: RunningProcess;
  /** Stops everything that serves the page. */
  stop(): Promise<void>;
}

/**
 * The example server relays to a real provider when one of these is set: the tests want its
 * built-in model (deterministic, no key, no network).
 */
const BUILT_IN_MODEL_ENV = { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, ANTHROPIC_API_KEY: undefined, MODEL: undefined };

/** How long a server may take to start and print its URL (Vite's first start optimises dependencies; a loaded machine is slow). */
const START_TIMEOUT_MS = 60_000;

/**
 * Starts the demo as `pnpm demo` does (`node scripts/demo.mjs`, which `pnpm demo` runs), with
 * `PORT=0` and `APP_PORT=0`, and resolves once it prints the URL to open. Its output holds the
 * example server's log lines, prefixed `[server]`.
 */
export async function startDemo(): Promise<ServedPage> {
  const demo = startNode('demo', REPO_ROOT, [join(REPO_ROOT, 'scripts', 'demo.mjs')], { ...BUILT_IN_MODEL_ENV, PORT: '0', APP_PORT: '0' });
  try {
    const { match } = await demo.waitForLine(/demo ready: open (\S+)/, { timeoutMs: START_TIMEOUT_MS });
    return { url: match[1]!, server: demo, stop: () => demo.stop() };
  } catch (error) {
    await demo.stop();
    throw error;
  }
}

/**
 * Starts the example server (`src/main.ts` with tsx, `PORT=0`) and the vanilla example's Vite dev
 * server (`--port 0`, `SERVER_URL` pointing at the example server), as the vanilla README's two
 * commands do, and resolves with the page's URL once both are up.
 */
export async function startVanillaPage(): Promise<ServedPage> {
  const serverDir = join(REPO_ROOT, 'examples', 'server');
  const pageDir = join(REPO_ROOT, 'examples', 'vanilla');
  const server = startNode('server', serverDir, [binOf(serverDir, 'tsx'), 'src/main.ts'], { ...BUILT_IN_MODEL_ENV, PORT: '0' });
  let page: RunningProcess | undefined;
  const stop = async (): Promise<void> => {
    await Promise.all([page?.stop(), server.stop()]);
  };
  try {
    const listening = await server.waitForLine(/listening on (http:\/\/\S+)/, { timeoutMs: START_TIMEOUT_MS });
    page = startNode('vanilla', pageDir, [binOf(pageDir, 'vite'), '--port', '0'], { SERVER_URL: listening.match[1]! });
    const ready = await page.waitForLine(/Local:\s+(http:\/\/\S+)/, { timeoutMs: START_TIMEOUT_MS });
    return { url: ready.match[1]!, server, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
