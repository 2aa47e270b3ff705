import { jsonEvent } from './format.js';
import { toEnding, type StreamEnding } from './stream-ending.js';
import { toolCallItem, type StreamItem } from './stream-items.js';

/** The input of a tool call whose argument text is `text`, as the AI SDK parses it (`''` is `{}`). */
function parseInput(text: string): { ok: true; input: unknown } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true, input: {} };
  try {
    return { ok: true, input: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/**
 * The events of an AI SDK UI message stream (v1, `docs/wire-formats.md` §5), for
 * `aiSdkUIMessageProtocol`: data-only events `start`, `start-step`, then the items
 * ({@link StreamItem}) as `streamText(…).toUIMessageStreamResponse()` writes them:
 * - strings: one `text-delta` each, in a text part (`text-start` … `text-end`, ids `txt-0`, `txt-1`…);
 * - `{ type: 'reasoning', text }`: one `reasoning-delta` each, in a reasoning part
 *   (`reasoning-start` … `reasoning-end`, ids `rs-0`, `rs-1`…);
 * - `{ type: 'tool-call', … }`: `tool-input-start`, one `tool-input-delta` per piece of the
 *   argument text, then `tool-input-available` with the parsed input, or, when the argument text
 *   is not valid JSON, `tool-input-error` with the text as `input` and an `errorText`
 *   (`"Invalid input for tool <name>: <the parse error>"`, the AI SDK's wording);
 * - `{ type: 'tool-result', toolCallId, output }`: `tool-output-available`. The next item after
 *   tool results starts a new step (`finish-step`, `start-step`), as a multi-step `streamText` does.
 *
 * Without items there is one empty text part. The endings:
 * - `'done'`: the open part's end, `finish-step`, `finish` with `finishReason` (default
 *   `"tool-calls"` when the last item is a tool call, else `"stop"`; `usage`, when given, goes in
 *   its `messageMetadata`, which the protocol does not read, so the `finish` part has no usage),
 *   then `data: [DONE]`;
 * - `'stop'`: the same with `finishReason` `"length"` by default;
 * - `'error'`: `{"type":"error","errorText":...}` (default `"An error occurred."`, what the AI SDK
 *   sends by default) then `data: [DONE]`: `ServerStreamError.payload` is the whole part;
 * - `'cut'`: nothing more (no `[DONE]`).
 *
 * Serve it with the header `x-vercel-ai-ui-message-stream: v1` for realism (the protocol does not check it).
 *
 * @param items - The reply, in order: text deltas, reasoning, tool calls and tool results.
 * @param ending - See {@link StreamEnding}. @defaultValue `'done'`
 * @returns One string per event, for `sseResponse` or a controlled response's `write`.
 * @throws {TypeError} for an unknown ending.
 *
 * @example
 * ```ts
 * const response = sseResponse(aiSdkUIMessageEvents(['Hel', 'lo']), { headers: { 'x-vercel-ai-ui-message-stream': 'v1' } });
 * aiSdkUIMessageEvents([
 *   { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } },
 *   { type: 'tool-result', toolCallId: 'call_1', output: { temperature: 21 } },
 *   'It is 21 °C in Paris.',
 * ]);
 * ```
 */
export function aiSdkUIMessageEvents(items: Iterable<StreamItem>, ending: StreamEnding = 'done'): string[] {
  const end = toEnding(ending);
  const events = [jsonEvent({ type: 'start', messageId: 'msg-test' }), jsonEvent({ type: 'start-step' })];
  const add = (part: Record<string, unknown>): void => {
    events.push(jsonEvent(part));
  };
  const list = [...items];
  let open: { readonly kind: 'text' | 'reasoning'; readonly id: string } | undefined;
  const counts = { text: 0, reasoning: 0, calls: 0 };
  let afterResult = false;

  const close = (): void => {
    if (open !== undefined) add({ type: `${open.kind}-end`, id: open.id });
    open = undefined;
  };
  const begin = (kind: 'text' | 'reasoning'): string => {
    if (open?.kind !== kind) {
      close();
      open = { kind, id: `${kind === 'text' ? 'txt' : 'rs'}-${counts[kind]++}` };
      add({ type: `${kind}-start`, id: open.id });
    }
    return open.id;
  };

  if (list.length === 0) begin('text');
  for (const item of list) {
    if (afterResult && (typeof item === 'string' || item.type !== 'tool-result')) {
      events.push(jsonEvent({ type: 'finish-step' }), jsonEvent({ type: 'start-step' }));
      afterResult = false;
    }
    if (typeof item === 'string') {
      add({ type: 'text-delta', id: begin('text'), delta: item });
    } else if (item.type === 'reasoning') {
      add({ type: 'reasoning-delta', id: begin('reasoning'), delta: item.text });
    } else if (item.type === 'tool-call') {
      close();
      const { toolCallId, toolName, inputDeltas } = toolCallItem(item, counts.calls++);
      add({ type: 'tool-input-start', toolCallId, toolName });
      for (const inputTextDelta of inputDeltas) add({ type: 'tool-input-delta', toolCallId, inputTextDelta });
      const text = inputDeltas.join('');
      const parsed = parseInput(text);
      add(
        parsed.ok
          ? { type: 'tool-input-available', toolCallId, toolName, input: parsed.input }
          : { type: 'tool-input-error', toolCallId, toolName, input: text, errorText: `Invalid input for tool ${toolName}: ${parsed.error}` },
      );
    } else {
      close();
      add({ type: 'tool-output-available', toolCallId: item.toolCallId, output: item.output });
      afterResult = true;
    }
  }

  switch (end.type) {
    case 'done':
    case 'stop': {
      close();
      events.push(jsonEvent({ type: 'finish-step' }));
      const last = list.at(-1);
      const usual = typeof last === 'object' && last.type === 'tool-call' ? 'tool-calls' : 'stop';
      const finishReason = end.finishReason ?? (end.type === 'done' ? usual : 'length');
      const metadata = end.usage === undefined ? {} : { messageMetadata: { usage: end.usage } };
      events.push(jsonEvent({ type: 'finish', finishReason, ...metadata }), 'data: [DONE]\n\n');
      break;
    }
    case 'error':
      events.push(jsonEvent({ type: 'error', errorText: end.message ?? 'An error occurred.' }), 'data: [DONE]\n\n');
      break;
    case 'cut':
      break;
  }
  return events;
}
