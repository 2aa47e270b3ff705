// OpenAI Responses streams built in the documented event shapes (the API reference's streaming
// events), for what openai-node's recordings lack: function calls, reasoning summaries,
// refusals, incomplete responses. Each is accepted by openai's ResponseStream as it is.

type Item = Record<string, unknown>;

/**
 * A Responses stream: `response.created`, the given output events, then `response.completed` (or
 * `response.incomplete` with the given reason) and `data: [DONE]`, as openai-node's recordings end.
 */
export function responsesStream(options: {
  readonly events: readonly Record<string, unknown>[];
  readonly output: readonly Item[];
  readonly usage: Record<string, unknown>;
  readonly incomplete?: string | undefined;
}): Uint8Array {
  const response = { id: 'resp_built', object: 'response', created_at: 1723031666, model: 'o3', error: null, tools: [] };
  const status = options.incomplete === undefined ? 'completed' : 'incomplete';
  const all = [
    { type: 'response.created', response: { ...response, status: 'in_progress', output: [], usage: null } },
    ...options.events,
    {
      type: `response.${status}`,
      response: {
        ...response,
        status,
        incomplete_details: options.incomplete === undefined ? null : { reason: options.incomplete },
        output: options.output,
        usage: options.usage,
      },
    },
  ];
  const lines = all.map((event, sequence) => `data: ${JSON.stringify({ ...event, sequence_number: sequence })}\n\n`);
  return new TextEncoder().encode(`${lines.join('')}data: [DONE]\n\n`);
}

/** The events of a reasoning item whose summary streams in `deltas`, and the finished item. */
export function reasoningSummaryItem(id: string, outputIndex: number, deltas: readonly string[]): { events: Item[]; item: Item } {
  const text = deltas.join('');
  const at = { item_id: id, output_index: outputIndex, summary_index: 0 };
  const item = { id, type: 'reasoning', summary: [{ type: 'summary_text', text }] };
  return {
    item,
    events: [
      { type: 'response.output_item.added', output_index: outputIndex, item: { id, type: 'reasoning', summary: [] } },
      { type: 'response.reasoning_summary_part.added', ...at, part: { type: 'summary_text', text: '' } },
      ...deltas.map((delta) => ({ type: 'response.reasoning_summary_text.delta', ...at, delta })),
      { type: 'response.reasoning_summary_text.done', ...at, text },
      { type: 'response.reasoning_summary_part.done', ...at, part: { type: 'summary_text', text } },
      { type: 'response.output_item.done', output_index: outputIndex, item },
    ],
  };
}

/**
 * The events of a function call item whose arguments stream in `deltas`, and the item. With
 * `done: false` the call is cut before its `.done` events (the response ran out of tokens).
 */
export function functionCallItem(
  ids: { readonly id: string; readonly callId: string; readonly name: string },
  outputIndex: number,
  deltas: readonly string[],
  done = true,
): { events: Item[]; item: Item } {
  const args = deltas.join('');
  const base = { id: ids.id, type: 'function_call', call_id: ids.callId, name: ids.name };
  const item = { ...base, arguments: args, status: done ? 'completed' : 'incomplete' };
  const at = { item_id: ids.id, output_index: outputIndex };
  return {
    item,
    events: [
      { type: 'response.output_item.added', output_index: outputIndex, item: { ...base, arguments: '', status: 'in_progress' } },
      ...deltas.map((delta) => ({ type: 'response.function_call_arguments.delta', ...at, delta })),
      ...(done
        ? [
            { type: 'response.function_call_arguments.done', ...at, arguments: args },
            { type: 'response.output_item.done', output_index: outputIndex, item },
          ]
        : []),
    ],
  };
}

/** The events of a message item with one content part (`output_text` or `refusal`) streamed in `deltas`, and the item. */
export function messageItem(
  id: string,
  outputIndex: number,
  kind: 'output_text' | 'refusal',
  deltas: readonly string[],
  done = true,
): { events: Item[]; item: Item } {
  const text = deltas.join('');
  const part = kind === 'output_text' ? { type: 'output_text', text, annotations: [] } : { type: 'refusal', refusal: text };
  const empty = kind === 'output_text' ? { type: 'output_text', text: '', annotations: [] } : { type: 'refusal', refusal: '' };
  const event = kind === 'output_text' ? 'response.output_text' : 'response.refusal';
  const at = { item_id: id, output_index: outputIndex, content_index: 0 };
  const item = { id, type: 'message', role: 'assistant', status: done ? 'completed' : 'incomplete', content: [part] };
  return {
    item,
    events: [
      {
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { id, type: 'message', role: 'assistant', status: 'in_progress', content: [] },
      },
      { type: 'response.content_part.added', ...at, part: empty },
      ...deltas.map((delta) => ({ type: `${event}.delta`, ...at, delta, ...(kind === 'output_text' ? { logprobs: [] } : {}) })),
      ...(done
        ? [
            { type: `${event}.done`, ...at, ...(kind === 'output_text' ? { text, logprobs: [] } : { refusal: text }) },
            { type: 'response.content_part.done', ...at, part },
            { type: 'response.output_item.done', output_index: outputIndex, item },
          ]
        : []),
    ],
  };
}
