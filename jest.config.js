/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // tsconfig sets isolatedModules, so ts-jest transpiles file by file; `npm test` type-checks once with tsc first.
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.js'],
  // One worker per core (jest's default leaves one idle): the Terraform suites mostly wait on terraform processes.
  maxWorkers: '100%',
};
