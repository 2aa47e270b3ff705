// The AI SDK as the reference for its own UI message stream: `streamText` over a mock model makes
// the bytes (`toUIMessageStreamResponse()`), and the AI SDK's own client side reads them back
// (`parseJsonEventStream` with `uiMessageChunkSchema`, then `readUIMessageStream`), as its chat
// transport does. Test-only: `ai` is a dev dependency; no network.
import {
  parseJsonEventStream,
  readUIMessageStream,
  simulateReadableStream,
  streamText,
  uiMessageChunkSchema,
  type ToolSet,
  type UIMessage,
  type UIMessageChunk,
} from 'ai';
import { MockLanguageModelV3 } from 'ai/test';

/** A part of what a language model streams (the AI SDK's provider-level `LanguageModelV3StreamPart`). */
export type ModelStreamPart =
  Awaited<ReturnType<MockLanguageModelV3['doStream']>>['stream'] extends ReadableStream<infer Part> ? Part : never;

/**
 * The body bytes of `streamText({ model, prompt, tools }).toUIMessageStreamResponse()`, the model
 * being a mock that streams `parts`. Stream errors are sent with their own message (`onError`
 * returns `error.message`; the AI SDK's default hides it behind "An error occurred.").
 */
export async function uiMessageStreamBytes(parts: readonly ModelStreamPart[], tools?: ToolSet): Promise<Uint8Array> {
  const model = new MockLanguageModelV3({
    doStream: async () => ({ stream: simulateReadableStream({ chunks: [...parts] }) }),
  });
  const result = streamText({ model, prompt: 'test', ...(tools === undefined ? {} : { tools }), onError: () => undefined });
  const response = result.toUIMessageStreamResponse({
    onError: (error) => (error instanceof Error ? error.message : String(error)),
  });
  return new Uint8Array(await response.arrayBuffer());
}

/** What the AI SDK's client side reads from UI message stream bytes. */
export interface UIMessageStreamReading {
  /** The chunks, as its transport parses them (`parseJsonEventStream` + `uiMessageChunkSchema`). */
  readonly chunks: readonly UIMessageChunk[];
  /** The assistant message `readUIMessageStream` built, as it stood last. */
  readonly message: UIMessage | undefined;
  /** What `readUIMessageStream` threw (with `terminateOnError`), when the stream carried an error. */
  readonly error: unknown;
}

function body(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new Response(bytes.slice()).body as ReadableStream<Uint8Array>;
}

async function parsedChunks(bytes: Uint8Array): Promise<UIMessageChunk[]> {
  const chunks: UIMessageChunk[] = [];
  const reader = parseJsonEventStream({ stream: body(bytes), schema: uiMessageChunkSchema }).getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    if (!read.value.success) throw read.value.error;
    chunks.push(read.value.value);
  }
  return chunks;
}

/** Reads UI message stream bytes with the AI SDK's own client-side functions. */
export async function readWithAISDK(bytes: Uint8Array): Promise<UIMessageStreamReading> {
  const chunks = await parsedChunks(bytes);
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  let message: UIMessage | undefined;
  try {
    for await (const snapshot of readUIMessageStream({ stream, terminateOnError: true })) message = snapshot;
  } catch (error) {
    return { chunks, message, error };
  }
  return { chunks, message, error: undefined };
}
