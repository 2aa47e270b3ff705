// The AI SDK's `createEventSourceResponseHandler` lives in `@ai-sdk/provider-utils`, a dependency
// of `ai` rather than of this package: it is loaded from where `ai` resolves it (pnpm does not
// hoist it), so the benchmark measures exactly the version the installed `ai` uses.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The result of parsing one event's data, as provider-utils' `safeParseJSON` returns it. */
type ParseResult<T> = { readonly success: true; readonly value: T } | { readonly success: false; readonly error: unknown };

export interface AISDKHandler {
  readonly version: string;
  readonly jsonSchema: (schema: object) => unknown;
  readonly createEventSourceResponseHandler: <T>(
    schema: unknown,
  ) => (options: {
    response: Response;
    url: string;
    requestBodyValues: unknown;
  }) => Promise<{ value: ReadableStream<ParseResult<T>> }>;
}

/** Loads `@ai-sdk/provider-utils` through `ai`'s own resolution; `undefined` when it cannot be found. */
export async function loadAISDKHandler(): Promise<AISDKHandler | undefined> {
  try {
    const aiEntry = fileURLToPath(import.meta.resolve('ai'));
    const fromAI = createRequire(aiEntry);
    const entry = fromAI.resolve('@ai-sdk/provider-utils');
    let directory = dirname(entry);
    while (!directory.endsWith(join('@ai-sdk', 'provider-utils'))) directory = dirname(directory);
    const { version } = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { version: string };
    const module = (await import(pathToFileURL(entry).href)) as Omit<AISDKHandler, 'version'>;
    return { version, jsonSchema: module.jsonSchema, createEventSourceResponseHandler: module.createEventSourceResponseHandler };
  } catch {
    return undefined;
  }
}
