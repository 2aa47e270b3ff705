// The conversation as messages: initial messages, ids, setMessages, reset, regenerate, and the
// identity of messages that did not change.
import { describe, expect, it, vi } from 'vitest';
import { createChatStore, messageText, type ChatMessage } from './index.js';
import { lastMessage, scriptedServer } from './test/chat-harness.js';
import { createFakeFetch, sseResponse, tokenEvents } from './testing/index.js';

const user = (id: string, text: string): ChatMessage => ({ id, role: 'user', parts: [{ type: 'text', text }] });
const assistant = (id: string, text: string): ChatMessage => ({ id, role: 'assistant', parts: [{ type: 'text', text }], status: 'done' });
const replies = (...texts: string[]) => {
  let i = 0;
  return createFakeFetch(() => sseResponse(tokenEvents([texts[i++ % texts.length]!])));
};

describe('initialMessages and generateId', () => {
  const history = [{ id: 's', role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] }, user('u1', 'Hi'), assistant('a1', 'Hello')] as const;

  it('starts with initialMessages; the status is the last reply’s', () => {
    const store = createChatStore({ url: '/c', initialMessages: history });
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'Hello', messages: history });
    expect(store.getSnapshot().messages).toBe(history);
  });

  it('is idle when the last message is not a reply with a status', () => {
    expect(createChatStore({ url: '/c', initialMessages: [user('u1', 'Hi')] }).getSnapshot().status).toBe('idle');
    const loaded: ChatMessage = { id: 'a', role: 'assistant', parts: [{ type: 'text', text: 'from the server' }] };
    expect(createChatStore({ url: '/c', initialMessages: [loaded] }).getSnapshot()).toMatchObject({ status: 'idle', text: '' });
  });

  it('sends the history with the new message, and continues it', async () => {
    const fetch = replies('Sure.');
    const store = createChatStore({ url: '/c', fetch, initialMessages: history, body: ({ messages }) => ({ messages: messages.map(messageText) }) });
    await store.send('More?');
    expect(fetch.requests[0]?.body).toEqual({ messages: ['Be brief.', 'Hi', 'Hello', 'More?'] });
    expect(store.getSnapshot().messages.map(messageText)).toEqual(['Be brief.', 'Hi', 'Hello', 'More?', 'Sure.']);
  });

  it('gives new messages ids m1, m2… by default, or generateId’s', async () => {
    const store = createChatStore({ url: '/c', fetch: replies('a') });
    await store.send('x');
    await store.send('y');
    expect(store.getSnapshot().messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4']);

    let n = 0;
    const custom = createChatStore({ url: '/c', fetch: replies('a'), generateId: () => `msg-${(n += 10)}` });
    await custom.send('x');
    expect(custom.getSnapshot().messages.map((m) => m.id)).toEqual(['msg-10', 'msg-20']);
  });
});

describe('setMessages and reset', () => {
  it('setMessages replaces the messages, or maps them, and notifies at once', () => {
    const store = createChatStore({ url: '/c', initialMessages: [user('u1', 'Hi')] });
    const listener = vi.fn();
    store.subscribe(listener);
    store.setMessages((messages) => [...messages, assistant('a1', 'Hello')]);
    expect(listener).toHaveBeenCalledOnce();
    expect(store.getSnapshot()).toMatchObject({ status: 'done', text: 'Hello' });
    store.setMessages([]);
    expect(store.getSnapshot()).toMatchObject({ status: 'idle', messages: [] });
  });

  it('setMessages aborts the reply in flight first: the function sees it aborted, and it ends there', async () => {
    const server = scriptedServer();
    const store = createChatStore({ url: '/c', fetch: server.fetch });
    const done = store.send('x');
    const response = await server.response();
    response.write(tokenEvents(['Part'], 'cut'));
    await response.whenDrained();
    const seen = vi.fn((messages: readonly ChatMessage[]) => messages);
    store.setMessages(seen);
    expect(seen.mock.calls[0]?.[0][1]).toMatchObject({ status: 'aborted', parts: [{ type: 'text', text: 'Part' }] });
    await done;
    expect(response.cancelled).toBe(true);
    expect(store.getSnapshot().status).toBe('aborted');
  });

  it('a function that throws: the error reaches the caller, the reply it aborted stays aborted, and the listeners are told', async () => {
    const server = scriptedServer();
    const store = createChatStore({ url: '/c', fetch: server.fetch, batch: false });
    const seen: string[] = [];
    store.subscribe(() => seen.push(store.getSnapshot().status));
    const done = store.send('x');
    const response = await server.response();
    response.write(tokenEvents(['Part'], 'cut'));
    await response.whenDrained();
    const bug = new Error('setMessages bug');
    expect(() =>
      store.setMessages(() => {
        throw bug;
      }),
    ).toThrow(bug);
    await done;
    expect(store.getSnapshot()).toMatchObject({ status: 'aborted', text: 'Part' });
    expect(seen.at(-1)).toBe('aborted');
  });

  it('reset clears to [] and idle (not back to initialMessages)', async () => {
    const store = createChatStore({ url: '/c', fetch: replies('a'), initialMessages: [user('u1', 'Hi')] });
    await store.send('x');
    store.reset();
    expect(store.getSnapshot()).toEqual({ status: 'idle', text: '', error: undefined, finish: undefined, messages: [] });
  });
});

describe('regenerate', () => {
  it('re-sends the last user message; the new reply replaces the old one', async () => {
    const fetch = replies('First answer', 'Second answer');
    const store = createChatStore({ url: '/c', fetch, body: ({ prompt, messages }) => ({ prompt, messages: messages.map(messageText) }) });
    await store.send('Question');
    const [question] = store.getSnapshot().messages;
    await store.regenerate();
    expect(fetch.requests[1]?.body).toEqual({ prompt: 'Question', messages: ['Question'] });
    expect(store.getSnapshot().messages.map(messageText)).toEqual(['Question', 'Second answer']);
    expect(store.getSnapshot().messages[0]).toBe(question);
    expect(store.getSnapshot().messages.map((m) => m.id)).toEqual(['m1', 'm3']);
    expect(store.getSnapshot().status).toBe('done');
  });

  it('replaces every reply after the last user message, and keeps what came before', async () => {
    const fetch = replies('again');
    const before = [user('u1', 'one'), assistant('a1', 'uno'), user('u2', 'two'), assistant('a2', 'dos'), assistant('a3', 'and more')];
    const store = createChatStore({ url: '/c', fetch, initialMessages: before });
    await store.regenerate();
    expect(store.getSnapshot().messages.map(messageText)).toEqual(['one', 'uno', 'two', 'again']);
    expect(store.getSnapshot().messages.slice(0, 3)).toEqual(before.slice(0, 3));
  });

  it('without a user message, sends nothing and resolves', async () => {
    const fetch = replies('x');
    const store = createChatStore({ url: '/c', fetch, initialMessages: [assistant('a', 'Welcome')] });
    await store.regenerate();
    expect(fetch.requests).toHaveLength(0);
    expect(store.getSnapshot().messages).toHaveLength(1);
  });
});

describe('identity', () => {
  it('a message that did not change keeps its identity across snapshots; the reply in flight gets a new object per change', async () => {
    const server = scriptedServer();
    const store = createChatStore({ url: '/c', fetch: server.fetch, initialMessages: [user('u0', 'earlier'), assistant('a0', 'reply')] });
    const [earlier, earlierReply] = store.getSnapshot().messages;
    const done = store.send('x');
    const response = await server.response();
    response.write(tokenEvents(['a'], 'cut'));
    await response.whenDrained();
    const first = store.getSnapshot();
    response.write(tokenEvents(['b'], 'cut'));
    await response.whenDrained();
    const second = store.getSnapshot();
    expect(second).not.toBe(first);
    expect(second.messages.slice(0, 3)).toEqual(first.messages.slice(0, 3));
    for (let i = 0; i < 3; i += 1) expect(second.messages[i]).toBe(first.messages[i]);
    expect(second.messages[0]).toBe(earlier);
    expect(second.messages[1]).toBe(earlierReply);
    expect(second.messages[3]).not.toBe(first.messages[3]);
    response.write('data: [DONE]\n\n');
    await done;
    expect(lastMessage(store)).toMatchObject({ status: 'done', parts: [{ type: 'text', text: 'ab' }] });
  });

  it('getSnapshot returns the same object until something changed', async () => {
    const server = scriptedServer();
    const store = createChatStore({ url: '/c', fetch: server.fetch });
    void store.send('x');
    const response = await server.response();
    const before = store.getSnapshot();
    response.write(': keep-alive\n\n'); // a comment changes nothing
    await response.whenDrained();
    expect(store.getSnapshot()).toBe(before);
    store.stop();
  });
});

describe('default ids', () => {
  it('skip the ids the conversation already has', async () => {
    const store = createChatStore({ url: '/c', fetch: replies('a'), initialMessages: [user('m1', 'Hi'), assistant('m2', 'Hello')] });
    await store.send('x');
    expect(store.getSnapshot().messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4']);
  });
});
