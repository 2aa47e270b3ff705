// The documents promise recipes that pass as they stand: each recipe they show is one of the files
// beside this test, shown whole and verbatim in a fenced code block, and run by the tests here.
// Edit a recipe here, then copy it into its document (docs/testing.md, docs/recipes.md).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const recipe = (name: string) => read(`./${name}`).trimEnd();

/** The contents of the document's fenced code blocks (```ts … ```), in order. */
function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```[\w-]*\n([\s\S]*?)\n```$/gm)].map((match) => match[1]!);
}

const documents = {
  'docs/testing.md': {
    text: read('../../../../docs/testing.md'),
    recipes: [
      'chat.tsx',
      'chat.test.tsx',
      'chat.fake-timers.test.tsx',
      'chat.msw.test.tsx',
      'ask.ts',
      'stream-tokens.test.ts',
      'tool-call.test.ts',
    ],
  },
  'docs/recipes.md': {
    text: read('../../../../docs/recipes.md'),
    recipes: ['weather-chat.ts', 'structured-output.ts', 'my-protocol.ts', 'job-progress.ts'],
  },
};

describe.each(Object.entries(documents))('%s', (_name, { text, recipes }) => {
  it.each(recipes)('shows %s whole and verbatim', (name) => {
    expect(codeBlocks(text).includes(recipe(name)), `${name} differs from its code block in the document`).toBe(true);
  });
});

// docs/testing.md also shows import lines and an excerpt of the jest test (test-jest/); every block
// of docs/recipes.md is a recipe, so no code there goes untested.
it('docs/recipes.md shows no code block that is not a recipe', () => {
  const { text, recipes } = documents['docs/recipes.md'];
  const sources = new Set(recipes.map(recipe));
  const untested = codeBlocks(text).filter((block) => !sources.has(block));
  expect(untested, 'code blocks that are no recipe file (add the file, its test, and its name here)').toEqual([]);
});

it('documents every recipe that is not a test', () => {
  const documented = new Set(Object.values(documents).flatMap(({ recipes }) => recipes));
  const sources = readdirSync(dirname(fileURLToPath(import.meta.url))).filter((name) => /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name));
  expect(sources.filter((name) => !documented.has(name))).toEqual([]);
});
