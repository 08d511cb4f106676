/**
 * Unlogged Bedrock traffic in one account and region: inference through the bedrock-mantle
 * endpoint (OpenAI Responses and Chat Completions, Anthropic Messages), wherever it is allowed:
 * in every account that no organizationPolicies.loggedInferenceOnly SCP provably covers, and in the allowMantle
 * accounts (config/inference-paths.ts decides). Model invocation logging covers only
 * bedrock-runtime, so this traffic has no invocation log, no requestMetadata and no tenant;
 * these metrics and the bill (CUR) are all that show it (docs/model-access-paths.md).
 *
 * Metrics: namespace AWS/BedrockMantle (Bedrock user guide, "Monitor bedrock-mantle inference
 * using CloudWatch metrics"): Inferences and InferenceClientErrors (Account, Project, Model and
 * Project+Model levels), TotalInputTokens and TotalOutputTokens (Account, Project and Model levels);
 * metric names checked against that page on 2026-12-04. The page names the levels; the dimension names
 * were not in the text this project could read (public code reads them as Project and Model, which is
 * no AWS source). So the widgets use SEARCH over the namespace (every level, whatever its dimensions),
 * and the alarm reads the metric without dimensions, taken to be the Account level (unverified: check
 * it in a real account, as docs/model-access-paths.md says).
 */
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import type { StackConfig } from '../../config/model';
import { MANTLE_MARK, MANTLE_NAMESPACE, USAGE_NAME_PREFIX } from '../../config/naming';
import type { UsageAlarms } from '../analytics/alarms';

export { MANTLE_MARK, MANTLE_NAMESPACE };
/** Terraform names of the dashboard and the alarm (the IaC rule MANTLE_UNLOGGED_ALARM and the review read the alarm's). */
export const UNLOGGED_TRAFFIC = { dashboard: 'unlogged_traffic', alarm: 'unlogged_mantle_inferences' } as const;
/** Dashboard name: under the usage prefix, which the deploy role may manage (policies/deploy-role-policies.ts). */
export const unloggedDashboardName = (region: string) => `${USAGE_NAME_PREFIX}unlogged-${region}`;
export const unloggedAlarmName = (region: string) => `bedrock-unlogged-mantle-inferences-${region}`;

/** The dashboard body: what bedrock-mantle served here, as unlogged traffic. */
export function unloggedDashboardBody(region: string, models?: string[]) {
  const search = (metric: string) => [
    { expression: `SEARCH('Namespace="${MANTLE_NAMESPACE}" MetricName="${metric}"', 'Sum', 300)`, id: 'e1', label: '' },
  ];
  const widget = (title: string, x: number, y: number, metric: string) => ({
    type: 'metric',
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region, view: 'timeSeries', stat: 'Sum', period: 300, metrics: [search(metric)] },
  });
  // The dashboard text keeps the former matrix key (now organizationPolicies.loggedInferenceOnly.allowMantle):
  // it is synthesized output, which the rename of issue 27 left byte-identical.
  const allowed = models ? `only ${models.join(', ')} (organizationPolicies.loggedInferenceOnly.allowMantle)` : 'any model';
  return {
    widgets: [
      {
        type: 'text',
        x: 0,
        y: 0,
        width: 24,
        height: 3,
        properties: {
          markdown: `## Unlogged Bedrock traffic (bedrock-mantle) in ${region}\nInference through bedrock-mantle (OpenAI Responses and Chat Completions, Anthropic Messages), allowed here for ${allowed}. It is **not in the invocation logs**: no requestMetadata, no tenant, no usage report; its cost shows only in CUR. Managed by bedrock-governance.`,
        },
      },
      widget('Unlogged inferences (bedrock-mantle)', 0, 3, 'Inferences'),
      widget('Unlogged inference client errors (bedrock-mantle)', 12, 3, 'InferenceClientErrors'),
      widget('Unlogged input tokens (bedrock-mantle)', 0, 9, 'TotalInputTokens'),
      widget('Unlogged output tokens (bedrock-mantle)', 12, 9, 'TotalOutputTokens'),
    ],
  };
}

export interface UnloggedTrafficMonitoringProps {
  readonly region: string;
  /** StackConfig.unloggedMantle: the alarm's threshold and the models the dashboard names. */
  readonly mantle: NonNullable<StackConfig['unloggedMantle']>;
  /** The stack's alarms (analytics.alarms): the alarm notifies their topic; unset: no notification. */
  readonly alarms?: UsageAlarms;
}

/** The dashboard and the alarm; the alarm notifies the stack's alarm topic when analytics.alarms is on. */
export class UnloggedTrafficMonitoring extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: UnloggedTrafficMonitoringProps) {
    super(scope, id);
    const m = props.mantle;
    const r = props.region;
    new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: unloggedDashboardName(r),
      dashboardBody: JSON.stringify(unloggedDashboardBody(r, m.models)),
    }).overrideLogicalId(UNLOGGED_TRAFFIC.dashboard);
    // The topic of the stack's alarms (stacks/analytics/alarms.ts): its own, or the existing one analytics.alarms.topicArn names.
    const topic = props.alarms ? [props.alarms.topicArn] : undefined;
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: unloggedAlarmName(r),
      alarmDescription: `Unlogged Bedrock traffic in ${r}: more than ${m.inferencesPerHour} inferences in an hour through bedrock-mantle, which invocation logging does not capture (no tenant attribution; cost in CUR only)`,
      namespace: MANTLE_NAMESPACE,
      metricName: 'Inferences',
      statistic: 'Sum',
      period: 3600,
      evaluationPeriods: 1,
      threshold: m.inferencesPerHour,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: topic,
      okActions: topic,
    });
    this.alarm.overrideLogicalId(UNLOGGED_TRAFFIC.alarm);
  }
}
