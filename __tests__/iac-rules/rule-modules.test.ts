/**
 * iac-rules/rules/ holds one rule per file, and RULES lists each once. (docs/iac-rules.md's
 * rule table is written from the modules by npm run docs; __tests__/docs/generated.test.ts
 * fails when it is stale.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../../iac-rules';
import type { Rule } from '../../iac-rules/rule';

const ROOT = path.join(__dirname, '..', '..');

/** Each file of iac-rules/rules/ with the rules it exports. */
const modules = fs
  .readdirSync(path.join(ROOT, 'iac-rules', 'rules'))
  .filter((f) => f.endsWith('.ts'))
  .map((file) => ({ file, rules: Object.values(require(path.join(ROOT, 'iac-rules', 'rules', file))) as Rule[] }));

test('every file of iac-rules/rules/ exports exactly one rule, and RULES holds each once', () => {
  expect(modules.map((m) => [m.file, m.rules.length])).toEqual(modules.map((m) => [m.file, 1]));
  expect(RULES.length).toBe(modules.length);
  for (const m of modules) expect([m.file, RULES.filter((r) => r === m.rules[0]).length]).toEqual([m.file, 1]);
});
