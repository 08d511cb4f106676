/**
 * docs/review.md's table of dangerous changes restates review/rules/: one row per cause,
 * with the file of its rule. This test fails when a rule is added, removed, renamed or
 * moved to another file and the table does not follow.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BUILTIN_CAUSES, RULES } from '../../review/rules';

const ROOT = path.join(__dirname, '..', '..');
const doc = fs.readFileSync(path.join(ROOT, 'docs', 'review.md'), 'utf8');
const section = doc.slice(doc.indexOf('## Dangerous changes'), doc.indexOf('\n## ', doc.indexOf('## Dangerous changes') + 1));

/** [cause, rule file or "(review)"] of each row. */
const rows: [string, string][] = section
  .slice(section.indexOf('|---'))
  .split('\n')
  .filter((l) => l.startsWith('| `'))
  .map((l) => {
    const [cause, file] = l.slice(2).split(' | ');
    return [/^`([\w-]+)`/.exec(cause)![1], file.replace(/`/g, '')];
  });

/** [cause, file] of every rule in RULES, found by which file of review/rules/ exports it. */
const fromCode: [string, string][] = (() => {
  const dir = path.join(ROOT, 'review', 'rules');
  const out: [string, string][] = [];
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !['index.ts', 'types.ts'].includes(f))) {
    const exported = Object.values(require(path.join(dir, f)));
    for (const rule of RULES.filter((r) => exported.includes(r))) out.push([rule.cause, f]);
  }
  return [...out, ...Object.keys(BUILTIN_CAUSES).map((c): [string, string] => [c, '(review)'])];
})();

test('every rule is exported by a file of review/rules/', () => {
  expect(fromCode.filter(([, f]) => f !== '(review)')).toHaveLength(RULES.length);
});

test('the table has one row per cause, with the file of its rule, and no other', () => {
  expect(rows.length).toBeGreaterThan(5);
  expect(rows.slice().sort()).toEqual(fromCode.slice().sort());
});
