// The README and docs/testing.md promise recipes that pass as they stand: they must be these
// files, verbatim. Edit a recipe here, then copy it to both documents.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const recipe = (name: string) => read(`./${name}`).trimEnd();

const documents = {
  'README.md': { text: read('../../../../README.md'), recipes: ['chat.tsx', 'chat.test.tsx', 'chat.fake-timers.test.tsx', 'chat.msw.test.tsx'] },
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
};

describe.each(Object.entries(documents))('%s', (_name, { text, recipes }) => {
  it.each(recipes)('shows %s verbatim', (name) => {
    expect(text.includes(recipe(name)), `${name} differs from its copy in the document`).toBe(true);
  });
});
