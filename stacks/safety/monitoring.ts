/**
 * Monitoring and analytics of the tenants' Bedrock guardrails in one stack.
 *
 * Metrics: namespace AWS/Bedrock/Guardrails, metrics Invocations and
 * InvocationsIntervened (AWS user guide, "Monitor Amazon Bedrock Guardrails using
 * CloudWatch metrics"), per guardrail with the dimensions GuardrailArn and
 * GuardrailVersion (as the AWS CDK's Guardrail construct reads them). The dashboard
 * widgets use SEARCH, so they show whatever dimension sets AWS publishes.
 *
 * Prompt attacks: the metrics break interventions down by policy type
 * (ContentPolicy), not by content filter, so a prompt-attack detection is counted
 * from the invocation logs instead: the guardrail trace in a logged response lists
 * the content filters with their type and action. That needs the CloudWatch
 * destination and callers that enable the guardrail trace (docs/bedrock-guardrails.md).
 * The metric filters match JSON fields, not text (promptAttackPatterns).
 */
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchQueryDefinition } from '@cdktf/provider-aws/lib/cloudwatch-query-definition';
import { Construct } from 'constructs';
import type { GuardrailConfig } from '../../config/bedrock-guardrails';
import type { AlarmSpec } from '../analytics/alarms';
import { ANY_IN_FIVE_MINUTES } from '../analytics/cloudwatch';
import { USAGE_DATABASE } from '../../config/naming';
import { tenantSql, type NamedQuery } from '../analytics/queries';
import type { UsageAthena } from '../analytics/athena';
import type { LogGroupDestination } from '../logging/log-group';
import type { TenantGuardrail, TenantGuardrails } from './guardrails';

export const GUARDRAIL_NAMESPACE = 'AWS/Bedrock/Guardrails';
/** Where the prompt-attack metric filter publishes. */
export const GUARDRAIL_FINDINGS_NAMESPACE = 'Bedrock/GuardrailFindings';
export const PROMPT_ATTACK_METRIC = 'PromptAttackDetections';
/** A spike: more than this share of a guardrail's invocations intervened ... */
export const INTERVENTION_RATE_PCT = 25;
/** ... in 2 of 3 five-minute periods, counting only periods with at least this many invocations. */
export const INTERVENTION_MIN_INVOCATIONS = 20;

/**
 * Where a logged invocation record (log field output.outputBodyJson, the response body)
 * carries the guardrail's content-filter findings for the prompt, per API:
 * - Converse: the response's `trace.guardrail` is a GuardrailTraceAssessment whose
 *   `inputAssessment` maps the guardrail ID to a GuardrailAssessment, whose
 *   `contentPolicy.filters` are GuardrailContentFilter objects with `type` (... |
 *   PROMPT_ATTACK) and `action` (BLOCKED | NONE) (Bedrock API reference: ConverseTrace,
 *   GuardrailTraceAssessment, GuardrailAssessment, GuardrailContentPolicyAssessment,
 *   GuardrailContentFilter).
 * - InvokeModel: the body carries `amazon-bedrock-guardrailAction` and `amazon-bedrock-trace`
 *   (Bedrock API reference: InvokeModel, "Use a guardrail" example); AWS documents the trace's
 *   inner layout only as "detailed guardrail trace". The path used here,
 *   `amazon-bedrock-trace.guardrail.input.<guardrail ID>.contentPolicy.filters`, is the one
 *   logged InvokeModel records show in public detection rules (Panther's Bedrock
 *   GuardRailIntervened rule tests) and SDK samples: observed, not documented.
 * Streaming calls (InvokeModelWithResponseStream, ConverseStream) log their body as a list
 * of chunks, whose layout is not documented; they are not counted (docs/bedrock-guardrails.md).
 */
export const PROMPT_ATTACK_TRACES = [
  {
    id: 'invoke',
    api: 'InvokeModel',
    filters: (guardrailId: string) => `$.output.outputBodyJson.amazon-bedrock-trace.guardrail.input.${guardrailId}.contentPolicy.filters`,
  },
  {
    id: 'converse',
    api: 'Converse',
    filters: (guardrailId: string) => `$.output.outputBodyJson.trace.guardrail.inputAssessment.${guardrailId}.contentPolicy.filters`,
  },
] as const;
/** Content-filter types (HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT, PROMPT_ATTACK): at most this many entries in a trace's filters list. */
export const CONTENT_FILTER_TYPES = 6;
/**
 * JSON selectors take fixed array indices only ([n], no wildcard), and a pattern is at most
 * 1,024 characters (PutMetricFilter), so each pattern covers 3 of the 6 positions.
 */
export const POSITIONS_PER_PATTERN = 3;

/**
 * The metric-filter patterns that count a prompt attack the guardrail blocked: a
 * filters entry with type PROMPT_ATTACK and action BLOCKED, at any position, in
 * either API's trace. A prompt that merely contains the word, or a trace that lists
 * PROMPT_ATTACK with action NONE (a filter that did not fire), matches none. A record
 * holds one input assessment of one guardrail, so it matches at most one pattern.
 */
export function promptAttackPatterns(guardrailId: string): { id: string; pattern: string }[] {
  const positions = Array.from({ length: CONTENT_FILTER_TYPES }, (_, i) => i);
  return PROMPT_ATTACK_TRACES.flatMap((t) =>
    Array.from({ length: Math.ceil(CONTENT_FILTER_TYPES / POSITIONS_PER_PATTERN) }, (_, n) => {
      const at = positions.slice(n * POSITIONS_PER_PATTERN, (n + 1) * POSITIONS_PER_PATTERN);
      const clauses = at.map(
        (i) => `(${t.filters(guardrailId)}[${i}].type = "PROMPT_ATTACK" && ${t.filters(guardrailId)}[${i}].action = "BLOCKED")`,
      );
      return { id: `${t.id}_${n + 1}`, pattern: `{ ${clauses.join(' || ')} }` };
    }),
  );
}

const dims = (g: TenantGuardrail) => ({ GuardrailArn: g.arn, GuardrailVersion: g.currentVersion });
const detectsPromptAttacks = (g: GuardrailConfig) => g.contentFilters.some((f) => f.type === 'PROMPT_ATTACK');
const alarmId = (prefix: string, g: GuardrailConfig) => `${prefix}_${g.name.replace(/-/g, '_')}`;

/** Whether this stack counts prompt attacks from its logs (CloudWatch destination, a guardrail with the filter). */
export const countsPromptAttacks = (destinations: readonly string[], guardrails: readonly GuardrailConfig[]) =>
  destinations.includes('cloudwatch') && guardrails.some(detectsPromptAttacks);

/** The guardrail alarms of a stack, to the stack's alarm topic: an intervention spike per guardrail, and any prompt attack. */
export function guardrailAlarmSpecs(r: string, destinations: readonly string[], guardrails: readonly TenantGuardrail[]): AlarmSpec[] {
  const specs: AlarmSpec[] = guardrails.map(({ config: g, ...refs }) => ({
    id: alarmId('guardrail_interventions', g),
    alarmName: `bedrock-guardrail-interventions-${g.name}-${r}`,
    alarmDescription: `Guardrail ${g.name} in ${r} intervened in more than ${INTERVENTION_RATE_PCT}% of its invocations (2 of 3 five-minute periods with at least ${INTERVENTION_MIN_INVOCATIONS} invocations): an attack, a misbehaving client, or a guardrail change`,
    comparisonOperator: 'GreaterThanThreshold',
    threshold: INTERVENTION_RATE_PCT,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: 'notBreaching',
    metricQuery: [
      {
        id: 'e1',
        expression: `IF(m2 >= ${INTERVENTION_MIN_INVOCATIONS}, 100 * m1 / m2, 0)`,
        label: `${g.name} intervention rate (%)`,
        returnData: true,
      },
      {
        id: 'm1',
        returnData: false,
        metric: {
          namespace: GUARDRAIL_NAMESPACE,
          metricName: 'InvocationsIntervened',
          dimensions: dims({ config: g, ...refs }),
          period: 300,
          stat: 'Sum',
        },
      },
      {
        id: 'm2',
        returnData: false,
        metric: {
          namespace: GUARDRAIL_NAMESPACE,
          metricName: 'Invocations',
          dimensions: dims({ config: g, ...refs }),
          period: 300,
          stat: 'Sum',
        },
      },
    ],
  }));
  if (
    countsPromptAttacks(
      destinations,
      guardrails.map((g) => g.config),
    )
  )
    specs.push({
      id: 'guardrail_prompt_attacks',
      alarmName: `bedrock-guardrail-prompt-attacks-${r}`,
      alarmDescription: `A Bedrock guardrail in ${r} detected a prompt attack (jailbreak or prompt injection), counted from the guardrail trace in the invocation logs`,
      namespace: GUARDRAIL_FINDINGS_NAMESPACE,
      metricName: PROMPT_ATTACK_METRIC,
      ...ANY_IN_FIVE_MINUTES,
    });
  return specs;
}

/** Dashboard widgets from row `y`: invocations, interventions and their rate per guardrail, interventions by policy type. */
export function guardrailWidgets(region: string, guardrails: readonly TenantGuardrail[], y: number): object[] {
  if (!guardrails.length) return [];
  const widget = (title: string, x: number, metrics: unknown[], extra: object = {}) => ({
    type: 'metric',
    x,
    y: y + 2,
    width: 6,
    height: 6,
    properties: { title, region, view: 'timeSeries', stat: 'Sum', period: 300, metrics, ...extra },
  });
  const search = (metric: string, schema = `{${GUARDRAIL_NAMESPACE},GuardrailArn,GuardrailVersion}`) => [
    { expression: `SEARCH('${schema} MetricName="${metric}"', 'Sum', 300)`, id: 'e1', label: '' },
  ];
  const rate = guardrails.flatMap((g, i) => [
    [{ expression: `100 * i${i} / n${i}`, id: `r${i}`, label: `${g.config.name} (%)` }],
    [
      GUARDRAIL_NAMESPACE,
      'InvocationsIntervened',
      'GuardrailArn',
      g.arn,
      'GuardrailVersion',
      g.currentVersion,
      { id: `i${i}`, visible: false },
    ],
    [GUARDRAIL_NAMESPACE, 'Invocations', 'GuardrailArn', g.arn, 'GuardrailVersion', g.currentVersion, { id: `n${i}`, visible: false }],
  ]);
  return [
    {
      type: 'text',
      x: 0,
      y,
      width: 24,
      height: 2,
      properties: {
        markdown: `## Bedrock guardrails in ${region}\nGuardrails of the tenants here: ${guardrails.map((g) => g.config.name).join(', ')}. Interventions are requests or responses a guardrail blocked or masked; the alarms fire on a spike in their rate and on any prompt attack.`,
      },
    },
    widget('Guardrail invocations', 0, [search('Invocations')]),
    widget('Guardrail interventions', 6, [search('InvocationsIntervened')]),
    widget('Intervention rate per guardrail (%)', 12, rate, { yAxis: { left: { min: 0, max: 100 } } }),
    widget('Interventions by policy type', 18, [
      [
        {
          expression: `SEARCH('Namespace="${GUARDRAIL_NAMESPACE}" MetricName="InvocationsIntervened" GuardrailPolicyType', 'Sum', 300)`,
          id: 'e1',
          label: '',
        },
      ],
    ]),
  ];
}

/** Interventions per tenant and day, as Athena and Logs Insights queries. */
export function guardrailQueries(q: { database: string; table: string; tenantKey: string; days?: number }): {
  athena: NamedQuery;
  insights: NamedQuery;
} {
  const days = q.days ?? 30;
  const tenant = tenantSql(q.tenantKey);
  return {
    athena: {
      id: 'guardrail_interventions_per_tenant_day',
      name: 'bedrock-usage: guardrail interventions per tenant and day',
      description: `Converse and ConverseStream invocations a guardrail intervened in (stopReason guardrail_intervened) per tenant (requestMetadata ${q.tenantKey}) and day, last ${days} days`,
      query: `SELECT date(from_iso8601_timestamp("timestamp")) AS day, ${tenant} AS tenant, count(*) AS invocations,
  count_if(output.outputbodyjson.stopreason = 'guardrail_intervened') AS interventions,
  round(100.0 * count_if(output.outputbodyjson.stopreason = 'guardrail_intervened') / count(*), 2) AS intervention_rate_pct
FROM "${q.database}"."${q.table}"
WHERE schematype = 'ModelInvocationLog' AND dt >= date_format(current_date - interval '${days}' day, '%Y/%m/%d/00')
  AND operation IN ('Converse', 'ConverseStream')
GROUP BY 1, 2
ORDER BY 1, 2`,
    },
    insights: {
      id: 'guardrail_interventions_per_tenant_day',
      name: 'bedrock-usage/guardrail interventions per tenant and day',
      description: '',
      query: `filter schemaType = "ModelInvocationLog"
| filter output.outputBodyJson.stopReason = "guardrail_intervened" or \`output.outputBodyJson.amazon-bedrock-guardrailAction\` = "INTERVENED"
| stats count(*) as interventions by bin(1d) as day, requestMetadata.${q.tenantKey} as tenant
| sort day desc`,
    },
  };
}

/**
 * The guardrail parts that are resources of their own: the prompt-attack metric
 * filter, and the interventions queries beside the usage ones.
 */
export interface GuardrailMonitoringProps {
  /** The stack's Bedrock guardrails. */
  readonly guardrails: TenantGuardrails;
  /** analytics.tenantKey: the queries group by it. */
  readonly tenantKey: string;
  /** analytics.savedQueries: the Logs Insights query. */
  readonly savedQueries: boolean;
  /** The CloudWatch destination: the prompt-attack metric filters and the Insights query read it; unset: neither. */
  readonly logGroup?: LogGroupDestination;
  /** The usage Athena database and workgroup (analytics.athena): the interventions query goes beside the usage ones. */
  readonly athena?: UsageAthena;
}

export class GuardrailMonitoring extends Construct {
  constructor(scope: Construct, id: string, props: GuardrailMonitoringProps) {
    super(scope, id);
    const q = guardrailQueries({ database: USAGE_DATABASE, table: 'invocations', tenantKey: props.tenantKey });
    const logGroupName = props.logGroup?.logGroup.name;
    // One metric filter per guardrail that detects prompt attacks, API and group of positions, all into one metric.
    if (logGroupName)
      for (const { config: g, id: guardrailId } of [...props.guardrails.guardrails.values()].filter((t) => detectsPromptAttacks(t.config)))
        for (const { id: part, pattern } of promptAttackPatterns(guardrailId))
          new CloudwatchLogMetricFilter(this, `prompt-attacks-${g.name}-${part}`, {
            name: `bedrock-guardrail-prompt-attacks-${g.name}-${part.replace(/_/g, '-')}`,
            logGroupName,
            pattern,
            metricTransformation: {
              name: PROMPT_ATTACK_METRIC,
              namespace: GUARDRAIL_FINDINGS_NAMESPACE,
              value: '1',
              defaultValue: '0',
              unit: 'Count',
            },
          }).overrideLogicalId(`${alarmId('guardrail_prompt_attacks', g)}_${part}`);
    if (logGroupName && props.savedQueries)
      new CloudwatchQueryDefinition(this, 'insights', {
        name: q.insights.name,
        logGroupNames: [logGroupName],
        queryString: q.insights.query,
      }).overrideLogicalId(q.insights.id);
    if (props.athena)
      new AthenaNamedQuery(this, 'athena', {
        name: q.athena.name,
        description: q.athena.description,
        database: props.athena.database.name,
        workgroup: props.athena.workgroup.name,
        query: q.athena.query,
      }).overrideLogicalId(q.athena.id);
  }
}
