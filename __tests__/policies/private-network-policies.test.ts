/**
 * organizationPolicies.requirePrivateNetwork, simulated (@cloud-copilot/iam-simulate) with the SCP as the
 * management stack synthesizes it: invoking a model is allowed from a matrix VPC, denied from the
 * internet and from another VPC, allowed for the break-glass role and for a service acting for the caller.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Testing } from 'cdktf';
import type { Matrix } from '../../config/schema';
import { requirePrivateNetworkScp } from '../../policies/private-network-policies';
import { ManagementStack } from '../../stacks/management-stack';
import { PROD, problems, resolveMatrix } from '../helpers';

const VPC = 'vpc-0a1b2c3d4e5f67890';
const OTHER_VPC = 'vpc-0ffffffffffffffff';
const REGION = 'us-east-1';
const matrix: Matrix = {
  managementAccountId: '999999999999',
  organizationPolicies: {
    protectLoggingScp: {
      targetIds: ['ou-abcd-11111111'],
      breakGlassRoleArns: ['arn:aws:iam::*:role/BreakGlass'],
      accountVendingRoleArns: ['arn:aws:iam::*:role/AWSControlTowerExecution'],
    },
    requirePrivateNetwork: { targetIds: ['ou-abcd-11111111'] },
  },
  accounts: [
    {
      id: PROD,
      regions: [
        {
          region: REGION,
          network: { vpcId: VPC, subnetIds: ['subnet-0a1b2c3d4e5f60001'], cidrBlocks: ['10.20.0.0/16'], organizationId: 'o-a1b2c3d4e5' },
        },
      ],
    },
  ],
  models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
  tenants: [{ id: 'acme', models: ['haiku'] }],
};
const config = resolveMatrix(matrix);
const tf = JSON.parse(Testing.synth(new ManagementStack(Testing.app(), config.management!)));
const scp = JSON.parse(tf.resource.aws_organizations_policy.require_private_network.content);
const MODEL = `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`;

/** The AWS-managed SCP every target has, without which an SCP chain allows nothing. */
const FULL_AWS_ACCESS = {
  name: 'FullAWSAccess',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

async function invoke(principal: string, context: Record<string, string>, action = 'bedrock:InvokeModel') {
  const r = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource: MODEL, accountId: PROD },
        contextVariables: { 'aws:PrincipalArn': principal, 'aws:ViaAWSService': 'false', ...context },
      },
      identityPolicies: [
        { name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
      ],
      serviceControlPolicies: [
        { orgIdentifier: 'ou-abcd-11111111', policies: [FULL_AWS_ACCESS, { name: 'require-private-network', policy: scp }] },
      ],
      resourceControlPolicies: [],
    },
    {},
  );
  if (r.resultType === 'error') throw new Error(JSON.stringify(r.errors));
  return r.overallResult;
}
const ADMIN = `arn:aws:iam::${PROD}:role/Admin`;

test('the synthesized SCP is the pure function of the matrix VPCs, attached to the targets', () => {
  expect(scp).toEqual(
    requirePrivateNetworkScp({
      partition: 'aws',
      deployRoleName: config.management!.deployRoleName,
      breakGlassRoleArns: ['arn:aws:iam::*:role/BreakGlass'],
      vpcIds: [VPC],
    }),
  );
  expect(Object.keys(tf.resource.aws_organizations_policy_attachment)).toContain('require_private_network_ou_abcd_11111111');
});

test('allowed from a matrix VPC, denied from the internet and from another VPC', async () => {
  for (const action of ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']) {
    expect(await invoke(ADMIN, { 'aws:SourceVpc': VPC, 'aws:SourceVpce': 'vpce-0123456789abcdef0' }, action)).toBe('Allowed');
    expect(await invoke(ADMIN, {}, action)).toBe('ExplicitlyDenied');
    expect(await invoke(ADMIN, { 'aws:SourceVpc': OTHER_VPC, 'aws:SourceVpce': 'vpce-0fedcba9876543210' }, action)).toBe(
      'ExplicitlyDenied',
    );
  }
});

test('allowed for the break-glass and deploy roles from anywhere, and for a service acting for the caller', async () => {
  expect(await invoke(`arn:aws:iam::${PROD}:role/BreakGlass`, {})).toBe('Allowed');
  expect(await invoke(`arn:aws:iam::${PROD}:role/${config.management!.deployRoleName}`, {})).toBe('Allowed');
  expect(await invoke(ADMIN, { 'aws:ViaAWSService': 'true' })).toBe('Allowed');
});

test('requirePrivateNetwork without any network is refused, naming what to add', () => {
  const { accounts, ...rest } = matrix;
  expect(problems({ ...rest, accounts: [{ id: PROD, regions: [REGION] }] })).toEqual([
    expect.objectContaining({
      path: 'organizationPolicies.requirePrivateNetwork',
      allowed: expect.stringContaining('at least one account or region entry with network'),
    }),
  ]);
  expect(accounts).toHaveLength(1);
});
