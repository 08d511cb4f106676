/**
 * Three test tiers, chosen by file name (see docs/testing.md):
 * - unit       `*.test.ts`: no Terraform, no dist/, no child processes (a process start fails the test);
 * - cli        `*.cli.test.ts`: spawns the built app and tools; dist/ is built once (globalSetup);
 * - terraform  `*.terraform.test.ts`: runs real Terraform offline (and may use dist/ too).
 * `jest` runs all three; `jest --selectProjects unit` (npm run test:unit) one.
 */
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  // tsconfig sets isolatedModules, so ts-jest transpiles file by file; `npm test` type-checks once with tsc first.
  transform: { '^.+\\.ts$': 'ts-jest' },
};

/** @type {import('jest').Config} */
module.exports = {
  // One worker per core (jest's default leaves one idle): the Terraform suites mostly wait on terraform processes.
  maxWorkers: '100%',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.cli\\.test\\.ts$', '\\.terraform\\.test\\.ts$'],
      setupFilesAfterEnv: ['<rootDir>/__tests__/setup.js', '<rootDir>/__tests__/setup-unit.js'],
    },
    {
      ...common,
      displayName: 'cli',
      testMatch: ['**/*.cli.test.ts'],
      globalSetup: '<rootDir>/__tests__/build-dist.js',
      setupFilesAfterEnv: ['<rootDir>/__tests__/setup.js'],
    },
    {
      ...common,
      displayName: 'terraform',
      testMatch: ['**/*.terraform.test.ts'],
      globalSetup: '<rootDir>/__tests__/build-dist.js',
      setupFilesAfterEnv: ['<rootDir>/__tests__/setup.js'],
    },
  ],
};
