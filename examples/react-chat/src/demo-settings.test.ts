import { openAIChatProtocol, tokenProtocol } from '@tokenstream/react';
import { describe, expect, it } from 'vitest';
import { DEMO_FAILURES, demoChatOptions, type DemoFailure } from './demo-settings';

describe('demoChatOptions', () => {
  it('the default format is the {"token"} stream of /chat/stream with a { prompt } body', () => {
    const options = demoChatOptions({ format: 'token', failure: 'none' });
    expect(options).toMatchObject({ url: '/chat/stream', protocol: tokenProtocol });
    expect(options.body?.({ prompt: 'Hi', messages: [], body: undefined })).toEqual({ prompt: 'Hi' });
    expect(options.headers).toBeUndefined();
  });

  it('the OpenAI-compatible format streams Chat Completions from /v1/chat/completions', () => {
    const options = demoChatOptions({ format: 'openai', failure: 'none' });
    expect(options).toMatchObject({ url: '/v1/chat/completions', protocol: openAIChatProtocol });
    const messages = [{ id: 'u1', role: 'user' as const, parts: [{ type: 'text' as const, text: 'Hi' }] }];
    expect(options.body?.({ prompt: 'Hi', messages, body: undefined })).toEqual({
      model: 'demo',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it.each(DEMO_FAILURES.filter(({ value }) => value !== 'none').map(({ value }) => value))(
    'the %s mode is asked for with the X-Demo-Failure header',
    (failure) => {
      expect(demoChatOptions({ format: 'token', failure }).headers).toEqual({ 'X-Demo-Failure': failure });
    },
  );

  it('only the 429 mode retries, and only the stall mode shortens the idle timeout (to 3 s)', () => {
    const modes = DEMO_FAILURES.map(({ value }) => value);
    const optionsOf = (failure: DemoFailure) => demoChatOptions({ format: 'openai', failure });
    expect(modes.filter((failure) => optionsOf(failure).retry !== undefined)).toEqual(['429']);
    expect(optionsOf('429').retry).toEqual({ limit: 2 });
    expect(modes.filter((failure) => optionsOf(failure).idleTimeout !== undefined)).toEqual(['stall']);
    expect(optionsOf('stall').idleTimeout).toBe(3000);
  });

  it('offers None and the example server\'s eight failure modes', () => {
    expect(DEMO_FAILURES.map(({ value }) => value)).toEqual([
      'none',
      'slow-first-token',
      'stall',
      'drop',
      '429',
      '500',
      'html',
      'crlf',
      'split-utf8',
    ]);
  });
});
