/**
 * Real Terraform (provider 5.100 from the local mirror, offline): the management stack with
 * organizationPolicies.approvedModels (one entry in one SCP, one split by provider) validates and plans.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Matrix } from '../../config/schema';
import { requireTerraform } from '../../lib/terraform';
import { plannedMatrix } from '../terraform-state';
import { PROD, resolveMatrix } from '../helpers';
import { at } from '../../review/terraform-json';

jest.setTimeout(300_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;

const MGMT = '999999999999';
const MANAGEMENT = `bedrock-management-${MGMT}`;
const PROVIDERS = ['anthropic', 'amazon', 'meta', 'mistral', 'cohere'];
const matrix: Matrix = {
  managementAccountId: MGMT,
  organizationPolicies: {
    loggedInferenceOnly: { targetIds: ['r-ab12'] },
    approvedModels: [{ targetIds: ['ou-abcd-11111111'], models: ['m0', 'm1'] }, { targetIds: ['ou-abcd-22222222', 'ou-abcd-33333333'] }],
    requirePrivateNetwork: { targetIds: ['ou-abcd-11111111'] },
  },
  accounts: [
    {
      id: PROD,
      name: 'genai-prod',
      regions: [
        {
          region: 'us-east-1',
          network: {
            vpcId: 'vpc-0a1b2c3d4e5f67890',
            subnetIds: ['subnet-0a1b2c3d4e5f60001'],
            cidrBlocks: ['10.20.0.0/16'],
            organizationId: 'o-a1b2c3d4e5',
          },
        },
      ],
    },
  ],
  models: Array.from({ length: 40 }, (_, i) => ({
    alias: `m${i}`,
    source: `${PROVIDERS[i % 5]}.model-family-name-2024${String(i).padStart(4, '0')}-v2:0`,
    mantleId: `${PROVIDERS[i % 5]}.m${i}`,
  })),
};

maybe('terraform validate and offline plan with the approved-model SCPs', () => {
  const setup = plannedMatrix(terraform!, resolveMatrix(matrix), [MANAGEMENT], 'bedrock-approved-');

  test('the requirePrivateNetwork SCP plans as synthesized, admitting the matrix VPC, attached to its target', () => {
    const changes = setup.plans[0].changes;
    const planned = changes.find((c) => c.address === 'aws_organizations_policy.require_private_network')!.after;
    expect(at(planned, 'type')).toBe('SERVICE_CONTROL_POLICY');
    expect(
      at(JSON.parse(at(planned, 'content') as string), 'Statement', 0, 'Condition', 'StringNotEqualsIfExists', 'aws:SourceVpc'),
    ).toEqual(['vpc-0a1b2c3d4e5f67890']);
    expect(
      changes.filter((c) => c.address.startsWith('aws_organizations_policy_attachment.require_private_network')).map((c) => c.address),
    ).toEqual(['aws_organizations_policy_attachment.require_private_network_ou_abcd_11111111']);
  });

  test('every approved-model SCP plans as synthesized, within 5,120 characters, attached to its targets', () => {
    const tf = JSON.parse(fs.readFileSync(path.join(setup.outdir, 'stacks', MANAGEMENT, 'cdk.tf.json'), 'utf8'));
    const changes = setup.plans[0].changes;
    const names = Object.keys(tf.resource.aws_organizations_policy).filter((n) => n.startsWith('approved_models'));
    expect(names).toEqual(expect.arrayContaining(['approved_models_0', 'approved_models_1', 'approved_models_1_part1']));
    for (const name of names) {
      const planned = changes.find((c) => c.address === `aws_organizations_policy.${name}`)!.after;
      expect(at(planned, 'type')).toBe('SERVICE_CONTROL_POLICY');
      expect(JSON.parse(at(planned, 'content') as string)).toEqual(JSON.parse(tf.resource.aws_organizations_policy[name].content));
      expect(String(at(planned, 'content')).length).toBeLessThanOrEqual(5120);
    }
    const attached = changes
      .filter((c) => c.type === 'aws_organizations_policy_attachment' && c.address.includes('approved_models'))
      .map((c) => c.address.split('.')[1]);
    expect(attached.sort()).toEqual(
      [
        'approved_models_0_ou_abcd_11111111',
        ...names.filter((n) => n.startsWith('approved_models_1')).flatMap((n) => [`${n}_ou_abcd_22222222`, `${n}_ou_abcd_33333333`]),
      ].sort(),
    );
    for (const c of changes) expect([c.address, c.actions]).toEqual([c.address, ['create']]);
  });
});
