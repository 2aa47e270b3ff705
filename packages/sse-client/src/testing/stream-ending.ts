/** Token usage as a wire format reports it: counts by name, which differ by format (`prompt_tokens`, `input_tokens`…). */
export type Usage = Readonly<Record<string, unknown>>;

/**
 * How a stream built by a wire-format builder (`tokenEvents`, `openAIChatEvents`,
 * `openAIResponsesEvents`, `anthropicEvents`, `aiSdkUIMessageEvents`) ends, after its tokens:
 *
 * - `'done'` or `{ type: 'done', finishReason?, usage? }`: success, with the format's terminator.
 *   `streamTokens` resolves with the text; the chat store's `finish` has `finishReason` (default:
 *   the format's usual one, e.g. `"stop"`) and `usage` (default: none, where the format allows).
 * - `'stop'` or `{ type: 'stop', finishReason?, usage? }`: an early stop, the model's token limit
 *   (`"length"`, `"max_tokens"`, `response.incomplete`…). Still a success: the text may be cut short.
 * - `'error'` or `{ type: 'error', message? }`: the format's mid-stream error event after the
 *   tokens: a `ServerStreamError` whose `text` is the tokens joined and whose message contains `message`.
 * - `'cut'` or `{ type: 'cut' }`: nothing after the tokens, no terminator: the stream was cut off,
 *   an `IncompleteStreamError` whose `text` is the tokens joined.
 *
 * Each builder's documentation says what it writes for each ending.
 *
 * @example
 * ```ts
 * openAIChatEvents(['Hel', 'lo']); // 'done': finish_reason "stop", then [DONE]
 * openAIChatEvents(['Hel', 'lo'], { type: 'done', usage: { total_tokens: 7 } });
 * anthropicEvents(['Once upon'], 'stop'); // stop_reason "max_tokens"
 * tokenEvents(['Par', 'tial'], { type: 'error', message: 'model crashed' });
 * aiSdkUIMessageEvents(['Hel'], 'cut'); // no [DONE]: an IncompleteStreamError
 * ```
 */
export type StreamEnding =
  | 'done'
  | 'stop'
  | 'error'
  | 'cut'
  | { readonly type: 'done'; readonly finishReason?: string | undefined; readonly usage?: Usage | undefined }
  | { readonly type: 'stop'; readonly finishReason?: string | undefined; readonly usage?: Usage | undefined }
  | { readonly type: 'error'; readonly message?: string | undefined }
  | { readonly type: 'cut' };

/** A {@link StreamEnding} with its shorthand expanded. @internal */
export interface Ending {
  readonly type: 'done' | 'stop' | 'error' | 'cut';
  readonly finishReason: string | undefined;
  readonly usage: Usage | undefined;
  readonly message: string | undefined;
}

/**
 * Expands a {@link StreamEnding}.
 *
 * @internal
 * @throws {TypeError} for an unknown ending.
 */
export function toEnding(ending: StreamEnding): Ending {
  const value = typeof ending === 'string' ? { type: ending } : ending;
  if (!['done', 'stop', 'error', 'cut'].includes(value.type)) {
    throw new TypeError(`Unknown stream ending: ${JSON.stringify(ending)}`);
  }
  return {
    type: value.type,
    finishReason: 'finishReason' in value ? value.finishReason : undefined,
    usage: 'usage' in value ? value.usage : undefined,
    message: 'message' in value ? value.message : undefined,
  };
}
