/**
 * Policy widenings that follow from a stack the same change adds: adding a region to
 * an account of the example landing zone (templates/landing-zone/landing-zone.yaml)
 * widens the account's deploy role and the management SCP's exemptions. Expected,
 * shown, not dangerous; the same widening without the added stack stays dangerous.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseMatrixText, validateMatrix } from '../../config/load';
import type { Matrix } from '../../config/schema';
import { toMarkdown } from '../../review/report';
import { Review, reviewTrees } from '../../review/review';
import { synthesize } from '../../stacks/app';
import { reviewTrees as scratchTrees } from './trees';

const FILE = path.join(__dirname, '..', '..', 'templates', 'landing-zone', 'landing-zone.yaml');
const { dir } = scratchTrees('bedrock-review-added-');
const example = (): Matrix => parseMatrixText(fs.readFileSync(FILE, 'utf8'), FILE) as Matrix;
const tree = (m: Matrix): string => {
  const out = dir();
  synthesize(validateMatrix(m, FILE), out);
  return out;
};
const BASE = tree(example());
const ADDED = 'bedrock-logging-222222222222-eu-central-1';
const withRegion = example();
withRegion.accounts.find((a) => a.id === '222222222222')!.regions.push('eu-central-1');
const HEAD = tree(withRegion);
const dangerousOf = (r: Review) => r.stacks.flatMap((s) => s.changes.filter((c) => c.dangerous).map((c) => `${s.name} ${c.address}`));

/** The head with one stack's JSON edited (or removed). */
function headEdited(stack: string, edit?: (tf: { resource: Record<string, Record<string, Record<string, unknown>>> }) => void): string {
  const out = dir();
  fs.cpSync(HEAD, out, { recursive: true });
  const file = path.join(out, 'stacks', stack, 'cdk.tf.json');
  if (!edit) fs.rmSync(path.dirname(file), { recursive: true });
  else {
    const tf = JSON.parse(fs.readFileSync(file, 'utf8'));
    edit(tf);
    fs.writeFileSync(file, JSON.stringify(tf));
  }
  return out;
}

test('adding a region: the deploy role, its trust and the SCP exemptions widen for the added stack, shown and not dangerous', () => {
  const r = reviewTrees(BASE, HEAD);
  expect(dangerousOf(r)).toEqual([]);
  expect(r.dangerous).toBe(0);
  const expected = r.stacks.flatMap((s) => s.changes.filter((c) => c.expected).map((c) => `${s.name} ${c.address}: ${c.expected}`));
  expect(expected).toEqual([
    `bedrock-bootstrap-222222222222 aws_iam_role.deploy: widened for the added stack ${ADDED}`,
    `bedrock-bootstrap-222222222222 aws_iam_role_policy.deploy: widened for the added stack ${ADDED}`,
    `bedrock-management-999999999999 aws_organizations_policy.protect_logging_chain: widened for the added stack ${ADDED}`,
  ]);
  const md = toMarkdown(r);
  expect(md).toContain('No dangerous change.');
  expect(md).toContain(`update \`aws_iam_role_policy.deploy\`: widened for the added stack ${ADDED}`);
});

test('control: the same widenings without the added stack stay dangerous', () => {
  const r = reviewTrees(BASE, headEdited(ADDED));
  expect(dangerousOf(r)).toEqual([
    'bedrock-bootstrap-222222222222 aws_iam_role.deploy',
    'bedrock-bootstrap-222222222222 aws_iam_role_policy.deploy',
    'bedrock-management-999999999999 aws_organizations_policy.protect_logging_chain',
  ]);
  expect(r.stacks.flatMap((s) => s.changes.filter((c) => c.expected))).toEqual([]);
});

test('a value added alongside that belongs to no added stack keeps the widening dangerous', () => {
  const head = headEdited('bedrock-bootstrap-222222222222', (tf) => {
    const role = tf.resource.aws_iam_role_policy.deploy;
    role.policy = String(role.policy).replace('"eu-central-1"', '"eu-central-1","ap-south-1"');
  });
  expect(dangerousOf(reviewTrees(BASE, head))).toEqual(['bedrock-bootstrap-222222222222 aws_iam_role_policy.deploy']);
});

test('an added stack is one line in review.md, with its resource count and types; review.json keeps every change and a summary', () => {
  const r = reviewTrees(BASE, HEAD);
  const added = r.stacks.find((s) => s.name === ADDED)!;
  expect(added.status).toBe('added');
  expect(added.changes.length).toBeGreaterThan(40);
  expect(added.added!.resources).toBe(added.changes.length);
  expect(Object.values(added.added!.types).reduce((a, b) => a + b, 0)).toBe(added.changes.length);
  const md = toMarkdown(r);
  const lines = md.split('\n').filter((l) => l.includes(ADDED));
  // The stack table row and the one line per intent; no `+ create` line per resource.
  expect(lines.filter((l) => l.startsWith('- `+`'))).toEqual([
    expect.stringMatching(new RegExp(`^- \`\\+\` \`${ADDED}\`: added, ${added.changes.length} resources \\(types: [a-z_]+ \\d+, `)),
  ]);
  expect(md).not.toMatch(new RegExp(`create \`[^\`]+\` — in \`${ADDED}\``));
});

describe('a region that leaves the matrix while the same change narrows what it needs', () => {
  const LEAVING = 'bedrock-logging-333333333333-eu-west-1';
  const without = example();
  const prod = without.accounts.find((a) => a.id === '333333333333')!;
  prod.regions = prod.regions.filter((r) => (typeof r === 'string' ? r : r.region) !== 'eu-west-1');
  const HEAD_LEFT = tree(without);

  test('the deploy role and the SCP exemptions drop its region: a warning under the leaving stack, decommission.txt named', () => {
    const r = reviewTrees(BASE, HEAD_LEFT);
    const left = r.stacks.find((s) => s.name === LEAVING)!;
    expect(left.status).toBe('leaves');
    const by = left.decommission!.narrowedBy!.map((n) => `${n.stack} ${n.address}: ${n.dropped.join(' ')}`);
    expect(by).toEqual(
      expect.arrayContaining([
        'bedrock-bootstrap-333333333333 aws_iam_role_policy.deploy: eu-west-1',
        expect.stringMatching(/^bedrock-bootstrap-333333333333 aws_iam_role\.deploy: .*-333333333333-eu-west-1:/),
        'bedrock-management-999999999999 aws_organizations_policy.protect_logging_chain: arn:aws:iam::*:role/bedrock-invocation-logging-eu-west-1',
      ]),
    );
    const md = toMarkdown(r);
    const section = md.slice(md.indexOf('### Stacks that leave the matrix'));
    expect(section).toMatch(
      /- \*\*warning\*\*: this change also narrows what the still-running stack needs: .*`aws_iam_role_policy.deploy`/,
    );
    expect(section).toContain(`list \`${LEAVING}\` in \`decommission.txt\` in this pull request`);
  });

  test('control: the same stack leaving while the bootstrap and management stacks stay as they were: no warning', () => {
    const head = dir();
    fs.cpSync(HEAD_LEFT, head, { recursive: true });
    for (const s of ['bedrock-bootstrap-333333333333', 'bedrock-management-999999999999'])
      fs.cpSync(path.join(BASE, 'stacks', s), path.join(head, 'stacks', s), { recursive: true });
    const r = reviewTrees(BASE, head);
    expect(r.stacks.find((s) => s.name === LEAVING)!.decommission!.narrowedBy).toBeUndefined();
    expect(toMarkdown(r)).not.toContain('**warning**: this change also narrows');
  });
});
