/** The management stack's CUR 2.0 export (matrix costExport): addresses, options, queries. */
import { Testing } from 'cdktf';
import { resourceTagsKey } from '../../config/cost-export';
import { ManagementStack } from '../../stacks/management-stack';
import { COST_EXPORT_STATEFUL } from '../../stacks/management/cost-export';
import { resolveMatrix } from '../helpers';

const synthManagement = (extra: object) => {
  const config = resolveMatrix({ managementAccountId: '999999999999', accounts: [{ id: '111111111111', regions: ['us-east-1'] }], ...extra });
  return JSON.parse(Testing.synth(new ManagementStack(Testing.app(), config.management!)));
};

test('the stateful addresses are pinned: renaming one would destroy the bucket, its key or the export', () => {
  expect(COST_EXPORT_STATEFUL).toEqual({ bucket: 'cost_export', key: 'cost_export', export: 'cost_export' });
  const tf = synthManagement({ costExport: {} });
  expect(Object.keys(tf.resource.aws_s3_bucket)).toEqual(['cost_export']);
  expect(tf.resource.aws_s3_bucket.cost_export.lifecycle).toEqual({ prevent_destroy: true });
  expect(tf.resource.aws_kms_key.cost_export.lifecycle).toEqual({ prevent_destroy: true });
  expect(Object.keys(tf.resource.aws_bcmdataexports_export)).toEqual(['cost_export']);
});

test('without costExport nothing of it is synthesized', () => {
  const tf = synthManagement({});
  expect(tf.resource.aws_bcmdataexports_export).toBeUndefined();
  expect(tf.resource.aws_s3_bucket).toBeUndefined();
});

test('options: bucket prefix, export name, granularity, days, and the tenant tag column from the cost-allocation key', () => {
  const tf = synthManagement({ costExport: { bucketNamePrefix: 'finops-cur', exportName: 'cur-bedrock', granularity: 'HOURLY', days: 10 }, costAllocationTagKeys: { tenant: 'Cost-Tenant' } });
  const e = tf.resource.aws_bcmdataexports_export.cost_export.export[0];
  expect(e.name).toBe('cur-bedrock');
  expect(e.destination_configurations[0].s3_destination[0].s3_bucket).toBe('finops-cur-999999999999');
  expect(e.data_query[0].table_configurations.COST_AND_USAGE_REPORT.TIME_GRANULARITY).toBe('HOURLY');
  const q = tf.resource.aws_athena_named_query.billed_cost_per_tenant_day.query;
  expect(q).toContain("element_at(resource_tags, 'user_cost_tenant')");
  expect(q).toContain("billing_period >= date_format(current_date - interval '10' day, '%Y-%m')");
  const override = synthManagement({ costExport: { tenantTagColumn: 'user_team' } });
  expect(override.resource.aws_athena_named_query.billed_vs_estimated_per_tenant_day.query).toContain("element_at(resource_tags, 'user_team')");
});

test('resource_tags keys: user_ and the key, lower-cased, other characters as _', () => {
  expect(resourceTagsKey('tenant')).toBe('user_tenant');
  expect(resourceTagsKey('cost-center')).toBe('user_cost_center');
  expect(resourceTagsKey('karpenter.sh/nodepool')).toBe('user_karpenter_sh_nodepool');
});

test('the reconciliation query: billed and estimated per tenant and day, the difference and the untagged share', () => {
  const q = synthManagement({ costExport: {} }).resource.aws_athena_named_query.billed_vs_estimated_per_tenant_day.query;
  for (const column of ['billed_usd', 'estimated_usd', 'difference_usd', 'difference_pct', 'untagged_share_pct']) expect(q).toContain(` AS ${column}`);
  expect(q).toContain('FROM "bedrock_cost"."estimates"');
  expect(q).toContain('FULL OUTER JOIN estimated e ON b.day = e.day AND b.tenant = e.tenant');
});
