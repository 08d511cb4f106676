/**
 * Policies as statement diffs with real values, and widened / narrowed / changed
 * computed from sets (issue 25, item 2): unit tier, on hand-made documents and on
 * the synthesized landing zone with every option on (a region leaving one account).
 */
import { policyDiff, policyUndecided, policyWidening } from '../../review/policy-diff';
import { toJson, toMarkdown } from '../../review/report';
import { reviewTrees } from '../../review/review';
import { EVERYTHING_ON } from '../everything-matrix';
import { reviewTrees as synthTrees } from './trees';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const allow = (over: object = {}) => ({ Sid: 'A', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*', ...over });
const deny = (over: object = {}) => ({ Sid: 'D', Effect: 'Deny', Action: 's3:*', Resource: '*', ...over });
const effects = (b: object, a: object) => policyDiff('policy', doc(b), doc(a)).map((l) => [l.path, l.effect]);

describe('widened, narrowed or changed, from sets', () => {
  test('the words of a widening say which way it goes', () => {
    expect(policyWidening(doc(deny({ Action: ['s3:DeleteObject', 's3:PutObject'] })), doc(deny({ Action: 's3:PutObject' })))).toEqual([
      'D: Deny no longer covers s3:DeleteObject',
    ]);
    expect(
      policyWidening(
        doc({ ...allow(), Action: undefined, NotAction: ['s3:DeleteObject', 's3:PutObject'] }),
        doc({ ...allow(), Action: undefined, NotAction: 's3:PutObject' }),
      ),
    ).toEqual(['A: NotAction no longer excludes s3:DeleteObject']);
    expect(
      policyWidening(
        doc(deny({ NotAction: 's3:GetObject', Action: undefined })),
        doc(deny({ NotAction: ['s3:GetObject', 's3:PutObject'], Action: undefined })),
      ),
    ).toEqual(['D: Deny NotAction now exempts s3:PutObject']);
  });

  test.each([
    ['an action added to an Allow', allow(), allow({ Action: ['s3:GetObject', 's3:PutObject'] }), 'widens'],
    ['an action removed from an Allow', allow({ Action: ['s3:GetObject', 's3:PutObject'] }), allow(), 'narrows'],
    [
      'an action a wildcard already covered',
      allow({ Action: 's3:Get*' }),
      allow({ Action: ['s3:GetObject', 's3:GetObjectVersion'] }),
      'narrows',
    ],
    ['a wildcard replacing actions', allow(), allow({ Action: 's3:*' }), 'widens'],
    ['a resource removed from an Allow', allow({ Resource: ['arn:aws:s3:::b/*', 'arn:aws:s3:::c/*'] }), allow(), 'narrows'],
    [
      'a region removed from StringEquals aws:RequestedRegion',
      allow({ Condition: { StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } } }),
      allow({ Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1'] } } }),
      'narrows',
    ],
    [
      'a region added to StringEquals aws:RequestedRegion',
      allow({ Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1'] } } }),
      allow({ Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } } }),
      'widens',
    ],
    ['a condition added to an Allow', allow(), allow({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } }), 'narrows'],
    ['a condition removed from an Allow', allow({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } }), allow(), 'widens'],
    [
      'a Bool value changed',
      allow({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
      allow({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      'changes',
    ],
    [
      'an operator changed on the same key',
      allow({ Condition: { StringEquals: { 'aws:SourceAccount': '1' } } }),
      allow({ Condition: { StringLike: { 'aws:SourceAccount': '1*' } } }),
      'changes',
    ],
    ['Action turned NotAction', allow(), { ...allow(), Action: undefined, NotAction: 's3:DeleteObject' }, 'changes'],
    ['an action removed from a Deny', deny({ Action: ['s3:DeleteObject', 's3:PutObject'] }), deny({ Action: ['s3:PutObject'] }), 'widens'],
    ['an action added to a Deny', deny({ Action: ['s3:PutObject'] }), deny({ Action: ['s3:DeleteObject', 's3:PutObject'] }), 'narrows'],
    [
      'a region added to a Deny with StringNotEquals (more exempt)',
      deny({ Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1'] } } }),
      deny({ Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } } }),
      'widens',
    ],
    [
      'a region removed from a Deny with StringNotEquals',
      deny({ Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } } }),
      deny({ Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1'] } } }),
      'narrows',
    ],
    [
      'a principal removed from a trust policy',
      allow({ Principal: { AWS: ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b'] } }),
      allow({ Principal: { AWS: ['arn:aws:iam::1:role/a'] } }),
      'narrows',
    ],
    [
      'a principal added to a trust policy',
      allow({ Principal: { AWS: ['arn:aws:iam::1:role/a'] } }),
      allow({ Principal: { AWS: ['arn:aws:iam::1:role/a', 'arn:aws:iam::2:root'] } }),
      'widens',
    ],
    [
      'a NotResource entry removed from an Allow (covers more)',
      { ...allow(), Resource: undefined, NotResource: ['arn:aws:s3:::x/*', 'arn:aws:s3:::y/*'] },
      { ...allow(), Resource: undefined, NotResource: ['arn:aws:s3:::x/*'] },
      'widens',
    ],
  ])('%s', (_what, b, a, expected) => {
    const lines = effects(b, a);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map(([, e]) => e)).toContain(expected);
    // A change is widening only where the sets show it.
    if (expected !== 'widens') expect(policyWidening(doc(b), doc(a))).toEqual([]);
    else expect(policyWidening(doc(b), doc(a)).length).toBeGreaterThan(0);
    if (expected === 'changes') expect(policyUndecided(doc(b), doc(a)).length).toBeGreaterThan(0);
  });

  test('statements without a Sid are matched by content, so removing one does not read as every later one changing', () => {
    const s = (a: string) => ({ Effect: 'Allow', Action: a, Resource: '*' });
    const lines = policyDiff(
      'policy',
      doc(s('s3:GetObject'), s('s3:PutObject'), s('s3:ListBucket')),
      doc(s('s3:GetObject'), s('s3:ListBucket')),
    );
    expect(lines).toEqual([
      expect.objectContaining({ path: 'policy statement #1', new: '(none)', effect: 'narrows', old: JSON.stringify(s('s3:PutObject')) }),
    ]);
  });

  test('a statement added or removed is shown whole, with its values', () => {
    const extra = { Sid: 'Extra', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' };
    expect(policyDiff('policy', doc(allow()), doc(allow(), extra))).toEqual([
      {
        path: 'policy statement Extra',
        old: '(none)',
        new: JSON.stringify(extra),
        effect: 'widens',
        reasons: ['new Allow statement Extra'],
      },
    ]);
  });

  test('a condition value change shows both value lists and the delta, never a hash', () => {
    const [line] = policyDiff(
      'policy',
      doc(allow({ Condition: { StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1', 'us-west-2'] } } })),
      doc(allow({ Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'us-west-2'] } } })),
    );
    expect(line).toEqual({
      path: 'policy statement A Condition StringEquals aws:RequestedRegion',
      old: '["eu-west-1","us-east-1","us-west-2"]',
      new: '["us-east-1","us-west-2"] (-eu-west-1)',
      effect: 'narrows',
      reasons: ['A: condition StringEquals aws:RequestedRegion no longer matches eu-west-1'],
    });
  });
});

describe('a region leaves an account of the everything-on landing zone', () => {
  const { tree } = synthTrees('bedrock-policy-diff-');
  const head = JSON.parse(JSON.stringify(EVERYTHING_ON));
  head.accounts[0].regions = head.accounts[0].regions.filter(
    (r: string | { region: string }) => (typeof r === 'string' ? r : r.region) !== 'eu-west-1',
  );
  // The tenant placed only there goes with it, as in a real pull request that drops the region.
  head.tenants = head.tenants.filter(
    (t: { placement?: { regions?: string[] } }) => !t.placement?.regions?.every((r: string) => r === 'eu-west-1'),
  );
  const review = reviewTrees(tree(EVERYTHING_ON), tree(head));
  const bootstrap = review.stacks.find((s) => s.name === 'bedrock-bootstrap-111111111111')!;

  test('the deploy role and its trust policy narrow: not dangerous, nothing under "Policy widened"', () => {
    expect(bootstrap.status).toBe('changed');
    const policyLines = bootstrap.changes.flatMap((c) => c.values ?? []).filter((v) => v.effect);
    expect(policyLines.length).toBeGreaterThan(0);
    expect([...new Set(policyLines.map((v) => v.effect))]).toEqual(['narrows']);
    expect(bootstrap.changes.filter((c) => c.dangerous)).toEqual([]);
    expect(review.groups.find((g) => g.cause === 'policy-widened')?.stacks ?? []).not.toContain('bedrock-bootstrap-111111111111');
  });

  test("the SCP that protects each region's logging role stops covering the one whose stack left: a real widening (the role runs until decommissioned)", () => {
    const scp = review.stacks
      .find((s) => s.name === 'bedrock-management-999999999999')!
      .changes.find((c) => c.address === 'aws_organizations_policy.protect_logging_chain')!;
    expect(scp.dangerous).toBe(true);
    expect(scp.reason).toBe('ProtectLoggingRoles: Deny no longer covers arn:aws:iam::*:role/bedrock-invocation-logging-eu-west-1');
  });

  test('old and new values are real, in review.md and review.json: no hashes', () => {
    const values = bootstrap.changes.flatMap((c) => c.values ?? []);
    expect(values).toContainEqual({
      path: 'policy statement ByNameInItsRegions Condition StringEquals aws:RequestedRegion',
      old: '["eu-west-1","us-east-1","us-west-2"]',
      new: '["us-east-1","us-west-2"] (-eu-west-1)',
      effect: 'narrows',
    });
    expect(values).toContainEqual(
      expect.objectContaining({
        path: 'assume_role_policy statement TerraformCloudWorkspaces Condition StringLike app.terraform.io:sub',
        effect: 'narrows',
        new: expect.stringContaining(
          '(-organization:acme-org:project:bedrock:workspace:bedrock-logging-111111111111-eu-west-1:run_phase:*)',
        ),
      }),
    );
    const md = toMarkdown(review);
    const json = toJson(review);
    for (const text of [md, json]) {
      expect(text).not.toMatch(/\(#[0-9a-f]{8}\)/);
      expect(text).not.toMatch(/\{\d+ keys\}/);
    }
    expect(md).toContain(
      '  - `policy statement ByNameInItsRegions Condition StringEquals aws:RequestedRegion`: `["eu-west-1","us-east-1","us-west-2"]` -> `["us-east-1","us-west-2"] (-eu-west-1)` (narrows)',
    );
  });
});
