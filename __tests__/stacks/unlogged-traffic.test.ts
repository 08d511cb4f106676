/**
 * Unlogged bedrock-mantle traffic is watched in every logging stack of an account where it is
 * allowed: every account no organizationPolicies.loggedInferenceOnly SCP provably covers, and the allowMantle
 * accounts; nowhere else (stacks/safety/unlogged-traffic.ts, config/inference-paths.ts).
 */
import { Testing } from 'cdktf';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { deployRolePolicy } from '../../policies/deploy-role-policies';
import { deployActions } from '../../lib/resource-types';
import type { Matrix } from '../../config/schema';
import { checkStack, stackResources } from '../../iac-rules';
import { field } from '../../iac-rules/rule';
import { LoggingStack } from '../../stacks/logging-stack';
import { MANTLE_NAMESPACE, unloggedAlarmName, unloggedDashboardName } from '../../stacks/safety/unlogged-traffic';
import { mantleDenied } from '../../config/inference-paths';
import { DEV, PROD, resolveMatrix, synth } from '../helpers';
import { at } from '../../review/terraform-json';

const OU = 'ou-abcd-11111111';
const ROOT = 'r-ab12';
const base = (organizationPolicies: Matrix['organizationPolicies']): Matrix => ({
  managementAccountId: '999999999999',
  organizationPolicies,
  accounts: [
    { id: PROD, name: 'genai-prod', regions: ['us-east-1', 'eu-west-1'] },
    { id: DEV, name: 'genai-dev', regions: ['us-east-1'] },
  ],
  models: [{ alias: 'gpt-oss', source: 'openai.gpt-oss-120b-1:0', mantleId: 'openai.gpt-oss-120b' }],
});
const ALLOW_PROD = base({
  loggedInferenceOnly: {
    targetIds: [ROOT],
    allowMantle: [{ accounts: ['genai-prod'], models: ['gpt-oss'] }],
    unloggedInferencesPerHour: 50,
  },
});

/** The bedrock_mantle mark on a stack's logging configuration, as resolved for synthesis. */
const mark = (ls: LoggingStack) =>
  field(
    stackResources(ls).find((r) => r.resource.type === 'aws_bedrock_model_invocation_logging_configuration')!.resource.attrs['//'],
    'bedrock_mantle',
  );

/** A CloudWatch dashboard widget, with the fields read here. */
interface Widget {
  type: string;
  properties: { title?: string; metrics?: { expression?: string }[][] };
}

/** Which stacks (account/region) watch bedrock-mantle. */
const watched = (m: Matrix) =>
  resolveMatrix(m)
    .stacks.filter((s) => s.unloggedMantle)
    .map((s) => `${s.accountId}/${s.region}`);

test('every logging stack of an allowed account watches bedrock-mantle: dashboard and alarm named as unlogged traffic', () => {
  const config = resolveMatrix(ALLOW_PROD);
  expect(watched(ALLOW_PROD)).toEqual([`${PROD}/us-east-1`, `${PROD}/eu-west-1`]);
  for (const stack of config.stacks.filter((s) => s.accountId === PROD)) {
    const t = synth(stack);
    const alarm = t.resource('aws_cloudwatch_metric_alarm', 'unlogged_mantle_inferences');
    expect(alarm).toMatchObject({
      alarm_name: unloggedAlarmName(stack.region),
      namespace: MANTLE_NAMESPACE,
      metric_name: 'Inferences',
      statistic: 'Sum',
      period: 3600,
      threshold: 50,
      comparison_operator: 'GreaterThanThreshold',
      treat_missing_data: 'notBreaching',
    });
    expect(alarm.alarm_description).toMatch(/^Unlogged Bedrock traffic/);
    const dashboard = t.resource('aws_cloudwatch_dashboard', 'unlogged_traffic');
    expect(dashboard.dashboard_name).toBe(unloggedDashboardName(stack.region));
    const body = JSON.parse(dashboard.dashboard_body as string);
    const titles = body.widgets.filter((w: Widget) => w.type === 'metric').map((w: Widget) => w.properties.title);
    expect(titles).toEqual([
      'Unlogged inferences (bedrock-mantle)',
      'Unlogged inference client errors (bedrock-mantle)',
      'Unlogged input tokens (bedrock-mantle)',
      'Unlogged output tokens (bedrock-mantle)',
    ]);
    const expressions = body.widgets.filter((w: Widget) => w.type === 'metric').map((w: Widget) => w.properties.metrics![0][0].expression);
    for (const [i, m] of ['Inferences', 'InferenceClientErrors', 'TotalInputTokens', 'TotalOutputTokens'].entries())
      expect(expressions[i]).toBe(`SEARCH('Namespace="AWS/BedrockMantle" MetricName="${m}"', 'Sum', 300)`);
    expect(body.widgets[0].properties.markdown).toContain('**not in the invocation logs**');
    expect(body.widgets[0].properties.markdown).toContain('only in CUR');
    expect(body.widgets[0].properties.markdown).toContain('only openai.gpt-oss-120b');
    // The mark the IaC rule reads ("//" blocks are dropped by Testing.synth: read the resolved resources).
    const ls = new LoggingStack(Testing.app(), stack);
    expect(mark(ls)).toBe('allowed');
    // The IaC rules (MANTLE_UNLOGGED_ALARM among them) pass.
    expect(checkStack(ls)).toEqual([]);
  }
});

test('the alarm notifies the alarm topic when analytics.alarms is on, and nothing without it', () => {
  const on = synth(resolveMatrix({ ...ALLOW_PROD, analytics: { alarms: { emails: ['ops@example.com'] } } }).stacks[0]);
  expect(on.resource('aws_cloudwatch_metric_alarm', 'unlogged_mantle_inferences').alarm_actions).toEqual(['${aws_sns_topic.alarms.arn}']);
  expect(on.resource('aws_sns_topic', 'alarms')).toBeDefined();
  const off = synth(resolveMatrix({ ...ALLOW_PROD, analytics: { alarms: false } }).stacks[0]);
  expect(off.resource('aws_cloudwatch_metric_alarm', 'unlogged_mantle_inferences').alarm_actions).toBeUndefined();
  // With an existing topic (alarms.topicArn) the stack creates none: the alarm notifies that topic, as the usage alarms do
  // (it used to name aws_sns_topic.alarms, a resource the stack then does not declare).
  const existing = synth(
    resolveMatrix({ ...ALLOW_PROD, analytics: { alarms: { topicArn: 'arn:{partition}:sns:{region}:123456789012:ops' } } }).stacks[0],
  );
  expect(existing.resources('aws_sns_topic')).toEqual({});
  expect(existing.resource('aws_cloudwatch_metric_alarm', 'unlogged_mantle_inferences').alarm_actions).toEqual([
    'arn:aws:sns:us-east-1:123456789012:ops',
  ]);
});

test('an account where the SCP denies bedrock-mantle has neither (nor the mark)', () => {
  const dev = resolveMatrix(ALLOW_PROD).stacks.find((s) => s.accountId === DEV)!;
  const t = synth(dev);
  expect(t.resources('aws_cloudwatch_dashboard').unlogged_traffic).toBeUndefined();
  expect(t.resources('aws_cloudwatch_metric_alarm').unlogged_mantle_inferences).toBeUndefined();
  expect(mark(new LoggingStack(Testing.app(), dev))).toBeUndefined();
});

test('without a loggedInferenceOnly SCP bedrock-mantle is open everywhere, so every logging stack watches it (any model, threshold 0)', () => {
  const all = [`${PROD}/us-east-1`, `${PROD}/eu-west-1`, `${DEV}/us-east-1`];
  expect(watched(base(undefined))).toEqual(all);
  expect(watched(base({ apiKeys: { targetIds: [ROOT] } }))).toEqual(all);
  for (const s of resolveMatrix(base(undefined)).stacks) expect(s.unloggedMantle).toEqual({ inferencesPerHour: 0, models: undefined });
  // The SCP exists only through the management stack: without managementAccountId nothing deploys it.
  expect(watched({ ...base({ loggedInferenceOnly: { targetIds: [ROOT] } }), managementAccountId: undefined })).toEqual(all);
  const t = synth(resolveMatrix(base(undefined)).stacks[0]);
  expect(t.resource('aws_cloudwatch_metric_alarm', 'unlogged_mantle_inferences').threshold).toBe(0);
  expect(
    at(
      JSON.parse(t.resource('aws_cloudwatch_dashboard', 'unlogged_traffic').dashboard_body as string),
      'widgets',
      0,
      'properties',
      'markdown',
    ),
  ).toContain('any model');
  const ls = new LoggingStack(Testing.app(), resolveMatrix(base(undefined)).stacks[0]);
  expect(mark(ls)).toBe('allowed');
  expect(checkStack(ls)).toEqual([]);
});

test('the decision per account: covered by the SCP only through its account ID or the root, never the management account; an OU is no proof', () => {
  expect(mantleDenied(base(undefined), PROD)).toBe(false);
  expect(mantleDenied(base({ loggedInferenceOnly: { targetIds: [ROOT] } }), PROD)).toBe(true);
  expect(mantleDenied(base({ loggedInferenceOnly: { targetIds: [PROD] } }), PROD)).toBe(true);
  expect(mantleDenied(base({ loggedInferenceOnly: { targetIds: [PROD] } }), DEV)).toBe(false);
  expect(mantleDenied(base({ loggedInferenceOnly: { targetIds: [OU] } }), PROD)).toBe(false);
  expect(mantleDenied(base({ loggedInferenceOnly: { targetIds: [OU, DEV] } }), DEV)).toBe(true);
  expect(mantleDenied({ ...base({ loggedInferenceOnly: { targetIds: [ROOT] } }), managementAccountId: DEV }, DEV)).toBe(false);
  expect(mantleDenied({ ...base({ loggedInferenceOnly: { targetIds: [ROOT] } }), managementAccountId: undefined }, PROD)).toBe(false);
});

test('which accounts are allowed: roles of any account reach every account, roles of one account only it, account targets leave the others open', () => {
  expect(
    watched(base({ loggedInferenceOnly: { targetIds: [ROOT], allowMantle: [{ roleArns: ['arn:aws:iam::*:role/Chatbot'] }] } })),
  ).toHaveLength(3);
  expect(
    watched(base({ loggedInferenceOnly: { targetIds: [ROOT], allowMantle: [{ roleArns: [`arn:aws:iam::${DEV}:role/Chatbot`] }] } })),
  ).toEqual([`${DEV}/us-east-1`]);
  // The SCP covering every account, no allowMantle: nothing is watched.
  expect(watched(base({ loggedInferenceOnly: { targetIds: [ROOT] } }))).toEqual([]);
  expect(watched(base({ loggedInferenceOnly: { targetIds: [PROD, DEV] } }))).toEqual([]);
  // An OU target proves nothing about an account (the matrix has no OUs): every account is watched.
  expect(watched(base({ loggedInferenceOnly: { targetIds: [OU] } }))).toHaveLength(3);
  // The models the dashboard names: any model where an entry without models reaches the account, else the union.
  const models = (m: Matrix) => resolveMatrix(m).stacks.map((s) => s.unloggedMantle?.models);
  expect(
    models(base({ loggedInferenceOnly: { targetIds: [ROOT], allowMantle: [{ roleArns: [`arn:aws:iam::${DEV}:role/Chatbot`] }] } })),
  ).toEqual([undefined, undefined, undefined]);
  // An account the SCP does not provably cover is open to any model, whatever allowMantle lists for it.
  expect(
    models(base({ loggedInferenceOnly: { targetIds: [OU], allowMantle: [{ accounts: ['genai-prod'], models: ['gpt-oss'] }] } })),
  ).toEqual([undefined, undefined, undefined]);
  expect(models(ALLOW_PROD)).toEqual([['openai.gpt-oss-120b'], ['openai.gpt-oss-120b'], undefined]);
  expect(
    models(
      base({
        loggedInferenceOnly: {
          targetIds: [ROOT],
          allowMantle: [{ accounts: [PROD], models: ['gpt-oss'] }, { roleArns: [`arn:aws:iam::${PROD}:role/Lab`] }],
        },
      }),
    ),
  ).toEqual([undefined, undefined, undefined]);
  // Targets that are account IDs only: the SCP does not reach DEV, where bedrock-mantle stays open.
  expect(watched(base({ loggedInferenceOnly: { targetIds: [PROD] } }))).toEqual([`${DEV}/us-east-1`]);
  // SCPs never apply to the management account: its logging stacks watch bedrock-mantle whatever the targets.
  expect(watched({ ...base({ loggedInferenceOnly: { targetIds: ['r-ab12'] } }), managementAccountId: DEV })).toEqual([`${DEV}/us-east-1`]);
});

test('the deploy role of an allowed account may manage the dashboard and the alarm by their names (simulated)', async () => {
  const config = resolveMatrix({
    ...ALLOW_PROD,
    deployment: { bootstrap: { managementAccountRoleName: 'OrgAdmin', trustedPrincipalArns: ['arn:aws:iam::999999999999:role/ci'] } },
  });
  const b = config.bootstraps.find((x) => x.accountId === PROD)!;
  const policy = deployRolePolicy({ partition: b.partition, accountId: b.accountId, ...b.scope }, deployActions);
  const act = async (action: string, resource: string) => {
    const r = await runSimulation(
      {
        request: {
          principal: `arn:aws:iam::${PROD}:role/${b.deployRoleName}`,
          action,
          resource: { resource, accountId: PROD },
          contextVariables: { 'aws:RequestedRegion': 'us-east-1' },
        },
        identityPolicies: [{ name: 'deploy', policy }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
    if (r.resultType === 'error') throw new Error(JSON.stringify(r.errors));
    return r.overallResult;
  };
  expect(await act('cloudwatch:PutDashboard', `arn:aws:cloudwatch::${PROD}:dashboard/${unloggedDashboardName('us-east-1')}`)).toBe(
    'Allowed',
  );
  expect(await act('cloudwatch:PutMetricAlarm', `arn:aws:cloudwatch:us-east-1:${PROD}:alarm:${unloggedAlarmName('us-east-1')}`)).toBe(
    'Allowed',
  );
  expect(await act('cloudwatch:PutDashboard', `arn:aws:cloudwatch::${PROD}:dashboard/payments`)).toBe('ImplicitlyDenied');
});
