/**
 * The checks made once, before the first attempt, on what no retry could fix: a URL that cannot be
 * parsed, a relative URL with nothing to resolve it against, credentials in the URL, headers a
 * request cannot carry, a method or options `fetch` refuses. Each fails at once with a `TypeError`
 * (what `fetch` itself throws for such input) whose message says what is wrong and where (and,
 * for a relative URL or credentials, how to fix it).
 *
 * @module
 */

/** Stands in for the URL where only the syntax matters (a relative URL given to a custom `fetch`, the options check). */
const PLACEHOLDER_BASE = 'http://localhost/';

function parseUrl(url: string, base: string | undefined): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

/**
 * Checks the URL. With the global `fetch`, it must resolve to an absolute URL (against `location`
 * where there is one: browsers, workers, Deno with `--location`) without credentials, since the
 * platform's `fetch` refuses both. With a custom `fetch`, a relative URL is passed on as is (it may
 * resolve it) and credentials are its business, but the URL must still parse.
 *
 * @internal
 * @param shown - `url` as errors show it (`redactUrl`'s): the one quoted in the error.
 * @throws {TypeError} saying what is wrong with the URL. No `cause`: the platform's message may quote the URL.
 */
export function checkUrl(url: string, shown: string, customFetch: boolean): void {
  let base: string | undefined;
  try {
    base = (globalThis as { location?: { href?: string } }).location?.href;
  } catch {
    // Deno without --location throws when `location` is read.
  }
  const parsed = parseUrl(url, base);
  const problem = parsed
    ? customFetch || (parsed.username === '' && parsed.password === '')
      ? ''
      : 'credentials belong in an Authorization header'
    : base === undefined && parseUrl(url, PLACEHOLDER_BASE)
      ? customFetch
        ? ''
        : 'relative, with no base URL (no location); pass an absolute URL or a custom fetch'
      : 'unparsable';
  if (problem) throw new TypeError(`Invalid URL "${shown}": ${problem}`);
}

/**
 * Builds the headers, and checks the method and the other `fetch` options by building a `Request`
 * from them (on a placeholder URL; where `Request` exists).
 *
 * @internal
 * @throws {TypeError} for an invalid header, named but never quoted (its value may be a secret, so
 *   no `cause` either); for a GET or HEAD with a body; for options `Request` refuses (a method that
 *   is not a token or is forbidden, such as `CONNECT`; a bad `mode`, `credentials`, `cache`, …),
 *   with the platform's error as `cause`.
 */
export function checkRequest(
  method: string,
  headersInit: HeadersInit | undefined,
  init: RequestInit,
  hasBody: boolean,
  where: string,
): Headers {
  let headers: Headers;
  try {
    headers = new Headers(headersInit);
  } catch {
    // Name the header that is wrong (each pair tried alone), never its value. Only an array or a
    // record gets here: `undefined` and a `Headers` cannot fail.
    const pairs = Array.isArray(headersInit) ? headersInit : Object.entries(headersInit as Record<string, string>);
    const bad = pairs.find((pair) => {
      try {
        new Headers([pair]);
      } catch {
        return true;
      }
      return false;
    });
    throw new TypeError(`Invalid header${bad ? ` "${bad[0]}"` : 's'} (a line break or char past U+00FF): ${where}`);
  }
  if (hasBody && (method === 'GET' || method === 'HEAD')) {
    throw new TypeError(`A ${method} request cannot have a body: ${where}`);
  }
  if (typeof Request === 'function') {
    try {
      new Request(PLACEHOLDER_BASE, { ...init, headers, method });
    } catch (cause) {
      throw new TypeError(`Invalid request (${(cause as Error).message}): ${where}`, {
        cause,
      });
    }
  }
  return headers;
}
