/**
 * The OAM sink policy (policies/oam-sink-policy.ts) by simulation (@cloud-copilot/iam-simulate): a role of a
 * matrix account with oam:CreateLink may link to the sink for metrics and log groups; a role of another account,
 * or a link that also shares traces, is refused; with an organization ID, an account outside it is refused too.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { oamSinkPolicy } from '../../policies/oam-sink-policy';

const PROD = '111111111111';
const OTHER = '444444444444';
const MONITORING = '333333333333';
const SINK = `arn:aws:oam:us-east-1:${MONITORING}:sink/a1b2c3d4-5678-90ab-cdef-111122223333`;
const METRICS_AND_LOGS = ['AWS::CloudWatch::Metric', 'AWS::Logs::LogGroup'];

async function decide(policy: object, r: { account: string; action?: string; types: string[]; orgId?: string }) {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${r.account}:role/bedrock-governance-deploy`,
        action: r.action ?? 'oam:CreateLink',
        resource: { resource: SINK, accountId: MONITORING },
        contextVariables: { 'oam:ResourceTypes': r.types, ...(r.orgId ? { 'aws:PrincipalOrgID': r.orgId } : {}) },
      },
      // The caller's own account lets it call CreateLink; the sink policy decides whether the sink admits it.
      identityPolicies: [
        {
          name: 'deploy',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['oam:CreateLink', 'oam:UpdateLink'], Resource: '*' }] },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policy,
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

test('a matrix account may link for metrics and log groups', async () => {
  const policy = oamSinkPolicy({ partition: 'aws', accountIds: [PROD] });
  expect(await decide(policy, { account: PROD, types: METRICS_AND_LOGS })).toBe('Allowed');
  expect(await decide(policy, { account: PROD, types: ['AWS::CloudWatch::Metric'] })).toBe('Allowed');
  // oam:UpdateLink authorizes on the link (Service Authorization Reference: resource type Link), so the
  // simulator cannot put it against the sink; the statement grants it beside CreateLink, as AWS's sink policies do.
});

test('another account, or a link that shares traces too, is refused', async () => {
  const policy = oamSinkPolicy({ partition: 'aws', accountIds: [PROD] });
  expect(await decide(policy, { account: OTHER, types: METRICS_AND_LOGS })).not.toBe('Allowed');
  expect(await decide(policy, { account: PROD, types: [...METRICS_AND_LOGS, 'AWS::XRay::Trace'] })).not.toBe('Allowed');
});

test('with an organization ID, a matrix account outside the organization is refused', async () => {
  const policy = oamSinkPolicy({ partition: 'aws', accountIds: [PROD], organizationId: 'o-abcd123456' });
  expect(await decide(policy, { account: PROD, types: METRICS_AND_LOGS, orgId: 'o-abcd123456' })).toBe('Allowed');
  expect(await decide(policy, { account: PROD, types: METRICS_AND_LOGS, orgId: 'o-zzzz999999' })).not.toBe('Allowed');
});
