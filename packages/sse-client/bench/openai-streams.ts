// Pre-built OpenAI Chat Completions streams for the end-to-end tables, one event per network
// chunk, as the API flushes them: the bytes of a reply of one-token chunks, and of a reply that
// calls a tool whose arguments stream in small deltas.
const encoder = new TextEncoder();

const header = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_764_547_200, model: 'gpt-4o-mini-2024-07-18', system_fingerprint: 'fp_bench' };

const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): Uint8Array =>
  encoder.encode(`data: ${JSON.stringify({ ...header, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] })}\n\n`);

const DONE = encoder.encode('data: [DONE]\n\n');

const WORDS = [' The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.'];

export interface TokenReply {
  readonly chunks: readonly Uint8Array[];
  readonly tokens: readonly string[];
  /** The tokens' count plus their total length: the check every timed run makes. */
  readonly check: number;
}

/** A reply of `count` one-token chunks, between a role chunk and a finish chunk, then `[DONE]`. */
export function tokenReply(count: number): TokenReply {
  const tokens = Array.from({ length: count }, (_, index) => WORDS[index % WORDS.length]!);
  const chunks = [
    chunk({ role: 'assistant', content: '', refusal: null }),
    ...tokens.map((token) => chunk({ content: token })),
    chunk({}, 'stop'),
    DONE,
  ];
  return { chunks, tokens, check: tokens.length + tokens.join('').length };
}

export interface ToolCallReply {
  readonly chunks: readonly Uint8Array[];
  readonly name: string;
  /** The arguments' JSON text. */
  readonly argumentsText: string;
  /** How many argument deltas the stream carries. */
  readonly deltas: number;
}

/** Arguments of an edit-file tool call, about `size` characters of JSON. */
function toolArguments(size: number): string {
  const lines: string[] = [];
  for (let index = 0; lines.join('\n').length < size / 2; index += 1) {
    lines.push(`export function handler${index}(request: Request): Response {`, `\treturn Response.json({ ok: true, id: "${index}" });`, '}');
  }
  const edits: { line: number; oldText: string; newText: string }[] = [];
  const value = { path: 'src/routes/handlers.ts', content: lines.join('\n'), edits, dryRun: false };
  for (let index = 0; JSON.stringify(value).length < size; index += 1) {
    edits.push({ line: index * 3 + 1, oldText: `handler${index}`, newText: `route${index}` });
  }
  return JSON.stringify(value);
}

/** A reply calling `write_file` whose arguments (about `size` characters) stream in deltas of 1–7 characters. */
export function toolCallReply(size: number): ToolCallReply {
  const name = 'write_file';
  const argumentsText = toolArguments(size);
  const pieces: string[] = [];
  for (let offset = 0, index = 0; offset < argumentsText.length; index += 1) {
    const length = 1 + ((index * 5) % 7); // token-sized pieces
    pieces.push(argumentsText.slice(offset, offset + length));
    offset += length;
  }
  const chunks = [
    chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_bench', type: 'function', function: { name, arguments: '' } }], refusal: null }),
    ...pieces.map((piece) => chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] })),
    chunk({}, 'tool_calls'),
    DONE,
  ];
  return { chunks, name, argumentsText, deltas: pieces.length };
}

/** The JSON Schema of `write_file`'s arguments (strict: every property required, nothing else). */
export const WRITE_FILE_PARAMETERS = {
  type: 'object',
  properties: {
    path: { type: 'string' },
    content: { type: 'string' },
    edits: {
      type: 'array',
      items: {
        type: 'object',
        properties: { line: { type: 'number' }, oldText: { type: 'string' }, newText: { type: 'string' } },
        required: ['line', 'oldText', 'newText'],
        additionalProperties: false,
      },
    },
    dryRun: { type: 'boolean' },
  },
  required: ['path', 'content', 'edits', 'dryRun'],
  additionalProperties: false,
} as const;
