/**
 * Cross-account observability (matrix observability, docs/observability.md): the monitoring stacks and
 * their place in the waves, the OAM sink and its policy, each logging stack's link and the remote state it
 * reads the sink's ARN from (per backend), and the organization dashboard and alarms.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing, TerraformStack } from 'cdktf';
import type { Matrix } from '../../config/schema';
import { rolloutWaves, selectStacks } from '../../config/select';
import { oamSinkPolicy } from '../../policies/oam-sink-policy';
import { addStacks } from '../../stacks/app';
import { metricFilterSpecs } from '../../stacks/analytics/cloudwatch';
import { deliveryFailureMetrics } from '../../stacks/analytics/alarms';
import { localStatePath, logGroupFilter } from '../../stacks/observability/link';
import { organizationAlarmSpecs, organizationDashboardBody } from '../../stacks/observability/organization-dashboard';
import { problems, resolveMatrix } from '../helpers';

const PROD = '111111111111';
const DEV = '222222222222';
const MONITORING = '333333333333';
const base: Matrix = {
  accounts: [
    {
      id: PROD,
      name: 'genai-prod',
      environment: 'prod',
      regions: ['us-east-1', 'eu-west-1'],
      logging: { destinations: ['s3', 'cloudwatch'] },
    },
    { id: DEV, name: 'genai-dev', environment: 'dev', regions: ['us-east-1'], logging: { destinations: ['s3'] } },
    { id: MONITORING, name: 'observability', environment: 'prod', regions: ['us-east-1'] },
  ],
  models: [
    { alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' },
    { alias: 'nova', source: 'amazon.nova-pro-v1:0', crossRegion: true },
  ],
  tenants: [{ id: 'acme', models: ['haiku', 'nova'] }],
  analytics: { metricFilters: true },
  observability: { monitoringAccountId: MONITORING },
};
const withBackend = (backend: NonNullable<Matrix['deployment']>['backend']): Matrix => ({ ...base, deployment: { backend } });

/** A synthesized resource, with the arguments these tests read. */
interface Body {
  policy: string;
  sink_identifier: string;
  dashboard_name: string;
  dashboard_body: string;
  resource_types: string[];
  link_configuration: { log_group_configuration?: unknown };
  alarm_actions?: string[];
  ok_actions?: string[];
}
/** A synthesized stack, with the blocks these tests read. */
interface Stack {
  resource: Record<string, Record<string, Body>>;
  data?: Record<string, Record<string, unknown>>;
  output: Record<string, { value: string }>;
  terraform: { backend: { s3: { key: string } }; cloud: { workspaces: { name: string } } };
}
/** An alarm's metric query, with the fields read here. */
interface MetricQuery {
  metric?: { dimensions: Record<string, string> };
  accountId?: string;
}

/** Every stack of a matrix, synthesized, by name. */
function synthAll(m: Matrix): Record<string, Stack> {
  const app = Testing.app();
  addStacks(app, resolveMatrix(m));
  return Object.fromEntries(app.node.children.map((s) => [s.node.id, JSON.parse(Testing.synth(s as TerraformStack))]));
}

describe('resolution and rollout', () => {
  const config = resolveMatrix(base);

  test('one monitoring stack per region of another account, in the monitoring account', () => {
    expect(config.monitoring.map((m) => [m.stackName, m.accountId, m.region])).toEqual([
      [`bedrock-monitoring-${MONITORING}-eu-west-1`, MONITORING, 'eu-west-1'],
      [`bedrock-monitoring-${MONITORING}-us-east-1`, MONITORING, 'us-east-1'],
    ]);
    expect(config.monitoring.find((m) => m.region === 'us-east-1')!.sources.map((s) => s.accountId)).toEqual([PROD, DEV]);
  });

  test("every logging stack of another account links; the monitoring account's own stack does not", () => {
    expect(config.stacks.map((s) => [s.stackName, s.observabilityLink?.monitoringStackName])).toEqual([
      [`bedrock-logging-${PROD}-us-east-1`, `bedrock-monitoring-${MONITORING}-us-east-1`],
      [`bedrock-logging-${PROD}-eu-west-1`, `bedrock-monitoring-${MONITORING}-eu-west-1`],
      [`bedrock-logging-${DEV}-us-east-1`, `bedrock-monitoring-${MONITORING}-us-east-1`],
      [`bedrock-logging-${MONITORING}-us-east-1`, undefined],
    ]);
  });

  test('observability.regions limits the sinks and the links to those regions', () => {
    const c = resolveMatrix({ ...base, observability: { monitoringAccountId: MONITORING, regions: ['eu-west-1'] } });
    expect(c.monitoring.map((m) => m.region)).toEqual(['eu-west-1']);
    expect(c.stacks.filter((s) => s.observabilityLink).map((s) => s.stackName)).toEqual([`bedrock-logging-${PROD}-eu-west-1`]);
  });

  test('the monitoring wave runs after bootstrap and before every environment (the links read its state)', () => {
    const c = resolveMatrix({ ...base, deployment: { bootstrap: { trustedPrincipalArns: ['arn:aws:iam::999999999999:role/ci'] } } });
    expect(rolloutWaves(c).map((w) => w.wave)).toEqual(['bootstrap', 'monitoring', 'dev', 'prod']);
    expect(rolloutWaves(c)[1].stacks).toEqual(c.monitoring.map((m) => m.stackName));
    // The deploy wave selects its stacks by environment: the monitoring stacks answer to "monitoring".
    expect(selectStacks(c, { environments: ['monitoring'] }).monitoring.map((m) => m.stackName)).toEqual(
      c.monitoring.map((m) => m.stackName),
    );
    expect(selectStacks(c, { environments: ['prod'] }).monitoring).toEqual([]);
  });

  test('the monitoring account gets a bootstrap stack whose deploy role manages the sinks; linking accounts may link', () => {
    const c = resolveMatrix({
      ...base,
      accounts: base.accounts.filter((a) => a.id !== MONITORING),
      deployment: { bootstrap: { trustedPrincipalArns: ['arn:aws:iam::999999999999:role/ci'] } },
    });
    const monitoring = c.bootstraps.find((b) => b.accountId === MONITORING)!;
    expect(monitoring.scope).toMatchObject({ workloads: false, management: false, monitoring: true, regions: ['eu-west-1', 'us-east-1'] });
    expect(c.bootstraps.find((b) => b.accountId === PROD)!.scope.observabilityLinks).toBe(MONITORING);
  });

  test('bad input names the field, the value and what is allowed', () => {
    expect(problems({ ...base, observability: { monitoringAccountId: MONITORING, regions: ['ap-south-1'] } })).toEqual([
      expect.objectContaining({
        path: 'observability.regions[0]',
        value: 'ap-south-1',
        allowed: expect.stringContaining('eu-west-1, us-east-1'),
      }),
    ]);
    expect(
      problems({ accounts: [{ id: MONITORING, regions: ['us-east-1'] }], observability: { monitoringAccountId: MONITORING } }),
    ).toEqual([
      expect.objectContaining({
        path: 'observability.monitoringAccountId',
        allowed: expect.stringContaining('no logging stack of another account'),
      }),
    ]);
    expect(
      problems({
        ...base,
        accounts: [...base.accounts, { id: '444444444444', environment: 'monitoring', regions: ['us-east-1'] }],
        deployment: { waves: ['dev', 'prod', 'monitoring'] },
      }),
    ).toEqual([expect.objectContaining({ path: 'accounts[3].environment', value: 'monitoring' })]);
  });
});

describe('the sink and its policy', () => {
  const stacks = synthAll(base);
  const monitoring = stacks[`bedrock-monitoring-${MONITORING}-us-east-1`];

  test('a sink with prevent_destroy and a stable address, its ARN as the output the links read', () => {
    expect(monitoring.resource.aws_oam_sink.organization).toMatchObject({
      name: 'bedrock-organization',
      lifecycle: { prevent_destroy: true },
    });
    expect(monitoring.output.sink_arn.value).toBe('${aws_oam_sink.organization.arn}');
    expect(monitoring.resource.aws_oam_sink_policy.organization.sink_identifier).toBe('${aws_oam_sink.organization.arn}');
  });

  test('the policy admits exactly the linking accounts, for metrics and log groups only', () => {
    const doc = JSON.parse(monitoring.resource.aws_oam_sink_policy.organization.policy);
    expect(doc.Statement).toEqual([
      {
        Sid: 'MatrixAccountsShareMetricsAndLogGroups',
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${PROD}:root`, `arn:aws:iam::${DEV}:root`] },
        Action: ['oam:CreateLink', 'oam:UpdateLink'],
        Resource: '*',
        Condition: { 'ForAllValues:StringEquals': { 'oam:ResourceTypes': ['AWS::CloudWatch::Metric', 'AWS::Logs::LogGroup'] } },
      },
    ]);
    // eu-west-1 has only the prod account's stack.
    const eu = JSON.parse(stacks[`bedrock-monitoring-${MONITORING}-eu-west-1`].resource.aws_oam_sink_policy.organization.policy);
    expect(eu.Statement[0].Principal.AWS).toEqual([`arn:aws:iam::${PROD}:root`]);
  });

  test("with an organization ID (own, or the data perimeter's) the policy also requires aws:PrincipalOrgID", () => {
    expect(
      oamSinkPolicy({ partition: 'aws', accountIds: [PROD], organizationId: 'o-abcd123456' }).Statement[0].Condition!.StringEquals,
    ).toEqual({ 'aws:PrincipalOrgID': 'o-abcd123456' });
    const c = resolveMatrix({
      ...base,
      organizationPolicies: { dataPerimeterRcp: { targetIds: ['ou-abcd-11111111'], organizationId: 'o-zzzz123456' } },
    });
    expect(c.monitoring.map((m) => m.organizationId)).toEqual(['o-zzzz123456', 'o-zzzz123456']);
  });
});

describe('the link and where it reads the sink ARN', () => {
  const link = (stacks: Record<string, Stack>, name: string) => stacks[name].resource?.aws_oam_link?.monitoring;
  const state = (stacks: Record<string, Stack>, name: string) => stacks[name].data?.terraform_remote_state?.monitoring;
  const PROD_USE1 = `bedrock-logging-${PROD}-us-east-1`;

  test('the link shares metrics of the Bedrock namespaces and the invocation log group, with the sink ARN from the remote state', () => {
    const stacks = synthAll(base);
    expect(link(stacks, PROD_USE1)).toMatchObject({
      label_template: '$AccountName',
      sink_identifier: '${data.terraform_remote_state.monitoring.outputs.sink_arn}',
      resource_types: ['AWS::CloudWatch::Metric', 'AWS::Logs::LogGroup'],
      link_configuration: {
        log_group_configuration: { filter: logGroupFilter('/bedrock/model-invocation-logs') },
        metric_configuration: {
          filter:
            "Namespace IN ('AWS/Bedrock', 'AWS/Bedrock/Guardrails', 'Bedrock/TenantUsage', 'Bedrock/GuardrailFindings', 'AWS/BedrockMantle')",
        },
      },
    });
    expect(logGroupFilter('/bedrock/model-invocation-logs')).toBe("LogGroupName IN ('/bedrock/model-invocation-logs')");
    // S3 only: no log group to share.
    expect(link(stacks, `bedrock-logging-${DEV}-us-east-1`).resource_types).toEqual(['AWS::CloudWatch::Metric']);
    expect(link(stacks, `bedrock-logging-${DEV}-us-east-1`).link_configuration.log_group_configuration).toBeUndefined();
    expect(link(stacks, `bedrock-logging-${MONITORING}-us-east-1`)).toBeUndefined();
    expect(state(stacks, `bedrock-logging-${MONITORING}-us-east-1`)).toBeUndefined();
  });

  test("local backend: the monitoring stack's own local state file", () => {
    const stacks = synthAll(base);
    const monitoringStack = `bedrock-monitoring-${MONITORING}-us-east-1`;
    expect(state(stacks, PROD_USE1)).toEqual({ backend: 'local', config: { path: localStatePath(monitoringStack) } });
    // The terraform tier checks that this is the file the monitoring stack's own backend writes (cdktf adds that backend at app synth).
  });

  test("s3 backend: the monitoring stack's key in the state bucket, with the backend's role", () => {
    const stacks = synthAll(
      withBackend({ type: 's3', bucket: 'tf-state', region: 'us-east-1', roleArn: 'arn:aws:iam::999999999999:role/state' }),
    );
    const monitoringStack = `bedrock-monitoring-${MONITORING}-us-east-1`;
    expect(state(stacks, PROD_USE1)).toEqual({
      backend: 's3',
      config: {
        bucket: 'tf-state',
        key: `bedrock-governance/${monitoringStack}/terraform.tfstate`,
        region: 'us-east-1',
        assume_role: { role_arn: 'arn:aws:iam::999999999999:role/state' },
      },
    });
    expect(stacks[monitoringStack].terraform.backend.s3.key).toBe(`bedrock-governance/${monitoringStack}/terraform.tfstate`);
  });

  test("tfc backend: the remote backend on the monitoring stack's workspace", () => {
    const stacks = synthAll(
      withBackend({ type: 'tfc', organization: 'acme-org', workspaceTemplate: 'bedrock-{environment}-{accountId}-{region}' }),
    );
    expect(state(stacks, PROD_USE1)).toEqual({
      backend: 'remote',
      config: { organization: 'acme-org', workspaces: { name: `bedrock-monitoring-${MONITORING}-us-east-1` } },
    });
    expect(stacks[`bedrock-monitoring-${MONITORING}-us-east-1`].terraform.cloud.workspaces.name).toBe(
      `bedrock-monitoring-${MONITORING}-us-east-1`,
    );
  });
});

describe('the organization dashboard and alarms', () => {
  const config = resolveMatrix(base);
  const m = config.monitoring.find((x) => x.region === 'us-east-1')!;

  /** The namespaces and metrics docs/observability.md lists, from its table. */
  const documented = (() => {
    const text = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'observability.md'), 'utf8');
    const rows = [...text.matchAll(/^\| `([^`]+)` \| ((?:`[A-Za-z0-9]+`(?:, )?)+) \|/gm)];
    return new Map(rows.map((r) => [r[1], [...r[2].matchAll(/`([^`]+)`/g)].map((x) => x[1])]));
  })();

  /** Every namespace and metric a widget names, from its SEARCH expressions or plain metric arrays. */
  const widgetMetrics = (body: ReturnType<typeof organizationDashboardBody>) =>
    body.widgets.flatMap((w) =>
      ('metrics' in w.properties ? w.properties.metrics : []).flatMap((row) =>
        row.flatMap((cell) => {
          const search = typeof cell === 'object' && cell.expression?.match(/^SEARCH\('\{([^,}]+)[^}]*\} MetricName="([^"]+)"'/);
          return search ? [[search[1], search[2]]] : [];
        }),
      ),
    );

  test('every widget names metrics that exist in the namespaces the docs list', () => {
    const body = organizationDashboardBody({ region: 'us-east-1', accounts: m.sources });
    const named = widgetMetrics(body);
    const metricWidgets = body.widgets.filter((w) => w.type === 'metric');
    expect(named.length).toBeGreaterThanOrEqual(metricWidgets.length);
    for (const w of metricWidgets) expect('metrics' in w.properties ? w.properties.metrics.length : 0).toBeGreaterThan(0);
    expect(documented.size).toBe(3);
    for (const [ns, metric] of named)
      expect({ ns, metric, documented: documented.get(ns)?.includes(metric) ?? false }).toEqual({ ns, metric, documented: true });
    // Everything the requirement names is on it.
    const names = named.map(([, metric]) => metric);
    for (const wanted of [
      'Invocations',
      'InvocationLatency',
      'InvocationThrottles',
      'InvocationServerErrors',
      'InvocationsIntervened',
      'InputTokens',
      'OutputTokens',
    ])
      expect(names).toContain(wanted);
    for (const d of deliveryFailureMetrics(['s3', 'cloudwatch'])) expect(names).toContain(d.metricName);
  });

  test('the tenant metrics the dashboard names are the ones the tenant metric filters publish, by Tenant', () => {
    const published = metricFilterSpecs('tenant').filter((f) => Object.keys(f.dimensions).join() === 'Tenant');
    const tenantRows = widgetMetrics(organizationDashboardBody({ region: 'us-east-1', accounts: [] })).filter(
      ([ns]) => ns === 'Bedrock/TenantUsage',
    );
    expect(tenantRows.map(([, metric]) => metric).sort()).toEqual(published.map((f) => f.metricName).sort());
    expect(JSON.stringify(organizationDashboardBody({ region: 'us-east-1', accounts: [] }))).toContain(
      '{Bedrock/TenantUsage,Tenant} MetricName',
    );
  });

  test('the dashboard is in the stack, named for the region', () => {
    const stacks = synthAll(base);
    const dash = stacks[m.stackName].resource.aws_cloudwatch_dashboard.organization;
    expect(dash.dashboard_name).toBe('bedrock-organization-us-east-1');
    expect(JSON.parse(dash.dashboard_body)).toEqual(organizationDashboardBody({ region: 'us-east-1', accounts: m.sources }));
  });

  test('alarms per linked account: throttles over its models and each delivery failure its destinations emit, every query in that account, the account named', () => {
    const specs = organizationAlarmSpecs(m);
    expect(specs.map((s) => s.alarmName).sort()).toEqual(
      [
        `bedrock-organization-log-delivery-cloudwatch-${PROD}-us-east-1`,
        `bedrock-organization-log-delivery-large-data-${PROD}-us-east-1`,
        `bedrock-organization-log-delivery-s3-${DEV}-us-east-1`,
        `bedrock-organization-log-delivery-s3-${PROD}-us-east-1`,
        `bedrock-organization-throttles-${DEV}-us-east-1`,
        `bedrock-organization-throttles-${PROD}-us-east-1`,
      ].sort(),
    );
    for (const s of specs) {
      const account = s.alarmName.match(/-(\d{12})-us-east-1$/)![1];
      const name = account === PROD ? 'genai-prod' : 'genai-dev';
      expect(s.alarmDescription).toContain(`account ${name} (${account})`);
      const metrics = (s.metricQuery as MetricQuery[]).filter((q) => q.metric);
      expect(metrics.length).toBeGreaterThan(0);
      for (const q of metrics) expect(q.accountId).toBe(account);
    }
    const throttles = specs.find((s) => s.alarmName === `bedrock-organization-throttles-${PROD}-us-east-1`)!;
    expect((throttles.metricQuery as MetricQuery[]).filter((q) => q.metric).map((q) => q.metric!.dimensions.ModelId)).toEqual(
      ['amazon.nova-pro-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0'].map((id) => (id.startsWith('amazon') ? `us.${id}` : id)).sort(),
    );
  });

  test('the alarms notify observability.alarmTopicArn when set', () => {
    const topic = 'arn:aws:sns:us-east-1:333333333333:oncall';
    const stacks = synthAll({ ...base, observability: { monitoringAccountId: MONITORING, alarmTopicArn: topic } });
    const alarms = Object.values(stacks[m.stackName].resource.aws_cloudwatch_metric_alarm);
    for (const a of alarms) expect([a.alarm_actions, a.ok_actions]).toEqual([[topic], [topic]]);
    const quiet = Object.values(synthAll(base)[m.stackName].resource.aws_cloudwatch_metric_alarm);
    for (const a of quiet) expect(a.alarm_actions).toBeUndefined();
  });
});
