import { jsonEvent } from './format.js';
import { toEnding, type StreamEnding } from './stream-ending.js';
import { toolCallItem, unsupportedItem, type StreamItem } from './stream-items.js';

/** The output item being written: what a delta of its kind writes, and how it ends. */
interface OpenItem {
  readonly kind: 'message' | 'reasoning' | 'tool-call';
  /** Writes a piece of a message's text or of reasoning (a function call's text is written whole). */
  delta?(text: string): void;
  close(): void;
}

/**
 * The events of an OpenAI Responses stream (`docs/wire-formats.md` §3), for
 * `openAIResponsesProtocol`. Every event has an `event:` line repeating its `type` and a
 * `sequence_number`. It starts with `response.created` and `response.in_progress`; then each run
 * of items of one kind is one output item (its `output_index` counts them from 0), begun by
 * `response.output_item.added` and ended, when the next one begins, by `response.output_item.done`:
 * - strings: a `message` item: `response.content_part.added`, one `response.output_text.delta`
 *   per string, then `response.output_text.done` and `response.content_part.done`;
 * - `{ type: 'reasoning', text }`: a `reasoning` item: `response.reasoning_summary_part.added`, one
 *   `response.reasoning_summary_text.delta` per item, then `response.reasoning_summary_text.done`
 *   and `response.reasoning_summary_part.done`;
 * - `{ type: 'tool-call', … }`: one `function_call` item per call (`item.call_id` its
 *   `toolCallId`, `item.id` `fc_<n>`): one `response.function_call_arguments.delta` per piece of
 *   the argument text, then `response.function_call_arguments.done` with the whole text.
 *
 * A reply without items has an empty message item. Then the ending:
 * - `'done'`: the last item ends, and `response.completed` whose `response.status` is
 *   `finishReason` (default `"completed"`), `response.output` the items as ended, and
 *   `response.usage` is `usage` (default `null`). The
 *   chat store's `finish` has `rawFinishReason` that status, `finishReason` `"stop"` (or
 *   `"tool-calls"` when the reply has tool calls), and `usage` normalised (`rawUsage` as given);
 * - `'stop'`: the same but `response.incomplete` with `incomplete_details.reason` `finishReason`
 *   (default `"max_output_tokens"`, normalised as `"length"`);
 * - `'error'`: `response.failed` with `response.error` `{ code: 'server_error', message }`
 *   (default message `"The model failed to generate a response."`), the last item left open:
 *   `ServerStreamError.payload` is that object;
 * - `'cut'`: nothing more (the last item left open, no `response.completed`).
 *
 * @param items - The reply, in order: text deltas, reasoning and tool calls (see {@link StreamItem}).
 * @param ending - See {@link StreamEnding}. @defaultValue `'done'`
 * @returns One string per event, for `sseResponse` or a controlled response's `write`.
 * @throws {TypeError} for a `tool-result` item (the format carries no tool results), or an unknown ending.
 *
 * @example
 * ```ts
 * const fetch = createFakeFetch(() => sseResponse(openAIResponsesEvents(['Hel', 'lo'], 'stop')));
 * const store = createChatStore({ url: '/v1/responses', protocol: openAIResponsesProtocol, fetch });
 * await store.send('Hi'); // finish.finishReason === 'length', finish.rawFinishReason === 'max_output_tokens'
 * ```
 *
 * @example A reasoning summary, then a function call:
 * ```ts
 * openAIResponsesEvents([
 *   { type: 'reasoning', text: '**Checking the weather**' },
 *   { type: 'tool-call', toolCallId: 'call_abc', toolName: 'get_weather', input: { city: 'Paris' } },
 * ]); // finish.finishReason === 'tool-calls'
 * ```
 */
export function openAIResponsesEvents(items: Iterable<StreamItem>, ending: StreamEnding = 'done'): string[] {
  const end = toEnding(ending);
  const events: string[] = [];
  const add = (type: string, fields: Record<string, unknown>): void => {
    events.push(jsonEvent({ type, sequence_number: events.length, ...fields }, type));
  };
  const response = (status: string, fields: Record<string, unknown> = {}) => ({
    id: 'resp_test',
    object: 'response',
    created_at: 1_700_000_000,
    status,
    error: null,
    incomplete_details: null,
    model: 'gpt-4.1-mini',
    output: [],
    usage: null,
    ...fields,
  });
  const counts = { message: 0, reasoning: 0, 'tool-call': 0 };
  let outputIndex = -1;
  let open: OpenItem | undefined;
  // The items ended so far, as `response.output_item.done` gives them: the final response's `output`.
  const output: unknown[] = [];
  const itemDone = (index: number, item: unknown): void => {
    output.push(item);
    add('response.output_item.done', { output_index: index, item });
  };

  // The first message is `msg_test`, as before there were other items; later ones `msg_test_2`…
  const idOf = (prefix: string, kind: keyof typeof counts): string => {
    counts[kind] += 1;
    return counts[kind] === 1 ? prefix : `${prefix}_${counts[kind]}`;
  };

  const openMessage = (): OpenItem => {
    const message = { id: idOf('msg_test', 'message'), type: 'message', status: 'in_progress', content: [], role: 'assistant' };
    add('response.output_item.added', { output_index: outputIndex, item: message });
    const part = { item_id: message.id, output_index: outputIndex, content_index: 0 };
    add('response.content_part.added', { ...part, part: { type: 'output_text', annotations: [], text: '' } });
    let text = '';
    const index = outputIndex;
    return {
      kind: 'message',
      delta(delta) {
        text += delta;
        add('response.output_text.delta', { ...part, delta });
      },
      close() {
        add('response.output_text.done', { ...part, text });
        add('response.content_part.done', { ...part, part: { type: 'output_text', annotations: [], text } });
        const content = [{ type: 'output_text', annotations: [], text }];
        itemDone(index, { ...message, status: 'completed', content });
      },
    };
  };

  const openReasoning = (): OpenItem => {
    const id = idOf('rs_test', 'reasoning');
    add('response.output_item.added', { output_index: outputIndex, item: { id, type: 'reasoning', summary: [] } });
    const summary = { item_id: id, output_index: outputIndex, summary_index: 0 };
    add('response.reasoning_summary_part.added', { ...summary, part: { type: 'summary_text', text: '' } });
    let text = '';
    const index = outputIndex;
    return {
      kind: 'reasoning',
      delta(delta) {
        text += delta;
        add('response.reasoning_summary_text.delta', { ...summary, delta });
      },
      close() {
        add('response.reasoning_summary_text.done', { ...summary, text });
        add('response.reasoning_summary_part.done', { ...summary, part: { type: 'summary_text', text } });
        itemDone(index, { id, type: 'reasoning', summary: [{ type: 'summary_text', text }] });
      },
    };
  };

  const openFunctionCall = (item: Extract<StreamItem, { type: 'tool-call' }>): OpenItem => {
    const { toolCallId, toolName, inputDeltas } = toolCallItem(item, counts['tool-call']);
    counts['tool-call'] += 1;
    const id = `fc_${counts['tool-call']}`;
    const call = { id, type: 'function_call', status: 'in_progress', arguments: '', call_id: toolCallId, name: toolName };
    add('response.output_item.added', { output_index: outputIndex, item: call });
    const fields = { item_id: call.id, output_index: outputIndex };
    const index = outputIndex;
    const text = inputDeltas.join('');
    for (const delta of inputDeltas) add('response.function_call_arguments.delta', { ...fields, delta });
    return {
      kind: 'tool-call',
      close() {
        add('response.function_call_arguments.done', { ...fields, arguments: text });
        itemDone(index, { ...call, arguments: text, status: 'completed' });
      },
    };
  };

  const begin = (next: (() => OpenItem) | undefined): void => {
    open?.close();
    outputIndex += 1;
    open = next?.();
  };

  add('response.created', { response: response('in_progress') });
  add('response.in_progress', { response: response('in_progress') });
  for (const item of items) {
    if (typeof item === 'string') {
      if (open?.kind !== 'message') begin(openMessage);
      open?.delta?.(item);
    } else if (item.type === 'reasoning') {
      if (open?.kind !== 'reasoning') begin(openReasoning);
      open?.delta?.(item.text);
    } else if (item.type === 'tool-call') {
      begin(() => openFunctionCall(item));
    } else {
      throw unsupportedItem('OpenAI Responses', item);
    }
  }
  if (outputIndex === -1) begin(openMessage);

  switch (end.type) {
    case 'done':
    case 'stop': {
      open?.close();
      const usage = end.usage ?? null;
      if (end.type === 'done') add('response.completed', { response: response(end.finishReason ?? 'completed', { output, usage }) });
      else {
        const incomplete_details = { reason: end.finishReason ?? 'max_output_tokens' };
        add('response.incomplete', { response: response('incomplete', { incomplete_details, output, usage }) });
      }
      break;
    }
    case 'error': {
      const error = { code: 'server_error', message: end.message ?? 'The model failed to generate a response.' };
      add('response.failed', { response: response('failed', { error }) });
      break;
    }
    case 'cut':
      break;
  }
  return events;
}
