import { CloudwatchMetricAlarm, CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import type { AnalyticsSettings } from '../../config/analytics';
import type { Destination, ProfileConfig } from '../../config/model';
import { ALARM_KEY_ALIAS, ALARM_TOPIC_NAME, LOG_DELIVERY_ALARM_PREFIX } from '../../config/naming';
import { tenantAlarmId } from '../../config/rules';
import { alarmTopicKeyPolicy, alarmTopicPolicy } from '../../policies/alarm-topic-policies';
import type { Target } from '../../policies/document';
import type { TenantGuardrail } from '../safety/guardrails';
import { guardrailAlarmSpecs } from '../safety/monitoring';
import { ANY_IN_FIVE_MINUTES, TENANT_NAMESPACE } from './cloudwatch';

/** CloudWatch alarms take at most 10 metrics in one metric-math expression. */
export const MAX_ALARM_METRICS = 10;

export type AlarmSpec = Omit<CloudwatchMetricAlarmConfig, 'alarmActions' | 'okActions'> & { id: string };

/** The model IDs the Bedrock metrics of this stack's models are reported under (foundation model or system profile IDs). */
export function modelIds(profiles: readonly Pick<ProfileConfig, 'copyFrom'>[]): string[] {
  return [...new Set(profiles.map((p) => p.copyFrom.split('/').pop()!))].sort();
}

/**
 * The log-delivery failure metrics Bedrock emits for a set of destinations, each exactly
 * when its destination exists (Bedrock user guide, "Monitor bedrock-runtime inference using
 * CloudWatch metrics": namespace AWS/Bedrock, "Across all model IDs", no dimension). A metric
 * whose destination is absent is never emitted, so an alarm on it with notBreaching would be
 * green forever. Large and binary bodies go to S3 through large_data_delivery_s3_config only
 * when CloudWatch is a destination; with S3 alone they go to the S3 destination itself.
 * The alarms and the dashboard both list this set.
 */
export function deliveryFailureMetrics(destinations: readonly string[]): { id: string; metricName: string; what: string }[] {
  const s3 = destinations.includes('s3');
  const cloudwatch = destinations.includes('cloudwatch');
  return [
    ...(s3 ? [{ id: 's3', metricName: 'ModelInvocationLogsS3DeliveryFailure', what: 'invocation logs to S3' }] : []),
    ...(cloudwatch
      ? [{ id: 'cloudwatch', metricName: 'ModelInvocationLogsCloudWatchDeliveryFailure', what: 'invocation logs to CloudWatch Logs' }]
      : []),
    ...(cloudwatch
      ? [{ id: 'large_data', metricName: 'ModelInvocationLargeDataS3DeliveryFailure', what: 'large or binary invocation bodies to S3' }]
      : []),
  ];
}

const chunks = <T>(l: T[], n: number) => Array.from({ length: Math.ceil(l.length / n) }, (_, i) => l.slice(i * n, (i + 1) * n));

/** What the alarms of a stack are made from. */
export interface AlarmInput {
  readonly region: string;
  /** analytics.alarms, resolved. */
  readonly alarms: NonNullable<AnalyticsSettings['alarms']>;
  /** analytics.metricFilters: the per-tenant token alarms read their metrics. */
  readonly metricFilters: boolean;
  /** The logging destinations, whose delivery failures alarm. */
  readonly destinations: readonly Destination[];
  /** The stack's profiles: their models' metrics, and the tenants placed here. */
  readonly profiles: readonly ProfileConfig[];
  /** The stack's Bedrock guardrails (TenantGuardrails), whose interventions alarm. */
  readonly guardrails: readonly TenantGuardrail[];
}

/**
 * The alarms of a stack, as plain configs: server errors, throttles and p99 latency
 * over its models (metric math, at most 10 models per alarm), log-delivery failures
 * per destination, and per-tenant daily tokens where the matrix sets a threshold.
 */
export function alarmSpecs(input: AlarmInput): AlarmSpec[] {
  const { alarms: a, region: r, profiles } = input;
  const specs: AlarmSpec[] = [];
  const models = chunks(modelIds(profiles), MAX_ALARM_METRICS);
  const overModels = (metric: string, stat: string, ids: string[], fn: 'SUM' | 'MAX') => [
    { id: 'e1', expression: `${fn}(METRICS())`, label: `${metric} ${fn === 'SUM' ? 'sum' : 'max'} over models`, returnData: true },
    ...ids.map((id, i) => ({
      id: `m${i}`,
      returnData: false,
      metric: { namespace: 'AWS/Bedrock', metricName: metric, dimensions: { ModelId: id }, period: 300, stat },
    })),
  ];
  models.forEach((ids, i) => {
    const suffix = models.length > 1 ? `-${i + 1}` : '';
    const idSuffix = suffix.replace('-', '_');
    specs.push(
      {
        id: `server_errors${idSuffix}`,
        alarmName: `bedrock-server-errors-${r}${suffix}`,
        alarmDescription: `Bedrock server errors (5xx) in ${r} over ${ids.join(', ')}`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: a.serverErrorsPer5Min,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
        metricQuery: overModels('InvocationServerErrors', 'Sum', ids, 'SUM'),
      },
      {
        id: `throttles${idSuffix}`,
        alarmName: `bedrock-throttles-${r}${suffix}`,
        alarmDescription: `Bedrock throttled invocations in ${r} over ${ids.join(', ')}: raise the quota or spread load`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: a.throttlesPer5Min,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
        metricQuery: overModels('InvocationThrottles', 'Sum', ids, 'SUM'),
      },
      {
        id: `latency_p99${idSuffix}`,
        alarmName: `bedrock-latency-p99-${r}${suffix}`,
        alarmDescription: `Bedrock p99 invocation latency in ${r} above the ${a.latencyP99Ms} ms SLO for 15 minutes, over ${ids.join(', ')}`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: a.latencyP99Ms,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: 'notBreaching',
        metricQuery: overModels('InvocationLatency', 'p99', ids, 'MAX'),
      },
    );
  });
  for (const d of deliveryFailureMetrics(input.destinations))
    specs.push({
      id: `log_delivery_${d.id}`,
      alarmName: `${LOG_DELIVERY_ALARM_PREFIX}${d.id.replace(/_/g, '-')}-${r}`,
      alarmDescription: `Bedrock could not deliver ${d.what} in ${r}: those invocations lose their tenant attribution`,
      namespace: 'AWS/Bedrock',
      metricName: d.metricName,
      ...ANY_IN_FIVE_MINUTES,
    });
  if (input.metricFilters) {
    const placed = new Set(profiles.map((p) => p.tenant));
    for (const [tenant, tokens] of Object.entries(a.tenantDailyTokens).sort())
      if (placed.has(tenant))
        specs.push({
          id: tenantAlarmId(tenant),
          alarmName: `bedrock-tenant-tokens-${tenant}-${r}`,
          alarmDescription: `Tenant ${tenant} used more than ${tokens} tokens (input + output) in a day in ${r}`,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: tokens,
          evaluationPeriods: 1,
          treatMissingData: 'notBreaching',
          metricQuery: [
            { id: 'e1', expression: 'm1 + m2', label: `${tenant} tokens per day`, returnData: true },
            ...['InputTokens', 'OutputTokens'].map((m, i) => ({
              id: `m${i + 1}`,
              returnData: false,
              metric: { namespace: TENANT_NAMESPACE, metricName: m, dimensions: { Tenant: tenant }, period: 86400, stat: 'Sum' },
            })),
          ],
        });
  }
  // Bedrock guardrails of the stack's tenants: intervention spikes and prompt attacks (stacks/safety/monitoring.ts).
  specs.push(...guardrailAlarmSpecs(r, input.destinations, input.guardrails));
  return specs;
}

export interface UsageAlarmsProps {
  /** The account and region: the topic's key and policy. */
  readonly target: Target;
  /** analytics.alarms, resolved. */
  readonly alarms: NonNullable<AnalyticsSettings['alarms']>;
  /** analytics.metricFilters: the per-tenant token alarms read their metrics. */
  readonly metricFilters: boolean;
  readonly destinations: readonly Destination[];
  /** The stack's profiles (ProfileConfig; the alarms read their models and tenants, not their resources). */
  readonly profiles: readonly ProfileConfig[];
  /** The stack's Bedrock guardrails; unset: none. */
  readonly guardrails?: readonly TenantGuardrail[];
}

/**
 * The alarms, notifying the stack's own encrypted SNS topic (with the matrix's e-mail
 * addresses subscribed: one confirmation per address and stack), or, with
 * analytics.alarms.topicArn, an existing topic (ChatOps, an on-call tool): then the
 * stack creates no topic, key or subscription (docs/alarms.md).
 */
export class UsageAlarms extends Construct {
  /** The ARN every alarm notifies. */
  readonly topicArn: string;

  constructor(scope: Construct, id: string, props: UsageAlarmsProps) {
    super(scope, id);
    const { target, alarms } = props;
    this.topicArn = alarms.topicArn ?? this.ownTopic(target, alarms.emails);
    for (const { id: alarmId, ...spec } of alarmSpecs({ ...props, region: target.region, guardrails: props.guardrails ?? [] }))
      new CloudwatchMetricAlarm(this, alarmId, { ...spec, alarmActions: [this.topicArn], okActions: [this.topicArn] }).overrideLogicalId(
        alarmId,
      );
  }

  /** The stack's own topic, its key, and an e-mail subscription per address; returns the topic's ARN. */
  private ownTopic(target: Target, emails: string[]): string {
    const key = new KmsKey(this, 'key', {
      description: `Encrypts the Bedrock alarm topic in ${target.region}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(alarmTopicKeyPolicy(target)),
      lifecycle: { preventDestroy: true },
    });
    key.overrideLogicalId('alarms');
    new KmsAlias(this, 'alias', { name: ALARM_KEY_ALIAS, targetKeyId: key.keyId }).overrideLogicalId('alarms');
    const topic = new SnsTopic(this, 'topic', { name: ALARM_TOPIC_NAME, kmsMasterKeyId: key.arn });
    topic.overrideLogicalId('alarms');
    new SnsTopicPolicy(this, 'topic-policy', {
      arn: topic.arn,
      policy: JSON.stringify(alarmTopicPolicy({ target, topicArn: topic.arn })),
    }).overrideLogicalId('alarms');
    emails.forEach((endpoint, i) =>
      new SnsTopicSubscription(this, `email-${i}`, { topicArn: topic.arn, protocol: 'email', endpoint }).overrideLogicalId(
        `alarms_email_${i}`,
      ),
    );
    return topic.arn;
  }
}
