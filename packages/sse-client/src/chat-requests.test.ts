// Request builders: the conversation in each provider's request shape.
import { describe, expect, it } from 'vitest';
import {
  toAnthropicMessages,
  toOpenAIChatMessages,
  toOpenAIResponsesInput,
  toUIMessages,
  type ChatMessage,
  type ToolUIPart,
} from './index.js';

const tool = (toolCallId: string, patch: Partial<ToolUIPart>): ToolUIPart => ({
  type: 'tool',
  toolCallId,
  toolName: 'get_weather',
  state: 'output-available',
  input: {},
  ...patch,
});

/**
 * A conversation with everything a builder meets: a system message; a reply with reasoning, text,
 * a call with its result, a failed call, a call cut before its result, then text; a reply stopped
 * before anything arrived; a reply with a call the provider ran itself.
 */
const conversation: readonly ChatMessage[] = [
  { id: 's', role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
  { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
  {
    id: 'a1',
    role: 'assistant',
    status: 'done',
    parts: [
      { type: 'reasoning', text: 'I need the weather tool.' },
      { type: 'text', text: 'Let me check. ' },
      tool('c1', { input: { city: 'Paris' }, output: { temperature: 21 } }),
      tool('c2', { state: 'output-error', input: { city: 'Rome' }, errorText: 'Service down' }),
      tool('c3', { state: 'input-streaming', input: { city: 'Ber' } }),
      { type: 'text', text: 'Paris: 21 °C.' },
    ],
  },
  { id: 'u2', role: 'user', parts: [{ type: 'text', text: 'Thanks' }] },
  { id: 'a2', role: 'assistant', status: 'aborted', parts: [] },
  { id: 'u3', role: 'user', parts: [{ type: 'text', text: 'Search the news' }] },
  {
    id: 'a3',
    role: 'assistant',
    status: 'done',
    parts: [
      tool('s1', { toolName: 'web_search', input: { query: 'news' }, output: [{ url: 'https://example.com' }], providerExecuted: true }),
      { type: 'text', text: 'Here is the news.' },
    ],
  },
];

describe('toOpenAIChatMessages', () => {
  it('gives text messages, assistant tool_calls followed by tool messages, and a new assistant message for text after them', () => {
    expect(toOpenAIChatMessages(conversation)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: 'Let me check. ',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'c2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: '{"temperature":21}' },
      { role: 'tool', tool_call_id: 'c2', content: 'Service down' },
      { role: 'assistant', content: 'Paris: 21 °C.' },
      { role: 'user', content: 'Thanks' },
      { role: 'user', content: 'Search the news' },
      { role: 'assistant', content: 'Here is the news.' },
    ]);
  });

  it('a call without text has content null; invalid arguments go back as they streamed; a string result as is', () => {
    const messages: ChatMessage[] = [
      {
        id: 'a',
        role: 'assistant',
        parts: [
          tool('c1', { state: 'output-error', input: { city: 'Par' }, inputText: '{"city":"Par', invalid: true, errorText: 'Invalid JSON' }),
          tool('c2', { output: 'sunny' }),
        ],
      },
    ];
    expect(toOpenAIChatMessages(messages)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Par' } },
          { id: 'c2', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'Invalid JSON' },
      { role: 'tool', tool_call_id: 'c2', content: 'sunny' },
    ]);
  });
});

describe('toOpenAIResponsesInput', () => {
  it('gives role messages, and function_call items each followed by its function_call_output', () => {
    expect(toOpenAIResponsesInput(conversation)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris and Rome?' },
      { role: 'assistant', content: 'Let me check. ' },
      { type: 'function_call', call_id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'c1', output: '{"temperature":21}' },
      { type: 'function_call', call_id: 'c2', name: 'get_weather', arguments: '{"city":"Rome"}' },
      { type: 'function_call_output', call_id: 'c2', output: 'Service down' },
      { role: 'assistant', content: 'Paris: 21 °C.' },
      { role: 'user', content: 'Thanks' },
      { role: 'user', content: 'Search the news' },
      { role: 'assistant', content: 'Here is the news.' },
    ]);
  });
});

describe('toAnthropicMessages', () => {
  it('gives text and tool_use blocks, then a user message of tool_result blocks; system messages are left out', () => {
    expect(toAnthropicMessages(conversation)).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me check. ' },
          { type: 'tool_use', id: 'c1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'c2', name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'c1', content: '{"temperature":21}' },
          { type: 'tool_result', tool_use_id: 'c2', content: 'Service down', is_error: true },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'Paris: 21 °C.' }] },
      { role: 'user', content: 'Thanks' },
      { role: 'user', content: 'Search the news' },
      { role: 'assistant', content: [{ type: 'text', text: 'Here is the news.' }] },
    ]);
  });

  it('sends an input that is not an object (invalid arguments) as {}', () => {
    const messages: ChatMessage[] = [
      { id: 'a', role: 'assistant', parts: [tool('c1', { state: 'output-error', input: undefined, inputText: '{', invalid: true, errorText: 'x' })] },
    ];
    expect(toAnthropicMessages(messages)[0]).toEqual({ role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'get_weather', input: {} }] });
  });
});

describe('toUIMessages', () => {
  it('gives AI SDK UI messages: text, tool-<name> parts with their state and result, step-start after a client-side call', () => {
    expect(toUIMessages(conversation)).toEqual([
      { id: 's', role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      {
        id: 'a1',
        role: 'assistant',
        parts: [
          { type: 'text', text: 'Let me check. ' },
          { type: 'tool-get_weather', toolCallId: 'c1', state: 'output-available', input: { city: 'Paris' }, output: { temperature: 21 } },
          { type: 'tool-get_weather', toolCallId: 'c2', state: 'output-error', input: { city: 'Rome' }, errorText: 'Service down' },
          { type: 'step-start' },
          { type: 'text', text: 'Paris: 21 °C.' },
        ],
      },
      { id: 'u2', role: 'user', parts: [{ type: 'text', text: 'Thanks' }] },
      { id: 'u3', role: 'user', parts: [{ type: 'text', text: 'Search the news' }] },
      {
        id: 'a3',
        role: 'assistant',
        parts: [
          {
            type: 'tool-web_search',
            toolCallId: 's1',
            state: 'output-available',
            input: { query: 'news' },
            output: [{ url: 'https://example.com' }],
            providerExecuted: true,
          },
          { type: 'text', text: 'Here is the news.' },
        ],
      },
    ]);
  });

  it('keeps sources, files and data parts as they are', () => {
    const parts = [
      { type: 'source-url', sourceId: 's', url: 'https://example.com' },
      { type: 'file', url: 'data:image/png;base64,AA==', mediaType: 'image/png' },
      { type: 'data-weather', id: 'w', data: { temperature: 21 } },
    ] as const;
    expect(toUIMessages([{ id: 'a', role: 'assistant', parts }])).toEqual([{ id: 'a', role: 'assistant', parts }]);
  });
});

describe('every builder', () => {
  it('leaves out a reply with nothing to send back (stopped before any text, or only reasoning and cut calls)', () => {
    const empty: ChatMessage[] = [
      { id: 'u', role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
      { id: 'a', role: 'assistant', status: 'aborted', parts: [] },
      { id: 'b', role: 'assistant', status: 'aborted', parts: [{ type: 'reasoning', text: 'hmm' }, tool('c', { state: 'input-streaming' })] },
    ];
    expect(toOpenAIChatMessages(empty)).toEqual([{ role: 'user', content: 'Hi' }]);
    expect(toOpenAIResponsesInput(empty)).toEqual([{ role: 'user', content: 'Hi' }]);
    expect(toAnthropicMessages(empty)).toEqual([{ role: 'user', content: 'Hi' }]);
    expect(toUIMessages(empty)).toEqual([{ id: 'u', role: 'user', parts: [{ type: 'text', text: 'Hi' }] }]);
  });
});
