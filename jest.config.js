// Jest runs TypeScript through SWC; type-graphql needs decorator metadata.
/** @type {import('jest').Config} */
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
}];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': swc },
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
  // Whether PostgreSQL answers is asked once; the suites it skipped are counted in one line at the end.
  globalSetup: '<rootDir>/test/support/postgres-check.ts',
  globalTeardown: '<rootDir>/test/support/postgres-summary.ts',
};
