// Finish reasons and usage, normalised from each format's own words (internal: not exported).
import { isRecord } from './shared.js';
import type { FinishPart, FinishReason, Usage } from './types.js';

/** Each format's own finish reasons, by the normalised one they mean. Anything else is `other`. */
const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  // OpenAI Chat Completions (`finish_reason`)
  stop: 'stop',
  length: 'length',
  content_filter: 'content-filter',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  // OpenAI Responses (`incomplete_details.reason`)
  max_output_tokens: 'length',
  // Anthropic Messages (`stop_reason`)
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
  // The AI SDK's own names
  'content-filter': 'content-filter',
  'tool-calls': 'tool-calls',
  error: 'error',
  other: 'other',
};

/**
 * The normalised {@link FinishReason} of a format's own finish reason; `fallback` when the format
 * sent none.
 *
 * @internal
 */
export function normalizeFinishReason(raw: string | undefined, fallback: FinishReason = 'stop'): FinishReason {
  if (raw === undefined) return fallback;
  return Object.hasOwn(FINISH_REASONS, raw) ? (FINISH_REASONS[raw] as FinishReason) : 'other';
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function nested(record: Readonly<Record<string, unknown>>, key: string, field: string): number | undefined {
  const inner = record[key];
  return isRecord(inner) ? count(inner[field]) : undefined;
}

function usage(
  inputTokens: number | undefined,
  outputTokens: number | undefined,
  totalTokens: number | undefined,
  reasoningTokens: number | undefined,
  cachedInputTokens: number | undefined,
): Usage {
  const total = totalTokens ?? (inputTokens !== undefined && outputTokens !== undefined ? inputTokens + outputTokens : undefined);
  return {
    inputTokens,
    outputTokens,
    totalTokens: total,
    ...(reasoningTokens === undefined ? {} : { reasoningTokens }),
    ...(cachedInputTokens === undefined ? {} : { cachedInputTokens }),
  };
}

/**
 * {@link Usage} from an OpenAI usage object, Chat Completions (`prompt_tokens`,
 * `completion_tokens`, `completion_tokens_details.reasoning_tokens`,
 * `prompt_tokens_details.cached_tokens`) or Responses (`input_tokens`, `output_tokens`,
 * `output_tokens_details.reasoning_tokens`, `input_tokens_details.cached_tokens`).
 *
 * @internal
 */
export function openAIUsage(raw: Readonly<Record<string, unknown>>): Usage {
  return usage(
    count(raw.prompt_tokens) ?? count(raw.input_tokens),
    count(raw.completion_tokens) ?? count(raw.output_tokens),
    count(raw.total_tokens),
    nested(raw, 'completion_tokens_details', 'reasoning_tokens') ?? nested(raw, 'output_tokens_details', 'reasoning_tokens'),
    nested(raw, 'prompt_tokens_details', 'cached_tokens') ?? nested(raw, 'input_tokens_details', 'cached_tokens'),
  );
}

/**
 * {@link Usage} from an Anthropic usage object: `input_tokens` (the uncached input), `output_tokens`,
 * `cache_read_input_tokens` as `cachedInputTokens`. As the AI SDK does, `inputTokens` is
 * `input_tokens` alone, and the total is input plus output.
 *
 * @internal
 */
export function anthropicUsage(raw: Readonly<Record<string, unknown>>): Usage {
  return usage(count(raw.input_tokens), count(raw.output_tokens), undefined, undefined, count(raw.cache_read_input_tokens));
}

/**
 * A `finish` part, with the usage normalised by `normalize` when the format sent a usage object.
 *
 * @internal
 */
export function finishPart(
  finishReason: FinishReason,
  rawFinishReason: string | undefined,
  rawUsage: Readonly<Record<string, unknown>> | undefined,
  normalize: (raw: Readonly<Record<string, unknown>>) => Usage,
): FinishPart {
  return {
    type: 'finish',
    finishReason,
    ...(rawFinishReason === undefined ? {} : { rawFinishReason }),
    ...(rawUsage === undefined ? {} : { usage: normalize(rawUsage), rawUsage }),
  };
}
