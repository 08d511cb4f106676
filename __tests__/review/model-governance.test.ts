/**
 * The review flags what widens the model perimeter (review/rules/model-governance.ts): an
 * approved-model SCP removed or detached, its list grown. Shrinking the list is not this cause.
 */
import type { Matrix } from '../../config/schema';
import { Review, reviewTrees } from '../../review/review';
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
  m.guardrails = {
    ...m.guardrails,
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
          .filter((x) => /^(guardrails\.approvedModels|approved|unapproved)/.test(x))
          .map((x) => `${c.action} ${c.address}: ${x}`),
      ),
  );

test('removing the SCP is dangerous', () => {
  expect(findings(variant((m) => delete m.guardrails!.approvedModels))).toEqual(
    expect.arrayContaining(['delete aws_organizations_policy.approved_models_0: guardrails.approvedModels SCP approved_models_0 removed: its targets may invoke any model']),
  );
});

test('detaching it from a target is dangerous', () => {
  expect(findings(variant((m) => (m.guardrails!.approvedModels![0].targetIds = [OU])))).toEqual([
    `delete aws_organizations_policy_attachment.approved_models_0_ou_abcd_22222222: guardrails.approvedModels SCP detached from ${SANDBOX}: any model may be invoked there`,
  ]);
});

test('growing the list is dangerous, on bedrock-runtime and on bedrock-mantle', () => {
  expect(findings(variant((m) => m.guardrails!.approvedModels![0].models!.push('gpt-oss-s')))).toEqual([
    'update aws_organizations_policy.approved_models_0: approved models grown: arn:aws:bedrock:*:*:inference-profile/*.openai.gpt-oss-20b-1:0, arn:aws:bedrock:*::foundation-model/openai.gpt-oss-20b-1:0',
    'update aws_organizations_policy.approved_models_0: approved bedrock-mantle models grown: openai.gpt-oss-20b',
  ]);
  expect(findings(variant((m) => delete m.guardrails!.loggedInferenceOnly))).toEqual(['update aws_organizations_policy.approved_models_0: unapproved models no longer denied on bedrock-mantle']);
});

test('shrinking the list, or no change, is not this cause', () => {
  expect(findings(variant((m) => (m.guardrails!.approvedModels![0].models = ['gpt-oss'])))).toEqual([]);
  expect(findings(variant(() => undefined))).toEqual([]);
});
