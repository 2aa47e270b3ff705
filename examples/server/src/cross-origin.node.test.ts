import { streamTokens } from '@tokenstream/sse-client';
import { describe, expect, it } from 'vitest';
import { replyText } from './model.js';
import { recordLog, startChatServer } from './test-server.js';

// Any web page can make a browser send a "simple" cross-origin POST (text/plain, form-encoded or
// multipart body) without asking first. Only a JSON body, which needs a CORS preflight, may start
// a generation that the server's owner pays for.

const PROMPT_JSON = JSON.stringify({ prompt: 'Spend my money' });

describe('a request body that is not application/json', () => {
  const refused: { name: string; contentType: string | undefined; body: BodyInit }[] = [
    { name: 'text/plain (a simple cross-origin fetch)', contentType: 'text/plain;charset=UTF-8', body: PROMPT_JSON },
    { name: 'form-encoded (an HTML form)', contentType: 'application/x-www-form-urlencoded', body: 'prompt=Spend+my+money' },
    { name: 'multipart/form-data (an HTML form)', contentType: undefined, body: formData() },
    { name: 'without Content-Type', contentType: undefined, body: new Blob([PROMPT_JSON]) },
    { name: 'a JSON-like media type', contentType: 'application/json-patch+json', body: PROMPT_JSON },
  ];

  for (const { name, contentType, body } of refused) {
    it(`is refused with a 415 and a JSON error, and starts no generation: ${name}`, async () => {
      const { lines, log } = recordLog();
      const { url } = await startChatServer({ log });
      const response = await fetch(url, {
        method: 'POST',
        body,
        ...(contentType === undefined ? {} : { headers: { 'content-type': contentType } }),
      });

      expect(response.status).toBe(415);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.json()).toEqual({ error: 'Content-Type must be application/json' });
      expect(lines.some((line) => line.startsWith('streaming'))).toBe(false);
      expect(lines).toContainEqual(expect.stringMatching(/^415: /));
    });
  }

  it('is accepted with parameters and in any letter case: application/json; charset=utf-8', async () => {
    const { url } = await startChatServer();
    const prompt = 'Hello';
    const text = await streamTokens(url, {
      body: JSON.stringify({ prompt }),
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
    }).text;

    expect(text).toBe(replyText(prompt));
  });
});

describe('allowedOrigins (cross-origin callers)', () => {
  const origin = 'https://chat.example.com';

  it('answers the CORS preflight of an allowed origin with 204 and the CORS headers', async () => {
    const { url } = await startChatServer({ allowedOrigins: [origin] });
    const response = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('answers the preflight of any other origin with a 405 without CORS headers (the browser then sends nothing)', async () => {
    const { url } = await startChatServer({ allowedOrigins: [origin] });
    const response = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });

    expect(response.status).toBe(405);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('lets an allowed origin read the stream, and another origin not (no Access-Control-Allow-Origin)', async () => {
    const { url } = await startChatServer({ allowedOrigins: [origin] });
    const post = (from: string) =>
      fetch(url, { method: 'POST', headers: { origin: from, 'content-type': 'application/json' }, body: PROMPT_JSON });

    const allowed = await post(origin);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    expect(allowed.headers.get('vary')).toBe('Origin');
    await allowed.body?.cancel();

    const other = await post('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    await other.body?.cancel();
  });

  it('lets an allowed origin read a refusal too (415 with Access-Control-Allow-Origin)', async () => {
    const { url } = await startChatServer({ allowedOrigins: [origin] });
    const response = await fetch(url, { method: 'POST', headers: { origin, 'content-type': 'text/plain' }, body: PROMPT_JSON });

    expect(response.status).toBe(415);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('sends no CORS headers by default, not even for a preflight', async () => {
    const { url } = await startChatServer();
    const response = await fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });

    expect(response.status).toBe(405);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

function formData(): FormData {
  const form = new FormData();
  form.set('prompt', 'Spend my money');
  return form;
}
