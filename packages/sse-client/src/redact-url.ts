/**
 * URLs as errors show them: without the parts that often hold secrets. Error messages end up in
 * logs, bug reports and, in many apps, on screen; an API key in `?key=…` or a password in
 * `user:password@` must not travel with them.
 *
 * @module
 */

/** What a removed query leaves behind, so that a reader knows there was one. */
const REMOVED_QUERY = '?…';

/** Removes `user:password@` from a string URL's authority (`scheme://authority/…` or `//authority/…`). */
function withoutUserinfo(url: string): string {
  const match = /^([a-z][a-z\d+.-]*:)?[/\\]{2}/i.exec(url);
  if (match === null) return url;
  const start = match[0].length;
  const slash = url.slice(start).search(/[/\\]/);
  const end = slash === -1 ? url.length : start + slash;
  const at = url.lastIndexOf('@', end - 1);
  return at < start ? url : url.slice(0, start) + url.slice(at + 1);
}

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
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed !== undefined) {
    const authority = parsed.href.startsWith(`${parsed.protocol}//`) ? `//${parsed.host}` : '';
    return `${parsed.protocol}${authority}${parsed.pathname}${parsed.search === '' ? '' : REMOVED_QUERY}`;
  }
  const cut = url.search(/[?#]/);
  if (cut === -1) return withoutUserinfo(url);
  return withoutUserinfo(url.slice(0, cut)) + (url[cut] === '?' ? REMOVED_QUERY : '');
}

/**
 * `text` with every absolute URL in it (`scheme://…`, up to whitespace or a quote) passed through
 * {@link redactUrl}: for messages written by others (a platform's `fetch` error may quote the URL).
 *
 * @internal
 */
export function redactUrlsInText(text: string): string {
  return text.replace(/\b[a-z][a-z\d+.-]*:\/\/[^\s"'<>`]+/gi, (match) => {
    // Punctuation that ends a sentence or a parenthesis is not part of the URL.
    const trailing = /[).,;:!]+$/.exec(match)?.[0] ?? '';
    return redactUrl(match.slice(0, match.length - trailing.length)) + trailing;
  });
}
