/**
 * The review flags what widens the model perimeter (review/rules/model-governance.ts): an
 * approved-model SCP removed or detached, its list grown; and a Bedrock endpoint policy widened
 * (endpointPolicyWidened). Shrinking either is not.
 */
import type { Matrix } from '../../config/schema';
import { Review, reviewTrees } from '../../review/review';
import { endpointPolicyWidened } from '../../review/rules/model-governance';
import { reviewTrees as synthTrees } from './trees';

const OU = 'ou-abcd-11111111';
const SANDBOX = 'ou-abcd-22222222';
const { tree, clone } = synthTrees('bedrock-review-models-');

function withApproved(): Matrix {
  const m = clone();
  m.models = [
    ...(m.models ?? []),
    { alias: 'gpt-oss', source: 'openai.gpt-oss-120b-1:0', mantleId: 'openai.gpt-oss-120b' },
    { alias: 'gpt-oss-s', source: 'openai.gpt-oss-20b-1:0', mantleId: 'openai.gpt-oss-20b' },
  ];
  const first = m.models[0].alias;
  m.organizationPolicies = {
    ...m.organizationPolicies,
    loggedInferenceOnly: { targetIds: [OU], allowMantle: [{ roleArns: ['arn:aws:iam::*:role/Chatbot'] }] },
    approvedModels: [{ targetIds: [OU, SANDBOX], models: [first, 'gpt-oss'] }],
  };
  return m;
}
const BASE = tree(withApproved());
const variant = (change: (m: Matrix) => void): Review => {
  const m = withApproved();
  change(m);
  return reviewTrees(BASE, tree(m));
};
const findings = (r: Review) =>
  r.stacks.flatMap((s) =>
    s.changes
      .filter((c) => c.dangerous && c.causes?.includes('model-perimeter-widened'))
      .flatMap((c) =>
        c.reason
          .split('; ')
          .filter((x) => /^(organizationPolicies\.approvedModels|approved|unapproved)/.test(x))
          .map((x) => `${c.action} ${c.address}: ${x}`),
      ),
  );

test('removing the SCP is dangerous', () => {
  expect(findings(variant((m) => delete m.organizationPolicies!.approvedModels))).toEqual(
    expect.arrayContaining([
      'delete aws_organizations_policy.approved_models_0: organizationPolicies.approvedModels SCP approved_models_0 removed: its targets may invoke any model',
    ]),
  );
});

test('detaching it from a target is dangerous', () => {
  expect(findings(variant((m) => (m.organizationPolicies!.approvedModels![0].targetIds = [OU])))).toEqual([
    `delete aws_organizations_policy_attachment.approved_models_0_ou_abcd_22222222: organizationPolicies.approvedModels SCP detached from ${SANDBOX}: any model may be invoked there`,
  ]);
});

test('growing the list is dangerous, on bedrock-runtime and on bedrock-mantle', () => {
  expect(findings(variant((m) => m.organizationPolicies!.approvedModels![0].models!.push('gpt-oss-s')))).toEqual([
    'update aws_organizations_policy.approved_models_0: approved models grown: arn:aws:bedrock:*:*:inference-profile/*.openai.gpt-oss-20b-1:0, arn:aws:bedrock:*::foundation-model/openai.gpt-oss-20b-1:0',
    'update aws_organizations_policy.approved_models_0: approved bedrock-mantle models grown: openai.gpt-oss-20b',
  ]);
  expect(findings(variant((m) => delete m.organizationPolicies!.loggedInferenceOnly))).toEqual([
    'update aws_organizations_policy.approved_models_0: unapproved models no longer denied on bedrock-mantle',
  ]);
});

test('shrinking the list, or no change, is not this cause', () => {
  expect(findings(variant((m) => (m.organizationPolicies!.approvedModels![0].models = ['gpt-oss'])))).toEqual([]);
  expect(findings(variant(() => undefined))).toEqual([]);
});

describe('endpoint policy widened (network)', () => {
  const policy = (over: Record<string, unknown> = {}) => ({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'S',
        Effect: 'Allow',
        Principal: '*',
        Action: ['bedrock:InvokeModel'],
        Resource: [
          '${aws_bedrock_inference_profile.acme__haiku.arn}',
          'arn:aws:bedrock:*::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
        ],
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
        ...over,
      },
    ],
  });

  test('the organization condition removed, another organization, more actions, another model: dangerous', () => {
    expect(endpointPolicyWidened(policy(), policy({ Condition: undefined }))).toEqual([
      'endpoint policy admits principals outside the organization (an Allow without aws:PrincipalOrgID)',
    ]);
    expect(endpointPolicyWidened(policy(), policy({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' } } }))).toEqual([
      'endpoint policy admits organization o-zzzzzzzzzz',
    ]);
    expect(endpointPolicyWidened(policy(), policy({ Action: ['bedrock:*'] }))).toEqual(['endpoint policy admits actions bedrock:*']);
    expect(endpointPolicyWidened(policy(), policy({ Resource: ['*'] }))).toEqual(['endpoint policy admits resources *']);
  });

  test('a new tenant profile of the stack, or a narrower policy, is not', () => {
    expect(
      endpointPolicyWidened(
        policy(),
        policy({ Resource: [...policy().Statement[0].Resource, '${aws_bedrock_inference_profile.initech__haiku.arn}'] }),
      ),
    ).toEqual([]);
    expect(endpointPolicyWidened(policy(), policy({ Resource: ['${aws_bedrock_inference_profile.acme__haiku.arn}'] }))).toEqual([]);
  });

  test('through the review: an endpoint policy opened to any principal is flagged', () => {
    const withNetwork = (org: boolean): Matrix => {
      const m = clone();
      const a = m.accounts[0];
      const first = a.regions[0];
      a.regions[0] = {
        ...(typeof first === 'string' ? { region: first } : first),
        network: {
          vpcId: 'vpc-0a1b2c3d4e5f67890',
          subnetIds: ['subnet-0a1b2c3d4e5f60001'],
          cidrBlocks: ['10.0.0.0/16'],
          organizationId: org ? 'o-a1b2c3d4e5' : 'o-zzzzzzzzzz',
        },
      };
      return m;
    };
    const r = reviewTrees(tree(withNetwork(true)), tree(withNetwork(false)));
    const flagged = r.stacks.flatMap((s) =>
      s.changes.filter((c) => c.dangerous && c.causes?.includes('endpoint-policy-widened')).map((c) => c.address),
    );
    expect(flagged).toEqual(['aws_vpc_endpoint.endpoint_bedrock_runtime']);
  });
});

describe('organizationPolicies.requirePrivateNetwork in the review', () => {
  const { privatePathOpened } = require('../../review/rules/model-governance');
  const scp = (vpcs: string[]) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'DenyInvokeOutsideTheMatrixVpcs', Condition: { StringNotEqualsIfExists: { 'aws:SourceVpc': vpcs } } }],
    });
  const input = (over: object) => ({
    type: 'aws_organizations_policy',
    address: 'aws_organizations_policy.require_private_network',
    ...over,
  });

  test('removing or detaching the SCP, or admitting another VPC, is dangerous; admitting fewer is not', () => {
    expect(privatePathOpened.check(input({ action: 'delete', before: { content: scp(['vpc-1']) } }))).toEqual([
      expect.stringContaining('SCP removed'),
    ]);
    expect(
      privatePathOpened.check({
        type: 'aws_organizations_policy_attachment',
        address: 'aws_organizations_policy_attachment.require_private_network_ou_abcd_11111111',
        action: 'delete',
        before: { target_id: OU },
      }),
    ).toEqual([expect.stringContaining(`detached from ${OU}`)]);
    expect(
      privatePathOpened.check(
        input({ action: 'update', before: { content: scp(['vpc-1']) }, after: { content: scp(['vpc-1', 'vpc-2']) } }),
      ),
    ).toEqual(['organizationPolicies.requirePrivateNetwork admits invocations from more VPCs: vpc-2']);
    expect(
      privatePathOpened.check(
        input({ action: 'update', before: { content: scp(['vpc-1', 'vpc-2']) }, after: { content: scp(['vpc-1']) } }),
      ),
    ).toEqual([]);
    expect(privatePathOpened.check(input({ action: 'create', after: { content: scp(['vpc-1']) } }))).toEqual([]);
  });
});
