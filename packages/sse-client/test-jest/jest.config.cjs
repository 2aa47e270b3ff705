// Jest smoke test of the BUILT package (run `pnpm --filter @tokenstream/sse-client build` first):
// `require('@tokenstream/sse-client/testing')` resolves through the package's exports to dist/*.cjs.
// The same tests run in jest's Node environment and in jsdom (jest-fixed-jsdom: jest's jsdom
// environment with Node's fetch, streams and TextEncoder, which the stock one leaves out).
/** @type {import('jest').Config} */
const project = (displayName, testEnvironment) => ({
  displayName,
  rootDir: __dirname,
  roots: ['<rootDir>'],
  testEnvironment,
  testMatch: ['**/*.jest.test.cjs'],
});

module.exports = { projects: [project('node', 'node'), project('jsdom', 'jest-fixed-jsdom')] };
