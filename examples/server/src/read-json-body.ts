import type { IncomingMessage } from 'node:http';

/** The outcome of {@link readJsonBody}: the parsed value, or why the body was refused. */
export type JsonBodyResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: 'too-large' | 'invalid-utf8' | 'invalid-json' | 'aborted' };

/**
 * Reads a request body of at most `maxBytes` bytes and parses it as JSON (whatever its
 * `Content-Type`). Stops buffering as soon as the limit is passed (the rest is drained and
 * discarded), so an oversized body never sits in memory.
 */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      req.resume();
      resolve({ ok: false, reason: 'too-large' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.byteLength;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        resolve({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    // The client went away before the body ended (after `end`, these change nothing: settled).
    req.on('error', () => resolve({ ok: false, reason: 'aborted' }));
    req.on('close', () => resolve({ ok: false, reason: 'aborted' }));
    req.on('end', () => {
      if (tooLarge) return;
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
      } catch {
        resolve({ ok: false, reason: 'invalid-utf8' });
        return;
      }
      try {
        resolve({ ok: true, value: JSON.parse(text) as unknown });
      } catch {
        resolve({ ok: false, reason: 'invalid-json' });
      }
    });
  });
}
