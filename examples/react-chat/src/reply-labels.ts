import type { FinishPart, MessageStatus, ReplyMetrics, ToolUIPart } from '@tokenstream/react';

// The words the conversation shows for a reply's status, finish reason, metrics and tool states.

/** The mark under each assistant reply. */
export const STATUS_MARKS: Record<MessageStatus, string> = {
  submitted: 'Waiting for the reply…',
  streaming: 'Streaming…',
  done: 'Done',
  error: 'Failed',
  aborted: 'Stopped',
};

/**
 * Why the model ended a reply, in words, when that is worth saying: `undefined` for a normal end
 * (`stop`). `other` quotes the format's own reason when it sent one.
 */
export function finishNote(finish: FinishPart | undefined): string | undefined {
  switch (finish?.finishReason) {
    case undefined:
    case 'stop':
      return undefined;
    case 'length':
      return 'Cut off at the length limit';
    case 'content-filter':
      return 'Stopped by the content filter';
    case 'tool-calls':
      return 'Ended to call tools';
    case 'error':
      return 'The model ended on an error';
    case 'other':
      return finish.rawFinishReason === undefined ? 'Ended for another reason' : `Ended: ${finish.rawFinishReason}`;
  }
}

/**
 * A reply's metrics in words, the ones known so far: time to first token (ms), text deltas per
 * second (the demo's server sends one token per delta, hence "tokens/s") and the total time.
 */
export function metricsNote(metrics: ReplyMetrics | undefined): string[] {
  if (metrics === undefined) return [];
  const notes: string[] = [];
  if (metrics.timeToFirstToken !== undefined) notes.push(`first token ${Math.round(metrics.timeToFirstToken)} ms`);
  if (metrics.deltasPerSecond !== undefined) notes.push(`${metrics.deltasPerSecond.toFixed(1)} tokens/s`);
  if (metrics.duration !== undefined) notes.push(`${(metrics.duration / 1000).toFixed(1)} s in all`);
  return notes;
}

/** A tool call's state, in words. */
export const TOOL_STATES: Record<ToolUIPart['state'], string> = {
  'input-streaming': 'preparing the arguments…',
  'input-available': 'called',
  'output-available': 'done',
  'output-error': 'failed',
};

/**
 * A JSON value as indented text (`…` when there is nothing yet). Strings show as they are; values
 * JSON cannot hold (a cycle, a `bigint`) fall back to `String(value)`.
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return '…';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
