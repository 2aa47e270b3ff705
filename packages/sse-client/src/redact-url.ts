/**
 * URLs as errors show them: without the parts that often hold secrets. Error messages end up in
 * logs, bug reports and, in many apps, on screen; an API key in `?key=…` or a password in
 * `user:password@` must not travel with them.
 *
 * @module
 */

/**
 * `url` without its userinfo (`user:password@`), query and fragment: an absolute URL keeps its
 * origin and path (`https://api.example.com/v1/chat`), a relative one its path (`/chat/stream`).
 * A removed query shows as `?…`; a removed fragment leaves no mark (it is never sent to a server).
 * Works on strings that are not valid URLs too (they are cut as text).
 *
 * @internal
 * @example
 * ```ts
 * redactUrl('https://me:pw@api.example.com/v1/chat?key=secret#top'); // 'https://api.example.com/v1/chat?…'
 * redactUrl('/chat/stream?token=abc'); // '/chat/stream?…'
 * ```
 */
export function redactUrl(url: string): string {
  let shown: string;
  let query: boolean;
  try {
    const { protocol, host, pathname, search, href } = new URL(url);
    shown = protocol + (href.startsWith(`${protocol}//`) ? `//${host}` : '') + pathname;
    query = search !== '';
  } catch {
    // Not a valid URL (a relative one, or a typo): cut as text. The userinfo is whatever comes
    // before the last `@` of the authority (`scheme://authority/…` or `//authority/…`).
    const cut = url.search(/[?#]|$/);
    shown = url.slice(0, cut).replace(/^((?:[a-z][a-z\d+.-]*:)?[/\\]{2})[^/\\]*@/i, '$1');
    query = url[cut] === '?';
  }
  // A removed query shows as `?…`, so that a reader knows there was one.
  return query ? `${shown}?…` : shown;
}

/**
 * `text` with every absolute URL in it (`scheme://…`, up to whitespace or a quote) passed through
 * {@link redactUrl}: for messages written by others (a platform's `fetch` error may quote the URL).
 *
 * @internal
 */
export function redactUrlsInText(text: string): string {
  // Up to whitespace or a quote, and not ending with punctuation that ends a sentence or a parenthesis.
  return text.replace(/\b[a-z][a-z\d+.-]*:\/\/[^\s"'<>`]*[^\s"'<>`).,;:!]/gi, (url) => redactUrl(url));
}
