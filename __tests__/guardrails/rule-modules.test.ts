/**
 * docs/guardrails.md's rule table restates guardrails/rules/: one row per rule, with
 * its ID, file, standards and title, rendered from the rule module itself. This test
 * fails when a rule is added, removed, renamed, reworded or moved to another file and
 * the table does not follow; the expected rows are in its failure message.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../../guardrails';
import { RULE_TABLE_HEADER, ruleTableRow } from '../../guardrails/report';
import type { Rule } from '../../guardrails/rule';

const ROOT = path.join(__dirname, '..', '..');
const doc = fs.readFileSync(path.join(ROOT, 'docs', 'guardrails.md'), 'utf8');
const begin = doc.indexOf('<!-- rules:begin');
const table = doc
  .slice(doc.indexOf('\n', begin) + 1, doc.indexOf('<!-- rules:end -->'))
  .trimEnd()
  .split('\n');

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

test('the table in docs/guardrails.md is the rules, row for row, in the order of RULES', () => {
  expect(begin).toBeGreaterThan(0);
  const fileOf = (rule: Rule) => modules.find((m) => m.rules.includes(rule))!.file;
  expect(table).toEqual([...RULE_TABLE_HEADER, ...RULES.map((r) => ruleTableRow(fileOf(r), r))]);
});

test('the README keeps no copy of the table and links to it', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  for (const r of RULES) expect([r.id, readme.includes(`${r.id} |`) || readme.includes(`| ${r.standards.join(', ')} |`)]).toEqual([r.id, false]);
  expect(readme).toContain('[docs/guardrails.md](docs/guardrails.md)');
});
