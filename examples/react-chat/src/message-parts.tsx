import type { DataPart, MessagePart, ToolUIPart } from '@tokenstream/react';
import { useState } from 'react';
import { formatValue, TOOL_STATES } from './reply-labels';

// One component per kind of message part. Everything is rendered as text (React escapes it):
// never as HTML, whatever the model sends.

/** Only http(s) links are clickable: a model could send a `javascript:` URL. */
function safeHref(url: string): string | undefined {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The model's reasoning: open while it streams, folded once the answer starts; the user can open it again. */
function ReasoningView({ text, streaming }: { readonly text: string; readonly streaming: boolean }) {
  const [open, setOpen] = useState(streaming);
  const [wasStreaming, setWasStreaming] = useState(streaming);
  if (streaming !== wasStreaming) {
    // Adjusted while rendering (not in an effect), so it never shows a frame in the wrong state.
    setWasStreaming(streaming);
    setOpen(streaming);
  }
  return (
    <details className="part part--reasoning" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{streaming ? 'Thinking…' : 'Reasoning'}</summary>
      <p className="part__text">{text}</p>
    </details>
  );
}

/** A tool call: its name and state, its arguments as they fill in, then its result or error. */
function ToolView({ part }: { readonly part: ToolUIPart }) {
  return (
    <div className="part part--tool" data-state={part.state}>
      <p className="tool__header">
        <span className="tool__name">{part.toolName || 'tool'}</span> <span className="tool__state">{TOOL_STATES[part.state]}</span>
      </p>
      <pre className="tool__value" aria-label={`${part.toolName} arguments`}>
        {part.invalid ? (part.inputText ?? '') : formatValue(part.input)}
      </pre>
      {part.state === 'output-available' && (
        <pre className="tool__value" aria-label={`${part.toolName} result`}>
          {formatValue(part.output)}
        </pre>
      )}
      {part.state === 'output-error' && <p className="tool__error">{part.errorText}</p>}
    </div>
  );
}

function DataView({ part }: { readonly part: DataPart }) {
  return (
    <details className="part part--data">
      <summary>{part.type.slice('data-'.length)}</summary>
      <pre className="tool__value">{formatValue(part.data)}</pre>
    </details>
  );
}

/** Props of {@link PartView}. */
export interface PartViewProps {
  readonly part: MessagePart;
  /** True for the last part of a reply that is still streaming: it is the one growing. */
  readonly streaming: boolean;
}

/** One part of a message. */
export function PartView({ part, streaming }: PartViewProps) {
  switch (part.type) {
    case 'text':
      return (
        <p className="part part__text">
          {part.text}
          {streaming && <span className="caret" aria-hidden="true" />}
        </p>
      );
    case 'reasoning':
      return <ReasoningView text={part.text} streaming={streaming} />;
    case 'refusal':
      return (
        <p className="part part--refusal">
          <strong>The model declined: </strong>
          {part.text}
        </p>
      );
    case 'tool':
      return <ToolView part={part} />;
    case 'source-url': {
      const href = safeHref(part.url);
      const label = part.title ?? part.url;
      return <p className="part part--source">Source: {href === undefined ? label : <a href={href} target="_blank" rel="noreferrer">{label}</a>}</p>;
    }
    case 'source-document':
      return <p className="part part--source">Source: {part.title}</p>;
    case 'file': {
      const href = safeHref(part.url);
      return <p className="part part--source">File ({part.mediaType}){href !== undefined && <> <a href={href} target="_blank" rel="noreferrer">open</a></>}</p>;
    }
    default:
      return <DataView part={part} />;
  }
}
