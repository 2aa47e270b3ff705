// The official SDKs as reference readers: each serves bytes to the SDK's own stream helper
// (openai's ChatCompletionStream and ResponseStream, @anthropic-ai/sdk's MessageStream) through a
// fake fetch, and reduces the SDK's final object to a StreamSummary. Test-only: the SDKs are dev
// dependencies, and nothing here reaches the network.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { StreamSummary, SummaryToolCall, SummaryToolResult } from './stream-summary.js';

/** How the SDK's stream helper ended: with a final object, or rejecting after some text. */
export type ReferenceOutcome<Final> =
  | { readonly ok: true; readonly summary: StreamSummary; readonly final: Final }
  | {
      readonly ok: false;
      /** What `final…()` rejected with. */
      readonly error: unknown;
      /** The answer text the SDK's text events gave before it rejected. */
      readonly text: string;
    };

/**
 * The summary and final object of an outcome that must have ended well.
 *
 * @throws {Error} when the SDK rejected the stream, with the SDK's error as `cause`.
 */
export function resolvedReference<Final>(outcome: ReferenceOutcome<Final>): { readonly summary: StreamSummary; readonly final: Final } {
  if (!outcome.ok) throw new Error('the SDK rejected the stream', { cause: outcome.error });
  return outcome;
}

/** A fetch that answers every request with `bytes` as a `text/event-stream` body. */
function serving(bytes: Uint8Array): typeof fetch {
  return (async () => new Response(bytes.slice(), { headers: { 'content-type': 'text/event-stream' } })) as typeof fetch;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function joined(values: readonly unknown[]): string {
  return values.filter((value): value is string => typeof value === 'string').join('');
}

/** JSON text as the SDKs leave tool arguments (a string), parsed; `{}` for none; the text itself when it is not JSON. */
function parsedArguments(text: unknown): unknown {
  if (typeof text !== 'string' || text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Copies a plain SDK object so `toEqual` compares it as data (no getters or class instances). */
function plain<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

async function settle<Final>(
  final: Promise<Final>,
  text: () => string,
  summarize: (final: Final) => StreamSummary,
): Promise<ReferenceOutcome<Final>> {
  try {
    const value = await final;
    return { ok: true, summary: summarize(value), final: value };
  } catch (error) {
    return { ok: false, error, text: text() };
  }
}

/** The Chat Completions reply as `openai`'s `ChatCompletionStream` reads it (`finalChatCompletion()`). */
export async function openAIChatReference(bytes: Uint8Array): Promise<ReferenceOutcome<OpenAI.ChatCompletion>> {
  const client = new OpenAI({ apiKey: 'test', fetch: serving(bytes), maxRetries: 0 });
  const stream = client.chat.completions.stream({ model: 'gpt-4o', messages: [] });
  let text = '';
  stream.on('content', (delta) => {
    text += delta;
  });
  return settle(stream.finalChatCompletion(), () => text, (final) => {
    const choice = final.choices.find((candidate) => candidate.index === 0);
    const message = choice?.message;
    const toolCalls: SummaryToolCall[] = [];
    for (const call of message?.tool_calls ?? []) {
      if (call.type !== 'function') continue;
      toolCalls.push({ id: call.id, name: call.function.name, input: parsedArguments(call.function.arguments) });
    }
    return {
      text: message?.content ?? '',
      reasoning: '', // the SDK reads no reasoning fields in Chat Completions
      refusal: message?.refusal ?? '',
      toolCalls,
      toolResults: [],
      finishReason: choice?.finish_reason ?? undefined,
      usage: plain(final.usage ?? undefined) as Record<string, unknown> | undefined,
    };
  });
}

/** The Responses reply as `openai`'s `ResponseStream` reads it (`finalResponse()`). */
export async function openAIResponsesReference(bytes: Uint8Array): Promise<ReferenceOutcome<OpenAI.Responses.Response>> {
  const client = new OpenAI({ apiKey: 'test', fetch: serving(bytes), maxRetries: 0 });
  const stream = client.responses.stream({ model: 'o3', input: 'test' });
  let text = '';
  stream.on('response.output_text.delta', (event) => {
    text += event.delta;
  });
  return settle(stream.finalResponse(), () => text, (final) => {
    const texts: unknown[] = [];
    const reasoning: unknown[] = [];
    const refusals: unknown[] = [];
    const toolCalls: SummaryToolCall[] = [];
    for (const item of final.output) {
      if (item.type === 'message') {
        for (const part of item.content) {
          if (part.type === 'output_text') texts.push(part.text);
          else if (part.type === 'refusal') refusals.push(part.refusal);
        }
      } else if (item.type === 'reasoning') {
        reasoning.push(...item.summary.map((part) => part.text), ...(item.content ?? []).map((part) => part.text));
      } else if (item.type === 'function_call') {
        toolCalls.push({ id: item.call_id, name: item.name, input: parsedArguments(item.arguments) });
      }
    }
    const finishReason = final.status === 'incomplete' ? (final.incomplete_details?.reason ?? undefined) : final.status;
    return {
      text: joined(texts),
      reasoning: joined(reasoning),
      refusal: joined(refusals),
      toolCalls,
      toolResults: [],
      finishReason: finishReason ?? undefined,
      usage: plain(final.usage ?? undefined) as Record<string, unknown> | undefined,
    };
  });
}

/**
 * The SDK's own buffer of a tool-use block's input JSON text: the non-enumerable `__json_buf`
 * that `MessageStream` keeps beside the partially parsed `input` (an internal of
 * @anthropic-ai/sdk 1.x; `undefined` if a later version drops it).
 */
export function anthropicInputJSONBuffer(block: unknown): string | undefined {
  if (!isRecord(block)) return undefined;
  const buffer = Object.getOwnPropertyDescriptor(block, '__json_buf')?.value as unknown;
  return typeof buffer === 'string' ? buffer : undefined;
}

/** The Messages reply as `@anthropic-ai/sdk`'s `MessageStream` reads it (`finalMessage()`). */
export async function anthropicReference(bytes: Uint8Array): Promise<ReferenceOutcome<Anthropic.Message>> {
  const client = new Anthropic({ apiKey: 'test', fetch: serving(bytes), maxRetries: 0 });
  const stream = client.messages.stream({ model: 'claude-test', max_tokens: 1024, messages: [] });
  let text = '';
  stream.on('text', (delta) => {
    text += delta;
  });
  return settle(stream.finalMessage(), () => text, (final) => {
    const texts: unknown[] = [];
    const reasoning: unknown[] = [];
    const toolCalls: SummaryToolCall[] = [];
    const toolResults: SummaryToolResult[] = [];
    for (const block of final.content as unknown[]) {
      if (!isRecord(block)) continue;
      if (block.type === 'text') texts.push(block.text);
      else if (block.type === 'thinking') reasoning.push(block.thinking);
      else if (block.type === 'tool_use' || block.type === 'server_tool_use') {
        toolCalls.push({ id: String(block.id), name: String(block.name), input: plain(block.input) });
      } else if (typeof block.tool_use_id === 'string') {
        toolResults.push({ id: block.tool_use_id, output: plain(block.content) });
      }
    }
    return {
      text: joined(texts),
      reasoning: joined(reasoning),
      refusal: '', // Messages has no refusal text: a refusal is the stop reason "refusal"
      toolCalls,
      toolResults,
      finishReason: final.stop_reason ?? undefined,
      usage: plain(final.usage) as unknown as Record<string, unknown>,
    };
  });
}
