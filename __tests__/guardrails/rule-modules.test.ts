/**
 * guardrails/rules/ holds one rule per file, and RULES lists each once. (docs/guardrails.md's
 * rule table is written from the modules by npm run docs; __tests__/docs/generated.test.ts
 * fails when it is stale.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../../guardrails';
import type { Rule } from '../../guardrails/rule';

const ROOT = path.join(__dirname, '..', '..');

/** Each file of guardrails/rules/ with the rules it exports. */
const modules = fs
  .readdirSync(path.join(ROOT, 'guardrails', 'rules'))
  .filter((f) => f.endsWith('.ts'))
  .map((file) => ({ file, rules: Object.values(require(path.join(ROOT, 'guardrails', 'rules', file))) as Rule[] }));

test('every file of guardrails/rules/ exports exactly one rule, and RULES holds each once', () => {
  expect(modules.map((m) => [m.file, m.rules.length])).toEqual(modules.map((m) => [m.file, 1]));
  expect(RULES.length).toBe(modules.length);
  for (const m of modules) expect([m.file, RULES.filter((r) => r === m.rules[0]).length]).toEqual([m.file, 1]);
});
