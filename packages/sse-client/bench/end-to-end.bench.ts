// End to end, bytes to tokens: an OpenAI Chat Completions reply of one-token chunks, pre-built as
// bytes and served as a `Response` whose body hands out one chunk per read, read by tokenstream's
// `streamTokens` (default idle timeout, and `idleTimeout: false`), openai-node's `Stream`, the AI
// SDK's `createEventSourceResponseHandler` and the naive hand-written reader loop; then a tool call
// whose arguments stream in small deltas, read by `streamParts` and by openai-node's
// `ChatCompletionStream`. Output checked first (a candidate that differs is flagged, not timed),
// interleaved rounds, medians and per-round ratios.
//
// Run from the repository root: `pnpm bench` (everything) or `pnpm bench:quick`; alone:
//   pnpm tsx --conditions=@tokenstream/source packages/sse-client/bench/end-to-end.bench.ts [--quick]
import { isDeepStrictEqual } from 'node:util';
import OpenAI from 'openai';
import { Stream } from 'openai/streaming';
import { openAIChatProtocol, streamParts, streamTokens } from '../src/index.js';
import { loadAISDKHandler } from './ai-sdk-handler.js';
import { BUILD, cell, CLOCK, machine, measure, printTable, progress, QUICK, roundRatio, streamOf, targetLine, type Contender } from './harness.js';
import { tokenReply, toolCallReply, WRITE_FILE_PARAMETERS, type TokenReply, type ToolCallReply } from './openai-streams.js';

const ROUNDS = QUICK ? 3 : 7;
const SAMPLE_MS = QUICK ? 5 : 40;
const TOKENS = QUICK ? 2_000 : 20_000;
const ARGUMENTS_SIZE = QUICK ? 4 * 1024 : 32 * 1024;
const URL = 'http://127.0.0.1:9/v1/chat/completions'; // never contacted: every candidate gets a fake fetch

const respond = (chunks: readonly Uint8Array[]): Response =>
  new Response(streamOf(chunks), { headers: { 'content-type': 'text/event-stream' } });

/** The fields of a chat completion chunk that the candidates read. */
interface ChunkShape {
  readonly choices: readonly { readonly delta?: { readonly content?: string | null } }[];
}

// --- Bytes to tokens ----------------------------------------------------------------------------

interface TokenCandidate {
  readonly name: string;
  readonly run: (reply: TokenReply, sink: (token: string) => void) => Promise<void>;
}

const STREAM_TOKENS = 'tokenstream streamTokens (openAIChatProtocol)';

const streamTokensWith = (name: string, idleTimeout?: false): TokenCandidate => ({
  name,
  async run({ chunks }, sink) {
    const fetch = (): Promise<Response> => Promise.resolve(respond(chunks));
    const options = idleTimeout === false ? { idleTimeout } : {};
    for await (const token of streamTokens(URL, { protocol: openAIChatProtocol, fetch, ...options })) sink(token);
  },
});

const openAIStream: TokenCandidate = {
  name: 'openai-node Stream.fromSSEResponse',
  async run({ chunks }, sink) {
    const stream = Stream.fromSSEResponse<ChunkShape>(respond(chunks), new AbortController());
    for await (const chunk of stream) {
      const token = chunk.choices[0]?.delta?.content;
      if (token) sink(token);
    }
  },
};

const aiSDK = await loadAISDKHandler();

const aiSDKHandler: TokenCandidate | undefined = aiSDK && {
  name: `AI SDK createEventSourceResponseHandler (provider-utils ${aiSDK.version})`,
  async run({ chunks }, sink) {
    const handler = aiSDK.createEventSourceResponseHandler<ChunkShape>(aiSDK.jsonSchema({ type: 'object' }));
    const { value } = await handler({ response: respond(chunks), url: URL, requestBodyValues: {} });
    const reader = value.getReader();
    for (let result = await reader.read(); !result.done; result = await reader.read()) {
      if (!result.value.success) throw result.value.error;
      const token = result.value.value.choices[0]?.delta?.content;
      if (token) sink(token);
    }
  },
};

/** The reader loop users write by hand: decode, split on "\n\n", JSON.parse each `data: ` line. */
const naiveReaderLoop: TokenCandidate = {
  name: 'naive hand-written reader loop',
  async run({ chunks }, sink) {
    const reader = respond(chunks).body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      const events = buffer.split('\n\n');
      buffer = events.pop() ?? '';
      for (const event of events) {
        for (const line of event.split('\n')) {
          if (!line.startsWith('data: ')) continue;
          const data = line.slice(6);
          if (data === '[DONE]') return;
          const token = (JSON.parse(data) as ChunkShape).choices[0]?.delta?.content;
          if (token) sink(token);
        }
      }
    }
  },
};

const tokenCandidates: TokenCandidate[] = [
  streamTokensWith(STREAM_TOKENS),
  streamTokensWith(`${STREAM_TOKENS}, idleTimeout: false`, false),
  openAIStream,
  ...(aiSDKHandler ? [aiSDKHandler] : []),
  naiveReaderLoop,
];

async function tokenDifference(candidate: TokenCandidate, reply: TokenReply): Promise<string | undefined> {
  const tokens: string[] = [];
  try {
    await candidate.run(reply, (token) => tokens.push(token));
  } catch (error) {
    return `throws ${(error as Error).name}: ${(error as Error).message.slice(0, 60)}`;
  }
  if (tokens.length !== reply.tokens.length) return `differs: ${tokens.length} tokens of ${reply.tokens.length}`;
  const index = tokens.findIndex((token, at) => token !== reply.tokens[at]);
  return index === -1 ? undefined : `differs: token ${index}`;
}

async function tokenContenders(reply: TokenReply): Promise<Contender[]> {
  let check = 0;
  const sink = (token: string): void => {
    check += 1 + token.length;
  };
  return Promise.all(
    tokenCandidates.map(async (candidate) => ({
      name: candidate.name,
      expected: reply.check,
      skip: await tokenDifference(candidate, reply),
      run: async () => {
        check = 0;
        await candidate.run(reply, sink);
        return check;
      },
    })),
  );
}

// --- Tool-call arguments --------------------------------------------------------------------------

/** What a candidate saw of the tool call: its argument deltas (each with the current partial value) and the end. */
interface ToolCallSink {
  /** One piece of the arguments' text, with the current partial value (empty pieces are not counted). */
  delta(piece: string, partial: unknown): void;
  done(name: string, argumentsText: string, input: unknown): void;
}

interface ToolCandidate {
  readonly name: string;
  readonly run: (reply: ToolCallReply, sink: ToolCallSink) => Promise<void>;
}

const STREAM_PARTS = 'tokenstream streamParts (openAIChatProtocol)';

const streamPartsCandidate: ToolCandidate = {
  name: STREAM_PARTS,
  async run({ chunks }, sink) {
    const fetch = (): Promise<Response> => Promise.resolve(respond(chunks));
    for await (const part of streamParts(URL, { protocol: openAIChatProtocol, fetch })) {
      if (part.type === 'tool-input-delta') sink.delta(part.inputTextDelta, part.input);
      else if (part.type === 'tool-call') sink.done(part.toolName, part.inputText, part.input);
    }
  },
};

const chatCompletionStream: ToolCandidate = {
  name: 'openai-node ChatCompletionStream (strict tool: parsed_arguments)',
  async run({ chunks, name }, sink) {
    const fetch = (): Promise<Response> => Promise.resolve(respond(chunks));
    const client = new OpenAI({ apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:9/v1', fetch, maxRetries: 0 });
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Edit the handlers.' }],
      tools: [{ type: 'function', function: { name, parameters: WRITE_FILE_PARAMETERS, strict: true } }],
    });
    stream.on('tool_calls.function.arguments.delta', (event) => sink.delta(event.arguments_delta, event.parsed_arguments));
    const completion = await stream.finalChatCompletion();
    const call = completion.choices[0]?.message.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('no function call in the final completion');
    sink.done(call.function.name, call.function.arguments, call.function.parsed_arguments);
  },
};

const toolCandidates = [streamPartsCandidate, chatCompletionStream];

async function toolDifference(candidate: ToolCandidate, reply: ToolCallReply): Promise<string | undefined> {
  let deltas = 0;
  let end: { name: string; text: string; input: unknown } | undefined;
  try {
    await candidate.run(reply, {
      delta: (piece) => (deltas += piece === '' ? 0 : 1),
      done: (name, text, input) => (end = { name, text, input }),
    });
  } catch (error) {
    return `throws ${(error as Error).name}: ${(error as Error).message.slice(0, 60)}`;
  }
  if (deltas !== reply.deltas) return `differs: ${deltas} deltas of ${reply.deltas}`;
  if (end === undefined) return 'differs: no complete tool call';
  if (end.name !== reply.name || end.text !== reply.argumentsText) return 'differs: name or arguments text';
  if (!isDeepStrictEqual(end.input, JSON.parse(reply.argumentsText))) return 'differs: parsed arguments';
  return undefined;
}

async function toolContenders(reply: ToolCallReply): Promise<Contender[]> {
  let check = 0;
  const sink: ToolCallSink = {
    delta: (piece) => (check += piece === '' ? 0 : 1),
    done: (_name, text) => (check += text.length),
  };
  return Promise.all(
    toolCandidates.map(async (candidate) => ({
      name: candidate.name,
      expected: reply.deltas + reply.argumentsText.length,
      skip: await toolDifference(candidate, reply),
      run: async () => {
        check = 0;
        await candidate.run(reply, sink);
        return check;
      },
    })),
  );
}

// --- Run ------------------------------------------------------------------------------------------

console.log(`\n## End to end (${QUICK ? 'quick' : 'full'}: ${ROUNDS} interleaved rounds of samples ≥ ${SAMPLE_MS} ms of ${CLOCK})`);
console.log(`Machine: ${machine()}`);
console.log(`tokenstream: ${BUILD}`);
if (!aiSDK) console.log('Note: @ai-sdk/provider-utils could not be resolved through `ai`: its row is missing.');

const reply = tokenReply(TOKENS);
progress(`bytes to tokens: ${TOKENS.toLocaleString('en')} one-token chunks, ${ROUNDS} rounds`);
const tokens = await measure(await tokenContenders(reply), { reference: STREAM_TOKENS, rounds: ROUNDS, sampleMs: SAMPLE_MS });

const toolReply = toolCallReply(ARGUMENTS_SIZE);
progress(`tool-call arguments: ${toolReply.argumentsText.length.toLocaleString('en')} characters in ${toolReply.deltas.toLocaleString('en')} deltas, ${ROUNDS} rounds`);
const tools = await measure(await toolContenders(toolReply), { reference: STREAM_PARTS, rounds: ROUNDS, sampleMs: SAMPLE_MS });

console.log(`\n### Bytes to tokens: ${TOKENS.toLocaleString('en')} OpenAI chat-completion chunks of one token, one per network chunk`);
console.log(`Median ${CLOCK} per reply; ratio = ${STREAM_TOKENS}'s time ÷ this row's, median of per-round ratios (below 1: tokenstream is faster).`);
console.log('The AI SDK row uses a schema without validation (its OpenAI provider validates each chunk with zod on top).');
printTable('', ['candidate', 'time per reply  ratio'], tokens.map((result) => [result.name, cell(result)]));

console.log(`\n### Tool-call arguments: ${toolReply.argumentsText.length.toLocaleString('en')} characters of JSON in ${toolReply.deltas.toLocaleString('en')} deltas of 1–7 characters`);
console.log(`ratio = ${STREAM_PARTS}'s time ÷ this row's. streamParts parses the arguments incrementally and has the`);
console.log('current value at every delta; ChatCompletionStream re-parses the whole text only once it has grown by half (parsed_arguments lags).');
printTable('', ['candidate', 'time per reply  ratio'], tools.map((result) => [result.name, cell(result)]));

const byName = (list: typeof tokens, name: string) => list.find((result) => result.name.startsWith(name));
const withoutTimer = byName(tokens, `${STREAM_TOKENS}, idleTimeout: false`);
const openAI = byName(tokens, 'openai-node Stream');
console.log("\nTargets of the issue (tokenstream's time ÷ the other's: median of the rounds; their range; fastest sample ÷ fastest):");
console.log(targetLine('streamTokens ÷ openai-node Stream', openAI, 0.5));
console.log(targetLine('streamTokens (idleTimeout: false) ÷ openai-node Stream', roundRatio(withoutTimer, openAI), 0.5));
console.log(targetLine('streamTokens (default) ÷ streamTokens (idleTimeout: false)', withoutTimer, 1.05));
console.log(targetLine('streamParts ÷ openai-node ChatCompletionStream', byName(tools, 'openai-node'), 0.5));
