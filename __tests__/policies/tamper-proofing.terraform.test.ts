/**
 * Real Terraform (provider 5.100 from the local mirror, offline): a logging stack
 * with Object Lock and the management stack with the chain SCPs, break-glass roles
 * and the data-perimeter RCP validate and plan; and an existing bucket without
 * Object Lock plans a replacement (object_lock_enabled is ForceNew), which
 * prevent_destroy refuses, while a bucket whose Object Lock was switched on in
 * place first plans no replacement (the migration in docs/tamper-proofing.md).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Matrix } from '../../config/schema';
import { requireTerraform } from '../../lib/terraform';
import { PROD, resolveMatrix } from '../helpers';
import { awsState, plannedMatrix } from '../terraform-state';
import { at } from '../../review/terraform-json';

jest.setTimeout(300_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;

const MGMT = '999999999999';
const OU = 'ou-abcd-11111111';
const STACK = `bedrock-logging-${PROD}-us-east-1`;
const MANAGEMENT = `bedrock-management-${MGMT}`;
const matrix: Matrix = {
  managementAccountId: MGMT,
  organizationPolicies: {
    protectLoggingScp: {
      targetIds: [OU, 'r-ab12'],
      breakGlassRoleArns: ['arn:aws:iam::*:role/BreakGlass'],
      accountVendingRoleArns: ['arn:aws:iam::*:role/AWSControlTowerExecution'],
    },
    dataPerimeterRcp: { targetIds: [OU], organizationId: 'o-abcd123456' },
  },
  accounts: [
    { id: PROD, regions: ['us-east-1'], logging: { objectLock: { mode: 'GOVERNANCE', days: 365 }, lifecycle: { expirationDays: 400 } } },
  ],
  analytics: { athena: false, quicksight: undefined },
};

/** A state holding only the log bucket, as Terraform would have written it, with object_lock_enabled as given. */
function bucketState(planned: Record<string, unknown>, objectLockEnabled: boolean) {
  const name = planned.bucket;
  return awsState('tamper-proofing-test', [
    {
      type: 'aws_s3_bucket',
      name: 'invocation_logs',
      attributes: {
        ...planned,
        id: name,
        arn: `arn:aws:s3:::${name}`,
        bucket_domain_name: `${name}.s3.amazonaws.com`,
        bucket_regional_domain_name: `${name}.s3.us-east-1.amazonaws.com`,
        hosted_zone_id: 'Z3AQBSTGFYJSTF',
        region: 'us-east-1',
        object_lock_enabled: objectLockEnabled,
        tags_all: planned.tags_all ?? {},
      },
    },
  ]);
}

maybe('terraform validate and offline plan with Object Lock, the chain SCPs and the RCP', () => {
  const setup = plannedMatrix(terraform!, resolveMatrix(matrix), [STACK, MANAGEMENT], 'bedrock-tamper-');
  const after = (stack: string, address: string) =>
    setup.plans.find((p) => p.stack === stack)!.changes.find((c) => c.address === address)!.after;

  test('the log bucket is created with Object Lock and a GOVERNANCE default retention of 365 days', () => {
    expect(after(STACK, 'aws_s3_bucket.invocation_logs')).toMatchObject({ object_lock_enabled: true, force_destroy: false });
    expect(after(STACK, 'aws_s3_bucket_object_lock_configuration.invocation_logs')).toMatchObject({
      object_lock_enabled: 'Enabled',
      rule: [{ default_retention: [{ mode: 'GOVERNANCE', days: 365 }] }],
    });
  });

  test('the management stack plans both SCPs and the RCP, each attached to its targets, as synthesized', () => {
    const m = setup.plans.find((p) => p.stack === MANAGEMENT)!;
    const tf = JSON.parse(fs.readFileSync(path.join(setup.outdir, 'stacks', MANAGEMENT, 'cdk.tf.json'), 'utf8'));
    for (const [name, type] of [
      ['protect_logging', 'SERVICE_CONTROL_POLICY'],
      ['protect_logging_chain', 'SERVICE_CONTROL_POLICY'],
      ['data_perimeter', 'RESOURCE_CONTROL_POLICY'],
    ]) {
      const planned = after(MANAGEMENT, `aws_organizations_policy.${name}`);
      expect([name, at(planned, 'type')]).toEqual([name, type]);
      expect(JSON.parse(at(planned, 'content') as string)).toEqual(JSON.parse(tf.resource.aws_organizations_policy[name].content));
      expect(String(at(planned, 'content')).length).toBeLessThanOrEqual(5120);
    }
    const attachments = m.changes
      .filter((c) => c.type === 'aws_organizations_policy_attachment')
      .map((c) => c.address.split('.')[1])
      .sort();
    expect(attachments).toEqual([
      'data_perimeter_ou_abcd_11111111',
      'protect_logging_chain_ou_abcd_11111111',
      'protect_logging_chain_r_ab12',
      'protect_logging_ou_abcd_11111111',
      'protect_logging_r_ab12',
    ]);
    for (const p of setup.plans)
      for (const c of p.changes) expect([p.stack, c.address, c.actions]).toEqual([p.stack, c.address, ['create']]);
  });

  test('an existing bucket without Object Lock would be replaced: prevent_destroy stops the plan', async () => {
    const bucket = after(STACK, 'aws_s3_bucket.invocation_logs');
    await expect(
      setup.session.plan(path.join(setup.outdir, 'stacks', STACK), { state: bucketState(bucket ?? {}, false), label: 'existing-unlocked' }),
    ).rejects.toThrow(/Instance cannot be destroyed[\s\S]*aws_s3_bucket\.invocation_logs/);
  });

  test('after switching Object Lock on in place, the same configuration plans no replacement of the bucket', async () => {
    const bucket = after(STACK, 'aws_s3_bucket.invocation_logs');
    const p = await setup.session.plan(path.join(setup.outdir, 'stacks', STACK), {
      state: bucketState(bucket ?? {}, true),
      label: 'existing-locked',
    });
    const change = p.plan?.resource_changes?.find((r) => r.address === 'aws_s3_bucket.invocation_logs');
    expect(change?.change.actions).toBeDefined();
    expect(change?.change.actions).not.toContain('delete');
    expect(change?.change.actions).not.toContain('create');
    expect(p.changes.find((c) => c.address === 'aws_s3_bucket_object_lock_configuration.invocation_logs')!.actions).toEqual(['create']);
  });
});
