// The chat store in Node, where a relative URL has no base to resolve against.
import { describe, expect, it } from 'vitest';
import { createChatStore } from './chat-store.js';
import { streamParts } from './stream-parts.js';

describe('createChatStore in Node', () => {
  it('reports a URL the global fetch cannot use as the reply’s error, as the request layer words it', async () => {
    const store = createChatStore({ url: '/relative' }); // no base URL in Node, no custom fetch
    await store.send('x');
    expect(store.getSnapshot().status).toBe('error');
    expect(store.getSnapshot().error).toBeInstanceOf(TypeError);
    const direct = await streamParts('/relative').result.then(
      () => new Error('resolved'),
      (error: unknown) => error as Error,
    );
    expect(store.getSnapshot().error?.message).toBe(direct.message);
    expect(direct.message).toMatch(/relative/);
  });

});
