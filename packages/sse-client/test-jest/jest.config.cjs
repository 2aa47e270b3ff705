// Jest smoke test of the BUILT package (run `pnpm --filter @tokenstream/sse-client build` first):
// `require('@tokenstream/sse-client/testing')` resolves through the package's exports to dist/*.cjs.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>'],
  testEnvironment: 'node',
  testMatch: ['**/*.jest.test.cjs'],
};
