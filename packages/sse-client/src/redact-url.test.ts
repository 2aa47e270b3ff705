// How URLs appear in errors: origin and path, never userinfo, query or fragment.
import { describe, expect, it } from 'vitest';
import { redactUrl, redactUrlsInText } from './redact-url.js';

describe('redactUrl', () => {
  it.each([
    ['https://api.example.com/v1/chat', 'https://api.example.com/v1/chat'],
    ['https://me:pw@api.example.com/v1/chat', 'https://api.example.com/v1/chat'],
    ['https://me@api.example.com:8443/v1/chat?key=secret', 'https://api.example.com:8443/v1/chat?…'],
    ['https://api.example.com/v1/chat?key=secret#frag', 'https://api.example.com/v1/chat?…'],
    ['https://api.example.com/v1/chat#access_token=secret', 'https://api.example.com/v1/chat'],
    ['https://api.example.com/#a?b', 'https://api.example.com/'],
    ['http:me:pw@api.example.com/chat', 'http://api.example.com/chat'],
    ['http://[::1]:3000/chat?k=v', 'http://[::1]:3000/chat?…'],
    ['data:text/plain,hello', 'data:text/plain,hello'],
  ])('absolute: %s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it.each([
    ['/chat/stream', '/chat/stream'],
    ['/chat/stream?token=abc', '/chat/stream?…'],
    ['chat?token=abc#x', 'chat?…'],
    ['/chat#x?y', '/chat'],
    ['//me:pw@cdn.example.com/events?k=v', '//cdn.example.com/events?…'],
    ['?only=query', '?…'],
  ])('relative: %s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it.each([
    ['http://me:pw@[bad/chat?key=secret', 'http://[bad/chat?…'],
    ['https://me:pw@example.com:99999/x#f', 'https://example.com:99999/x'],
  ])('not a valid URL, cut as text: %s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it('is idempotent', () => {
    const once = redactUrl('https://me:pw@api.example.com/v1/chat?key=secret');
    expect(redactUrl(once)).toBe(once);
  });
});

describe('redactUrlsInText', () => {
  it('redacts every absolute URL in a message and keeps the punctuation around it', () => {
    expect(
      redactUrlsInText('error sending request for url (https://me:pw@a.example/x?k=v): see https://b.example/y?t=1.'),
    ).toBe('error sending request for url (https://a.example/x?…): see https://b.example/y?….');
  });

  it('leaves text without URLs alone', () => {
    expect(redactUrlsInText('fetch failed')).toBe('fetch failed');
  });
});
