/**
 * review/rules/: every danger rule a file exports is listed in RULES (a rule written but
 * not listed would never run), each once, with a cause of its own. (docs/review.md's
 * rule table is written from RULES by npm run docs; __tests__/docs/generated.test.ts
 * fails when it is stale.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { BUILTIN_CAUSES, RULES } from '../../review/rules';
import type { DangerRule } from '../../review/rules/types';

const DIR = path.join(__dirname, '..', '..', 'review', 'rules');
const isRule = (v: unknown): v is DangerRule =>
  !!v && typeof v === 'object' && typeof (v as DangerRule).cause === 'string' && typeof (v as DangerRule).check === 'function';
const exported = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.ts') && !['index.ts', 'types.ts'].includes(f))
  .flatMap((f) =>
    Object.values(require(path.join(DIR, f)))
      .filter(isRule)
      .map((rule) => ({ file: f, rule })),
  );

test('every rule a file of review/rules/ exports is in RULES, and RULES holds only those, each once', () => {
  expect(exported.length).toBeGreaterThan(5);
  expect(exported.filter((e) => !RULES.includes(e.rule)).map((e) => `${e.file}: ${e.rule.cause}`)).toEqual([]);
  expect(RULES.filter((r) => !exported.some((e) => e.rule === r)).map((r) => r.cause)).toEqual([]);
  expect(new Set(RULES).size).toBe(RULES.length);
});

test('every cause is its own: no two rules, and no rule and a cause of the review itself, share one', () => {
  const causes = [...RULES.map((r) => r.cause), ...Object.keys(BUILTIN_CAUSES)];
  expect(causes.filter((c, i) => causes.indexOf(c) !== i)).toEqual([]);
});
