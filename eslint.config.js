/**
 * ESLint (flat config): @eslint/js and typescript-eslint's recommended rules, with
 * no-explicit-any an error. `npm run lint` runs it (and .ci/run
 * before the tests). Formatting is Prettier's (.prettierrc.json, `npm run format`).
 */
const js = require('@eslint/js');
const globals = require('globals');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['dist/', 'cdktf.out/', 'node_modules/', '**/*.d.ts', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // JSON read from files and processes is typed (review/terraform-json.ts) or `unknown` narrowed by guards.
      '@typescript-eslint/no-explicit-any': 'error',
      // `const { dropped, ...rest } = x` omits a key; `_` names a value that is not used.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-unused-expressions': ['error', { allowTernary: true, allowShortCircuit: true }],
    },
  },
  {
    // Tests load some modules lazily, after setting up the environment they read.
    files: ['__tests__/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Config, jest setup and workflow scripts: CommonJS run by node.
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.jest } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
