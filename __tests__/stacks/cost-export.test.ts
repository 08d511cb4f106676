/** The management stack's CUR 2.0 export (matrix costExport): addresses, options, queries. */
import { Testing } from 'cdktf';
import { resourceTagsKey } from '../../config/cost-export';
import { ManagementStack } from '../../stacks/management-stack';
import { COST_EXPORT_STATEFUL, FRESHNESS_HOURS } from '../../stacks/management/cost-export';
import { resolveMatrix } from '../helpers';
import type { PolicyDocument } from '../../review/terraform-json';

const synthManagement = (extra: object) => {
  const config = resolveMatrix({
    managementAccountId: '999999999999',
    accounts: [{ id: '111111111111', regions: ['us-east-1'] }],
    ...extra,
  });
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
  const tf = synthManagement({
    costExport: { bucketNamePrefix: 'finops-cur', exportName: 'cur-bedrock', granularity: 'HOURLY', days: 10 },
    costAllocationTagKeys: { tenant: 'Cost-Tenant' },
  });
  const e = tf.resource.aws_bcmdataexports_export.cost_export.export[0];
  expect(e.name).toBe('cur-bedrock');
  expect(e.destination_configurations[0].s3_destination[0].s3_bucket).toBe('finops-cur-999999999999');
  expect(e.data_query[0].table_configurations.COST_AND_USAGE_REPORT.TIME_GRANULARITY).toBe('HOURLY');
  const q = tf.resource.aws_athena_named_query.billed_cost_per_tenant_day.query;
  expect(q).toContain("element_at(resource_tags, 'user_cost_tenant')");
  expect(q).toContain("billing_period >= date_format(current_date - interval '10' day, '%Y-%m')");
  const override = synthManagement({ costExport: { tenantTagColumn: 'user_team' } });
  expect(override.resource.aws_athena_named_query.billed_vs_estimated_per_tenant_day.query).toContain(
    "element_at(resource_tags, 'user_team')",
  );
});

test('resource_tags keys: user_ and the key, lower-cased, other characters as _', () => {
  expect(resourceTagsKey('tenant')).toBe('user_tenant');
  expect(resourceTagsKey('cost-center')).toBe('user_cost_center');
  expect(resourceTagsKey('karpenter.sh/nodepool')).toBe('user_karpenter_sh_nodepool');
});

test('the reconciliation query: billed and estimated per tenant and day, the difference and the untagged share', () => {
  const q = synthManagement({ costExport: {} }).resource.aws_athena_named_query.billed_vs_estimated_per_tenant_day.query;
  for (const column of ['billed_usd', 'estimated_usd', 'difference_usd', 'difference_pct', 'untagged_share_pct'])
    expect(q).toContain(` AS ${column}`);
  expect(q).toContain('FROM "bedrock_cost"."estimates"');
  expect(q).toContain('FULL OUTER JOIN estimated e ON b.day = e.day AND b.tenant = e.tenant');
});

describe('delivery freshness: an alarm when no new export object arrived for 2 days', () => {
  const tf = synthManagement({ costExport: { s3Prefix: 'billing/cur2', exportName: 'cur-bedrock' } });
  const bucket = 'bedrock-cost-export-999999999999';

  test('the export bucket sends its events to EventBridge; a rule matches new objects under the export data prefix', () => {
    expect(tf.resource.aws_s3_bucket_notification.cost_export).toEqual({
      bucket: '${aws_s3_bucket.cost_export.bucket}',
      eventbridge: true,
    });
    const rule = tf.resource.aws_cloudwatch_event_rule.cost_export_delivery;
    expect(rule).toMatchObject({ name: 'bedrock-cost-export-delivery', state: 'ENABLED' });
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [bucket] }, object: { key: [{ prefix: 'billing/cur2/cur-bedrock/data/' }] } },
    });
  });

  test('the alarm: no matched event in 48 hours, missing data breaching, to the budget-alert topic, within CloudWatch limits', () => {
    const a = tf.resource.aws_cloudwatch_metric_alarm.cost_export_freshness;
    expect(a).toMatchObject({
      alarm_name: 'bedrock-cost-export-freshness',
      namespace: 'AWS/Events',
      metric_name: 'MatchedEvents',
      dimensions: { RuleName: '${aws_cloudwatch_event_rule.cost_export_delivery.name}' },
      statistic: 'Sum',
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      treat_missing_data: 'breaching',
      alarm_actions: ['${aws_sns_topic.budget_alerts.arn}'],
      ok_actions: ['${aws_sns_topic.budget_alerts.arn}'],
    });
    // Every period of the window must be empty: the alarm fires after FRESHNESS_HOURS without a new object.
    expect(a.period * a.evaluation_periods).toBe(2 * 24 * 3600);
    expect(a.datapoints_to_alarm).toBe(a.evaluation_periods);
    expect(FRESHNESS_HOURS).toBe(48);
    // PutMetricAlarm: Period x EvaluationPeriods <= 7 days; <= 1 day when the period is under an hour.
    expect(a.period * a.evaluation_periods).toBeLessThanOrEqual(a.period >= 3600 ? 604_800 : 86_400);
  });

  test('the budget-alert topic and its key admit CloudWatch for this alarm only when the export exists', () => {
    const statements = (doc: string) => (JSON.parse(doc) as PolicyDocument).Statement.map((s) => s.Sid);
    expect(statements(tf.resource.aws_sns_topic_policy.budget_alerts.policy)).toEqual([
      'AllowBudgetsPublish',
      'AllowCostExportFreshnessAlarmPublish',
    ]);
    expect(statements(tf.resource.aws_kms_key.budget_alerts.policy)).toEqual([
      'AccountRootAdministersKey',
      'AllowBudgetsToPublishEncrypted',
      'AllowCostExportFreshnessAlarmToPublishEncrypted',
    ]);
    const without = synthManagement({});
    expect(statements(without.resource.aws_sns_topic_policy.budget_alerts.policy)).toEqual(['AllowBudgetsPublish']);
    expect(without.resource.aws_cloudwatch_metric_alarm).toBeUndefined();
  });
});
