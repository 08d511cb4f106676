import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { Construct } from 'constructs';
import { guardrailWidgets } from '../safety/monitoring';
import type { TenantGuardrail, TenantGuardrails } from '../safety/guardrails';
import { usageDashboardName } from '../../config/naming';
import { deliveryFailureMetrics } from './alarms';
import { TENANT_NAMESPACE } from './cloudwatch';

const BEDROCK = 'AWS/Bedrock';

/** A SEARCH schema: the namespace and the dimension names the series carry, and the metric. */
export interface SearchMetric {
  namespace: string;
  dimensions: string[];
  metricName: string;
}

const searchExpression = (m: SearchMetric, stat: string, period: number) =>
  `SEARCH('{${[m.namespace, ...m.dimensions].join(',')}} MetricName="${m.metricName}"', '${stat}', ${period})`;

/**
 * A metric widget of one or more SEARCH expressions, so new series (models, accounts) appear without a deploy;
 * the organization dashboard (stacks/observability) uses it too.
 */
export function searchWidget(
  title: string,
  region: string,
  metrics: SearchMetric[],
  stat: string,
  pos: { x: number; y: number; width?: number },
  period = 300,
) {
  return {
    type: 'metric',
    x: pos.x,
    y: pos.y,
    width: pos.width ?? 8,
    height: 6,
    properties: {
      title,
      region,
      view: 'timeSeries',
      stat,
      period,
      metrics: metrics.map((m, i) => [{ expression: searchExpression(m, stat, period), id: `e${i + 1}`, label: '' }]),
    },
  };
}

/** A widget of one Bedrock metric over every model of the namespace. */
const search = (title: string, metric: string, stat: string, region: string, x: number, y: number) =>
  searchWidget(title, region, [{ namespace: BEDROCK, dimensions: ['ModelId'], metricName: metric }], stat, { x, y });

/** The dashboard body of a stack: Bedrock health and use per model, log delivery, and tokens per tenant. */
export function dashboardBody(input: {
  region: string;
  tenantWidgets: boolean;
  s3: boolean;
  cloudwatch: boolean;
  guardrails?: readonly TenantGuardrail[];
}) {
  const r = input.region;
  const widgets: object[] = [
    {
      type: 'text',
      x: 0,
      y: 0,
      width: 24,
      height: 2,
      properties: {
        markdown: `## Amazon Bedrock usage in ${r}\nInvocations, latency, tokens and errors per model; log delivery; tokens per tenant (requestMetadata). Managed by bedrock-governance.`,
      },
    },
    search('Invocations', 'Invocations', 'Sum', r, 0, 2),
    search('Invocation latency p99 (ms)', 'InvocationLatency', 'p99', r, 8, 2),
    search('Time to first token p99 (ms)', 'TimeToFirstToken', 'p99', r, 16, 2),
    search('Input tokens', 'InputTokenCount', 'Sum', r, 0, 8),
    search('Output tokens', 'OutputTokenCount', 'Sum', r, 8, 8),
    search('Throttles', 'InvocationThrottles', 'Sum', r, 16, 8),
    search('Client errors', 'InvocationClientErrors', 'Sum', r, 0, 14),
    search('Server errors', 'InvocationServerErrors', 'Sum', r, 8, 14),
    {
      type: 'metric',
      x: 16,
      y: 14,
      width: 8,
      height: 6,
      properties: {
        title: 'Log delivery failures (lost logs lose attribution)',
        region: r,
        view: 'timeSeries',
        stat: 'Sum',
        period: 300,
        // The same set the alarms watch: each failure metric exactly when its destination exists.
        metrics: deliveryFailureMetrics([...(input.s3 ? ['s3'] : []), ...(input.cloudwatch ? ['cloudwatch'] : [])]).map((d) => [
          BEDROCK,
          d.metricName,
        ]),
      },
    },
  ];
  if (input.tenantWidgets)
    widgets.push(
      ...['InputTokens', 'OutputTokens'].map((m, i) => ({
        type: 'metric',
        x: i * 12,
        y: 20,
        width: 12,
        height: 6,
        properties: {
          title: `${m === 'InputTokens' ? 'Input' : 'Output'} tokens per tenant (hourly)`,
          region: r,
          view: 'timeSeries',
          stacked: true,
          stat: 'Sum',
          period: 3600,
          metrics: [[{ expression: `SEARCH('{${TENANT_NAMESPACE},Tenant} MetricName="${m}"', 'Sum', 3600)`, id: 'e1', label: '' }]],
        },
      })),
    );
  // Bedrock guardrails of the stack's tenants (stacks/safety/monitoring.ts), below everything else.
  widgets.push(...guardrailWidgets(r, input.guardrails ?? [], 26));
  return { widgets };
}

export interface UsageDashboardProps {
  readonly region: string;
  /** analytics.metricFilters: the per-tenant token widgets (their metrics come from the metric filters). */
  readonly tenantWidgets: boolean;
  /** The logging destinations, whose delivery metrics are shown. */
  readonly destinations: readonly string[];
  /** The stack's Bedrock guardrails, shown below everything else. */
  readonly guardrails?: TenantGuardrails;
}

export class UsageDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: UsageDashboardProps) {
    super(scope, id);
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: usageDashboardName(props.region),
      dashboardBody: JSON.stringify(
        dashboardBody({
          region: props.region,
          tenantWidgets: props.tenantWidgets,
          s3: props.destinations.includes('s3'),
          cloudwatch: props.destinations.includes('cloudwatch'),
          guardrails: props.guardrails ? [...props.guardrails.guardrails.values()] : [],
        }),
      ),
    });
    this.dashboard.overrideLogicalId('usage');
  }
}
