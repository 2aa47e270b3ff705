// Tool calls as every format streams them: a start (id and name), pieces of JSON input text, an
// end. One assembler, shared by the protocols, keeps the text, parses it incrementally for the
// partial input, and decides the final input (internal: not exported from the package).
import { createPartialJSONParser, type PartialJSONParser } from '../partial-json.js';
import { TextAccumulator } from '../text-accumulator.js';
import type { ToolCallPart, ToolInputDeltaPart, ToolInputStartPart } from './types.js';

interface OpenCall {
  readonly toolCallId: string;
  readonly toolName: string;
  readonly providerExecuted: true | undefined;
  readonly parser: PartialJSONParser;
  readonly text: TextAccumulator;
  // The error that made the text invalid; the partial value stays at the last good one.
  error: Error | undefined;
  // The value parsed so far (what the last delta part carried).
  input: unknown;
}

/** The tool calls of one stream, by their id. @internal */
export interface ToolCallAssembler {
  /** A call began. Returns its `tool-input-start` part. A second start for an open id is ignored (`undefined`). */
  start(toolCallId: string, toolName: string, providerExecuted?: boolean): ToolInputStartPart | undefined;
  /**
   * A piece of a call's input text. Returns its `tool-input-delta` part (with the partial input),
   * or `undefined` for an empty piece or a call that is not open.
   */
  delta(toolCallId: string, inputTextDelta: string): ToolInputDeltaPart | undefined;
  /**
   * The call's input is complete. Returns its `tool-call` part, or `undefined` when the call is not
   * open. `inputText`, when given, is the format's own copy of the whole input text (OpenAI's
   * `.done` events): it wins over the pieces.
   */
  end(toolCallId: string, inputText?: string): ToolCallPart | undefined;
  /** Ends every open call, in the order they began (at the end of the reply). */
  endAll(): ToolCallPart[];
  /** True when `toolCallId` is open. */
  isOpen(toolCallId: string): boolean;
  /** The ids of the calls still open, in the order they began. */
  openIds(): string[];
  /** How many calls have ended (valid or not) in this stream. */
  readonly endedCount: number;
}

/**
 * Creates the tool-call bookkeeping of one stream.
 *
 * The final input is `JSON.parse` of the input text (frozen, as the partial values are), `{}` for
 * an empty text (a call without arguments). Text that is not valid JSON gives a call marked
 * `invalid`, with the error and the best partial value, never a thrown error: a reply cut by the
 * token limit in the middle of its arguments still ends normally.
 *
 * @internal
 */
export function createToolCallAssembler(): ToolCallAssembler {
  const open = new Map<string, OpenCall>();
  let endedCount = 0;

  function finish(call: OpenCall, inputText?: string): ToolCallPart {
    open.delete(call.toolCallId);
    endedCount += 1;
    const text = inputText ?? call.text.text;
    const base = {
      type: 'tool-call' as const,
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      inputText: text,
      ...(call.providerExecuted ? { providerExecuted: true as const } : {}),
    };
    if (text.trim() === '') return { ...base, input: Object.freeze({}) };
    let parser = call.parser;
    if (inputText !== undefined && inputText !== call.text.text) {
      // The format's own copy differs from the pieces: parse it afresh.
      parser = createPartialJSONParser();
      try {
        parser.push(inputText);
      } catch {
        // Reported by end() below.
      }
    } else if (call.error !== undefined) {
      return { ...base, input: call.input, invalid: true, error: call.error };
    }
    try {
      return { ...base, input: parser.end() };
    } catch (error) {
      return { ...base, input: safeValue(parser), invalid: true, error: error as Error };
    }
  }

  return {
    start(toolCallId, toolName, providerExecuted) {
      if (open.has(toolCallId)) return undefined;
      const executed = providerExecuted === true ? (true as const) : undefined;
      open.set(toolCallId, {
        toolCallId,
        toolName,
        providerExecuted: executed,
        parser: createPartialJSONParser(),
        text: new TextAccumulator(),
        error: undefined,
        input: undefined,
      });
      return {
        type: 'tool-input-start',
        toolCallId,
        toolName,
        ...(executed ? { providerExecuted: executed } : {}),
      };
    },
    delta(toolCallId, inputTextDelta) {
      const call = open.get(toolCallId);
      if (call === undefined || inputTextDelta === '') return undefined;
      call.text.append(inputTextDelta);
      if (call.error === undefined) {
        try {
          call.parser.push(inputTextDelta);
          call.input = call.parser.value;
        } catch (error) {
          call.error = error as Error;
        }
      }
      return { type: 'tool-input-delta', toolCallId, inputTextDelta, input: call.input };
    },
    end(toolCallId, inputText) {
      const call = open.get(toolCallId);
      return call === undefined ? undefined : finish(call, inputText);
    },
    endAll() {
      return [...open.values()].map((call) => finish(call));
    },
    isOpen: (toolCallId) => open.has(toolCallId),
    openIds: () => [...open.keys()],
    get endedCount() {
      return endedCount;
    },
  };
}

function safeValue(parser: PartialJSONParser): unknown {
  try {
    return parser.value;
  } catch {
    return undefined;
  }
}
