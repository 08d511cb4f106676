/**
 * The organization dashboard and alarms of a monitoring stack (matrix observability): what
 * every linked account of the region does with Amazon Bedrock, from the monitoring account.
 *
 * Widgets use SEARCH, which in a monitoring account returns the metrics of every linked source
 * account (CloudWatch user guide, "CloudWatch cross-account observability"), one series per
 * account and dimension set, so a new account appears without a deploy. Alarms cannot use
 * SEARCH: each watches one account, naming it in its description, through the AccountId field of
 * its metric queries (PutMetricAlarm, MetricDataQuery.AccountId: "the ID of the account where the
 * metrics are located", for alarms in a monitoring account; provider 5.100
 * aws_cloudwatch_metric_alarm metric_query.account_id).
 */
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import type { MonitoringConfig } from '../../config/model';
import { ORGANIZATION_NAME_PREFIX } from '../../config/naming';
import { AlarmSpec, MAX_ALARM_METRICS, deliveryFailureMetrics } from '../analytics/alarms';
import { TENANT_NAMESPACE } from '../analytics/cloudwatch';
import { SearchMetric, searchWidget as widget } from '../analytics/dashboard';
import { GUARDRAIL_NAMESPACE } from '../safety/monitoring';

export const BEDROCK_NAMESPACE = 'AWS/Bedrock';

/** Every log-delivery failure metric Bedrock may emit (stacks/analytics/alarms.ts), whatever the destinations. */
const ALL_DELIVERY_FAILURES = deliveryFailureMetrics(['s3', 'cloudwatch']);

const bedrock = (metricName: string): SearchMetric => ({ namespace: BEDROCK_NAMESPACE, dimensions: ['ModelId'], metricName });

/** The body of the organization dashboard of a region. */
export function organizationDashboardBody(input: { region: string; accounts: { accountId: string; accountName: string }[] }) {
  const r = input.region;
  const names = input.accounts.map((a) => `${a.accountName} (${a.accountId})`).join(', ');
  return {
    widgets: [
      {
        type: 'text',
        x: 0,
        y: 0,
        width: 24,
        height: 2,
        properties: {
          markdown: `## Amazon Bedrock across the organization in ${r}\nEvery series is one linked account (and model, tenant or guardrail). Linked accounts: ${names || 'none yet'}. Managed by bedrock-governance.`,
        },
      },
      widget('Invocations per account and model', r, [bedrock('Invocations')], 'Sum', { x: 0, y: 2 }),
      widget('Invocation latency p99 (ms) per account and model', r, [bedrock('InvocationLatency')], 'p99', { x: 8, y: 2 }),
      widget('Throttles per account and model', r, [bedrock('InvocationThrottles')], 'Sum', { x: 16, y: 2 }),
      widget('Server errors per account and model', r, [bedrock('InvocationServerErrors')], 'Sum', { x: 0, y: 8 }),
      widget(
        'Log delivery failures per account (lost logs lose attribution)',
        r,
        ALL_DELIVERY_FAILURES.map((d) => ({ namespace: BEDROCK_NAMESPACE, dimensions: [], metricName: d.metricName })),
        'Sum',
        { x: 8, y: 8 },
      ),
      widget(
        'Guardrail interventions per account and guardrail',
        r,
        [{ namespace: GUARDRAIL_NAMESPACE, dimensions: ['GuardrailArn', 'GuardrailVersion'], metricName: 'InvocationsIntervened' }],
        'Sum',
        {
          x: 16,
          y: 8,
        },
      ),
      ...['InputTokens', 'OutputTokens'].map((m, i) =>
        widget(
          `${m === 'InputTokens' ? 'Input' : 'Output'} tokens per tenant and account (hourly)`,
          r,
          [{ namespace: TENANT_NAMESPACE, dimensions: ['Tenant'], metricName: m }],
          'Sum',
          { x: i * 12, y: 14, width: 12 },
          3600,
        ),
      ),
    ],
  };
}

const chunks = <T>(l: T[], n: number) => Array.from({ length: Math.ceil(l.length / n) }, (_, i) => l.slice(i * n, (i + 1) * n));

/**
 * The organization alarms of a region: per linked account, throttles over its models (metric math,
 * at most 10 metrics an alarm) and each log-delivery failure metric its destinations emit. Every
 * metric query carries the account's ID; the description names the account.
 */
export function organizationAlarmSpecs(m: Pick<MonitoringConfig, 'region' | 'sources' | 'throttlesPer5Min'>): AlarmSpec[] {
  const r = m.region;
  const specs: AlarmSpec[] = [];
  for (const s of m.sources) {
    const who = `account ${s.accountName} (${s.accountId})`;
    const models = chunks(s.modelIds, MAX_ALARM_METRICS);
    models.forEach((ids, i) => {
      const suffix = models.length > 1 ? `-${i + 1}` : '';
      specs.push({
        id: `throttles_${s.accountId}${suffix.replace('-', '_')}`,
        alarmName: `${ORGANIZATION_NAME_PREFIX}throttles-${s.accountId}-${r}${suffix}`,
        alarmDescription: `Bedrock throttled invocations in ${who}, ${r}, over ${ids.join(', ')}: raise the account's quota or spread its load`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: m.throttlesPer5Min,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
        metricQuery: [
          { id: 'e1', expression: 'SUM(METRICS())', label: `InvocationThrottles of ${s.accountId}`, returnData: true },
          ...ids.map((id, k) => ({
            id: `m${k}`,
            accountId: s.accountId,
            returnData: false,
            metric: {
              namespace: BEDROCK_NAMESPACE,
              metricName: 'InvocationThrottles',
              dimensions: { ModelId: id },
              period: 300,
              stat: 'Sum',
            },
          })),
        ],
      });
    });
    for (const d of deliveryFailureMetrics(s.destinations))
      specs.push({
        id: `log_delivery_${d.id}_${s.accountId}`,
        alarmName: `${ORGANIZATION_NAME_PREFIX}log-delivery-${d.id.replace(/_/g, '-')}-${s.accountId}-${r}`,
        alarmDescription: `Bedrock could not deliver ${d.what} in ${who}, ${r}: those invocations lose their tenant attribution`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
        metricQuery: [
          {
            id: 'm1',
            accountId: s.accountId,
            returnData: true,
            metric: { namespace: BEDROCK_NAMESPACE, metricName: d.metricName, period: 300, stat: 'Sum' },
          },
        ],
      });
  }
  return specs;
}

export interface OrganizationDashboardProps {
  /** The monitoring account's region. */
  readonly region: string;
  readonly dashboardName: string;
  /** The accounts that link to the region's sink, with what the alarms watch in each. */
  readonly sources: MonitoringConfig['sources'];
  /** The throttle alarms' threshold. */
  readonly throttlesPer5Min: number;
  /** The topic the alarms notify; unset: none. */
  readonly alarmTopicArn?: string;
}

export class OrganizationDashboard extends Construct {
  constructor(scope: Construct, id: string, props: OrganizationDashboardProps) {
    super(scope, id);
    const m = props;
    new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: m.dashboardName,
      dashboardBody: JSON.stringify(organizationDashboardBody({ region: m.region, accounts: m.sources })),
    }).overrideLogicalId('organization');
    const actions = m.alarmTopicArn ? { alarmActions: [m.alarmTopicArn], okActions: [m.alarmTopicArn] } : {};
    for (const { id: alarmId, ...spec } of organizationAlarmSpecs(m))
      new CloudwatchMetricAlarm(this, alarmId, { ...spec, ...actions }).overrideLogicalId(alarmId);
  }
}
