import { describe, expect, it } from 'vitest';
import { DEFAULT_ANTHROPIC_MODEL, DEFAULT_OPENAI_MODEL, providerFromEnv } from './providers.js';

describe('providerFromEnv', () => {
  it('chooses the built-in model (undefined) when no API key is set, or only empty ones', () => {
    expect(providerFromEnv({})).toBeUndefined();
    expect(providerFromEnv({ OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', MODEL: 'm' })).toBeUndefined();
  });

  it('relays to OpenAI with OPENAI_API_KEY, with its default model unless MODEL is set', () => {
    expect(providerFromEnv({ OPENAI_API_KEY: 'k' })).toMatchObject({ name: 'openai', model: DEFAULT_OPENAI_MODEL });
    expect(providerFromEnv({ OPENAI_API_KEY: 'k', MODEL: 'llama3.2' })).toMatchObject({ name: 'openai', model: 'llama3.2' });
  });

  it('relays to Anthropic with ANTHROPIC_API_KEY, with its default model unless MODEL is set', () => {
    expect(providerFromEnv({ ANTHROPIC_API_KEY: 'k' })).toMatchObject({ name: 'anthropic', model: DEFAULT_ANTHROPIC_MODEL });
    expect(providerFromEnv({ ANTHROPIC_API_KEY: 'k', MODEL: 'claude-x' })).toMatchObject({ name: 'anthropic', model: 'claude-x' });
  });

  it('prefers OpenAI when both keys are set', () => {
    expect(providerFromEnv({ OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' })?.name).toBe('openai');
  });

  it('keeps the key out of the provider it returns (nothing to log by mistake)', () => {
    const key = 'sk-never-shown';
    expect(JSON.stringify(providerFromEnv({ OPENAI_API_KEY: key }))).not.toContain(key);
    expect(JSON.stringify(providerFromEnv({ ANTHROPIC_API_KEY: key }))).not.toContain(key);
  });
});
