/**
 * The review flags what opens an unlogged path to a model (review/rules/inference-paths.ts):
 * the loggedInferenceOnly or apiKeys SCP removed or detached, long-term API keys allowed,
 * allowMantle widened. Narrowing it, or denying more keys, is not this cause.
 */
import type { Matrix } from '../../config/schema';
import { Review, reviewTrees } from '../../review/review';
import { reviewTrees as synthTrees } from './trees';

const MGMT = 'bedrock-management-999999999999';
const OU = 'ou-abcd-11111111';
const { tree, clone } = synthTrees('bedrock-review-mantle-');

/** The example matrix with both SCPs, and a model that bedrock-mantle serves. */
function withPaths(): Matrix {
  const m = clone();
  m.models = [
    ...(m.models ?? []),
    { alias: 'gpt-oss', source: 'openai.gpt-oss-120b-1:0', mantleId: 'openai.gpt-oss-120b' },
    { alias: 'gpt-oss-s', source: 'openai.gpt-oss-20b-1:0', mantleId: 'openai.gpt-oss-20b' },
  ];
  m.organizationPolicies = {
    ...m.organizationPolicies,
    loggedInferenceOnly: { targetIds: [OU, 'r-ab12'], allowMantle: [{ roleArns: ['arn:aws:iam::*:role/Chatbot'], models: ['gpt-oss'] }] },
    apiKeys: { targetIds: [OU] },
  };
  return m;
}
const BASE = tree(withPaths());
const variant = (change: (m: Matrix) => void): Review => {
  const m = withPaths();
  change(m);
  return reviewTrees(BASE, tree(m));
};
/** The findings of this cause, one per reason, as "action address: reason" (a change's reasons of every cause are joined with "; "). */
const findings = (r: Review) =>
  r.stacks.flatMap((s) =>
    s.changes
      .filter((c) => c.dangerous && c.causes?.includes('inference-path-opened'))
      .flatMap((c) =>
        c.reason
          .split('; ')
          .filter((x) => RULE_REASONS.test(x))
          .map((x) => `${c.action} ${c.address}: ${x}`),
      ),
  );
/** The reasons review/rules/inference-paths.ts gives. */
const RULE_REASONS = /^(organizationPolicies\.\w+ SCP|long-term|short-term|bedrock-mantle|the model restriction)/;

test('removing either SCP is dangerous', () => {
  expect(findings(variant((m) => delete m.organizationPolicies!.loggedInferenceOnly))).toEqual(
    expect.arrayContaining([
      'delete aws_organizations_policy.logged_inference_only: organizationPolicies.loggedInferenceOnly SCP removed: unlogged bedrock-mantle inference no longer denied anywhere',
    ]),
  );
  expect(findings(variant((m) => delete m.organizationPolicies!.apiKeys))).toEqual(
    expect.arrayContaining([
      'delete aws_organizations_policy.bedrock_api_keys: organizationPolicies.apiKeys SCP removed: Bedrock API keys no longer denied anywhere',
    ]),
  );
});

test('detaching one from a target is dangerous', () => {
  expect(findings(variant((m) => (m.organizationPolicies!.loggedInferenceOnly!.targetIds = [OU])))).toEqual([
    'delete aws_organizations_policy_attachment.logged_inference_only_r_ab12: organizationPolicies.loggedInferenceOnly SCP detached from r-ab12: unlogged bedrock-mantle inference no longer denied there',
  ]);
});

test('allowing long-term keys is dangerous', () => {
  const f = findings(variant((m) => (m.organizationPolicies!.apiKeys = { targetIds: [OU], longTerm: 'allow', shortTerm: 'deny' })));
  expect(f).toEqual(
    expect.arrayContaining([
      'update aws_organizations_policy.bedrock_api_keys: long-term Bedrock API keys (IAM service-specific credentials) may be created again',
      'update aws_organizations_policy.bedrock_api_keys: long-term Bedrock API keys allowed again (CallWithBearerToken)',
    ]),
  );
  // Denying short-term keys as well narrows: not this cause.
  expect(findings(variant((m) => (m.organizationPolicies!.apiKeys!.shortTerm = 'deny')))).toEqual([]);
});

test('widening allowMantle is dangerous: another role, another model, a model restriction removed', () => {
  expect(
    findings(variant((m) => m.organizationPolicies!.loggedInferenceOnly!.allowMantle![0].roleArns!.push('arn:aws:iam::*:role/Lab'))),
  ).toEqual(
    expect.arrayContaining([
      'update aws_organizations_policy.logged_inference_only: bedrock-mantle (unlogged) inference allowed to arn:aws:iam::*:role/Lab',
    ]),
  );
  expect(findings(variant((m) => m.organizationPolicies!.loggedInferenceOnly!.allowMantle![0].models!.push('gpt-oss-s')))).toEqual([
    'update aws_organizations_policy.logged_inference_only: bedrock-mantle models openai.gpt-oss-20b allowed to ["arn:aws:iam::*:role/Chatbot"]',
  ]);
  expect(findings(variant((m) => delete m.organizationPolicies!.loggedInferenceOnly!.allowMantle![0].models))).toEqual([
    'update aws_organizations_policy.logged_inference_only: the model restriction of ["arn:aws:iam::*:role/Chatbot"] on bedrock-mantle removed: any model',
  ]);
});

test('narrowing allowMantle, or no change, is not this cause', () => {
  expect(findings(variant((m) => (m.organizationPolicies!.loggedInferenceOnly!.allowMantle = undefined)))).toEqual([]);
  expect(findings(variant(() => undefined))).toEqual([]);
  expect(reviewTrees(BASE, BASE).stacks.find((s) => s.name === MGMT)).toBeDefined();
});
