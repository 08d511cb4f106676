import { CloudwatchLogDataProtectionPolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-data-protection-policy';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchQueryDefinition } from '@cdktf/provider-aws/lib/cloudwatch-query-definition';
import { Construct } from 'constructs';
import type { AnalyticsSettings } from '../../config/analytics';
import type { LogGroupDestination } from '../logging/log-group';
import { insightsQueries } from './queries';

/** An alarm on any occurrence: the metric's sum over 5 minutes above 0; no data (nothing happened) is not a breach. */
export const ANY_IN_FIVE_MINUTES = {
  statistic: 'Sum',
  period: 300,
  comparisonOperator: 'GreaterThanThreshold',
  threshold: 0,
  evaluationPeriods: 1,
  treatMissingData: 'notBreaching',
} as const;

/** Namespace of the per-tenant token metrics the metric filters publish. */
export const TENANT_NAMESPACE = 'Bedrock/TenantUsage';

export interface MetricFilterSpec {
  id: string;
  name: string;
  pattern: string;
  metricName: string;
  value: string;
  dimensions: Record<string, string>;
}

/**
 * Token metrics per tenant from the invocation log group: input and output tokens
 * by Tenant and ModelId (plus an optional requestMetadata key: at most three
 * dimensions), and by Tenant alone for the per-tenant alarms. Only records that
 * carry the tenant key count; a filter with dimensions cannot have a default value.
 */
export function metricFilterSpecs(tenantKey: string, extraDimension?: string): MetricFilterSpec[] {
  const field = (key: string) => `$.requestMetadata.${key}`;
  // A field is used as a value or dimension only where the record has it.
  const pattern = (fields: string[]) => `{ ($.schemaType = "ModelInvocationLog")${fields.map((f) => ` && (${f} = "*")`).join('')} }`;
  const extra = extraDimension ? { [extraDimension.replace(/[^A-Za-z0-9]/g, '')]: field(extraDimension) } : {};
  const specs: [string, string, string][] = [
    ['input_tokens', 'InputTokens', '$.input.inputTokenCount'],
    ['output_tokens', 'OutputTokens', '$.output.outputTokenCount'],
  ];
  return specs.flatMap(([id, metricName, value]) => [
    {
      id: `tenant_model_${id}`,
      name: `bedrock-tenant-model-${id.replace('_', '-')}`,
      pattern: pattern([field(tenantKey), value, ...Object.values(extra)]),
      metricName,
      value,
      dimensions: { Tenant: field(tenantKey), ModelId: '$.modelId', ...extra },
    },
    {
      id: `tenant_${id}`,
      name: `bedrock-tenant-${id.replace('_', '-')}`,
      pattern: pattern([field(tenantKey), value]),
      metricName,
      value,
      dimensions: { Tenant: field(tenantKey) },
    },
  ]);
}

/** CloudWatch Logs data protection: audit and mask the data identifiers in the invocation log group. */
export function dataProtectionPolicy(partition: string, identifiers: string[]) {
  const arns = identifiers.map((i) => `arn:${partition}:dataprotection::aws:data-identifier/${i}`);
  return {
    Name: 'bedrock-invocation-logs-data-protection',
    Description: 'Masks personal data in Bedrock prompts and responses (bedrock-governance)',
    Version: '2021-06-01',
    Statement: [
      { Sid: 'audit', DataIdentifier: arns, Operation: { Audit: { FindingsDestination: {} } } },
      { Sid: 'redact', DataIdentifier: arns, Operation: { Deidentify: { MaskConfig: {} } } },
    ],
  };
}

/** Metric filters, Logs Insights saved queries and data protection on the invocation log group. */
export interface UsageCloudWatchProps {
  /** The partition: the data protection policy's ARNs. */
  readonly partition: string;
  /** The stack's analytics settings (its tenantKey, extraDimension, metricFilters, savedQueries and piiMasking). */
  readonly analytics: Pick<AnalyticsSettings, 'tenantKey' | 'extraDimension' | 'metricFilters' | 'savedQueries' | 'piiMasking'>;
  /** The CloudWatch destination: its log group. */
  readonly logGroup: LogGroupDestination;
}

export class UsageCloudWatch extends Construct {
  constructor(scope: Construct, id: string, props: UsageCloudWatchProps) {
    super(scope, id);
    const a = props.analytics;
    const logGroupName = props.logGroup.logGroup.name;
    if (a.metricFilters)
      for (const f of metricFilterSpecs(a.tenantKey, a.extraDimension))
        new CloudwatchLogMetricFilter(this, f.id, {
          name: f.name,
          logGroupName,
          pattern: f.pattern,
          metricTransformation: {
            name: f.metricName,
            namespace: TENANT_NAMESPACE,
            value: f.value,
            unit: 'Count',
            dimensions: f.dimensions,
          },
        }).overrideLogicalId(f.id);
    if (a.savedQueries)
      for (const q of insightsQueries(a.tenantKey))
        new CloudwatchQueryDefinition(this, q.id, { name: q.name, logGroupNames: [logGroupName], queryString: q.query }).overrideLogicalId(
          q.id,
        );
    if (a.piiMasking)
      new CloudwatchLogDataProtectionPolicy(this, 'data-protection', {
        logGroupName,
        policyDocument: JSON.stringify(dataProtectionPolicy(props.partition, a.piiMasking.dataIdentifiers)),
      }).overrideLogicalId('invocation_logs');
  }
}
