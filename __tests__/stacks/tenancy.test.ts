import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { BedrockInferenceProfile } from '@cdktf/provider-aws/lib/bedrock-inference-profile';
import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
import { CeCostAllocationTag } from '@cdktf/provider-aws/lib/ce-cost-allocation-tag';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { suggestProfileName } from '../../config/checks/profile-names';
import type { Matrix } from '../../config/schema';
import { ManagementStack } from '../../stacks/management-stack';
import { routingTable } from '../../stacks/app';
import { DEV, PROD, problems, resolveMatrix, synth } from '../helpers';
import { asObject, at, type TerraformBody } from '../../review/terraform-json';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

function tenantMatrix(over: Partial<Matrix> = {}): Matrix {
  return {
    managementAccountId: '999999999999',
    accounts: [
      { id: PROD, name: 'genai-prod', environment: 'prod', regions: ['us-east-1', 'eu-west-1'] },
      { id: DEV, name: 'genai-dev', environment: 'dev', regions: ['us-east-1'] },
    ],
    models: [
      { alias: 'haiku', source: HAIKU },
      { alias: 'us-sonnet', source: 'us.anthropic.claude-3-5-sonnet-20241022-v2:0' },
      { alias: 'sonnet', source: 'anthropic.claude-3-5-sonnet-20240620-v1:0', crossRegion: true },
    ],
    tenants: [
      { id: 'acme', models: ['haiku', 'sonnet'], monthlyBudgetUsd: 500, costCenter: 'cc-1', owner: 'team-a', tags: { project: 'chat' } },
      { id: 'globex', models: ['haiku'], placement: { environments: ['prod'], regions: ['us-east-1'] } },
    ],
    ...over,
  };
}

const stackOf = (m: Matrix, account: string, region: string) =>
  resolveMatrix(m).stacks.find((s) => s.accountId === account && s.region === region)!;

describe('profiles per stack', () => {
  const m = tenantMatrix();

  test('one profile per tenant x model placed in the stack, named <tenant>-<model>', () => {
    expect(stackOf(m, PROD, 'us-east-1').profiles.map((p) => p.name)).toEqual(['acme-haiku', 'acme-sonnet', 'globex-haiku']);
    expect(stackOf(m, PROD, 'eu-west-1').profiles.map((p) => p.name)).toEqual(['acme-haiku', 'acme-sonnet']);
    expect(stackOf(m, DEV, 'us-east-1').profiles.map((p) => p.name)).toEqual(['acme-haiku', 'acme-sonnet']);
  });

  test('copy_from: foundation models have an empty account field; system profiles use the stack account and region', () => {
    const [haiku, sonnet] = stackOf(m, PROD, 'eu-west-1').profiles;
    expect(haiku.copyFrom).toBe(`arn:aws:bedrock:eu-west-1::foundation-model/${HAIKU}`);
    expect(sonnet.copyFrom).toBe(`arn:aws:bedrock:eu-west-1:${PROD}:inference-profile/eu.anthropic.claude-3-5-sonnet-20240620-v1:0`);
    const govMatrix = tenantMatrix({
      accounts: [{ id: PROD, regions: ['us-gov-west-1'] }],
      tenants: [{ id: 'acme', models: ['haiku', 'sonnet'] }],
    });
    const gov = resolveMatrix(govMatrix).stacks[0].profiles[1];
    expect(gov.copyFrom).toBe(
      `arn:aws-us-gov:bedrock:us-gov-west-1:${PROD}:inference-profile/us-gov.anthropic.claude-3-5-sonnet-20240620-v1:0`,
    );
  });

  test('a system profile source is used as given where its geography fits', () => {
    const s = stackOf(
      tenantMatrix({ tenants: [{ id: 'acme', models: ['us-sonnet'], placement: { regions: ['us-east-1'] } }] }),
      PROD,
      'us-east-1',
    );
    expect(s.profiles[0].copyFrom).toBe(`arn:aws:bedrock:us-east-1:${PROD}:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0`);
    expect(s.profiles[0].underlyingArns).toEqual([
      s.profiles[0].copyFrom,
      'arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0',
    ]);
  });

  test('tags: cost allocation (tenant, cost center, owner) over the tenant tags, plus the model', () => {
    expect(stackOf(m, PROD, 'us-east-1').profiles[0].tags).toEqual({
      project: 'chat',
      tenant: 'acme',
      'cost-center': 'cc-1',
      owner: 'team-a',
      'bedrock-model': 'haiku',
    });
  });

  test('the cost-allocation tag keys are configurable', () => {
    const s = stackOf(tenantMatrix({ costAllocationTagKeys: { tenant: 'Tenant', costCenter: 'CostCenter' } }), PROD, 'us-east-1');
    expect(s.profiles[0].tags).toMatchObject({ Tenant: 'acme', CostCenter: 'cc-1', owner: 'team-a' });
  });

  test('reordering tenants and models changes no Terraform address', () => {
    const reordered = tenantMatrix({
      models: [...tenantMatrix().models!].reverse(),
      tenants: [...tenantMatrix().tenants!].reverse().map((t) => ({ ...t, models: [...(t.models ?? [])].reverse() })),
    });
    const ids = (mm: Matrix) => resolveMatrix(mm).stacks.map((s) => s.profiles.map((p) => p.logicalId));
    expect(ids(reordered)).toEqual(ids(m));
    const json = (mm: Matrix) => synth(stackOf(mm, PROD, 'us-east-1')).json;
    expect(json(reordered)).toEqual(json(m));
  });

  test('synthesized profile: name, description, model source and tags; address from tenant and alias', () => {
    const s = synth(stackOf(m, PROD, 'us-east-1'));
    expect(s.json).toHaveResourceWithProperties(BedrockInferenceProfile, {
      name: 'globex-haiku',
      description: 'Tenant globex model haiku',
      model_source: [{ copy_from: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}` }],
      tags: { tenant: 'globex', 'bedrock-model': 'haiku' },
    });
    expect(Object.keys(s.resources('aws_bedrock_inference_profile'))).toEqual(['acme__haiku', 'acme__sonnet', 'globex__haiku']);
    expect(s.tf.output?.inference_profile_arns.value).toEqual({
      'acme/haiku': '${aws_bedrock_inference_profile.acme__haiku.arn}',
      'acme/sonnet': '${aws_bedrock_inference_profile.acme__sonnet.arn}',
      'globex/haiku': '${aws_bedrock_inference_profile.globex__haiku.arn}',
    });
  });

  test('each tenant policy allows only its own profiles and the models behind them', () => {
    const s = synth(stackOf(m, PROD, 'us-east-1'));
    const globex = s.policy('aws_iam_policy', 'invoke_globex');
    expect(globex.Statement).toEqual([
      {
        Sid: 'InvokeOwnInferenceProfiles',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: ['${aws_bedrock_inference_profile.globex__haiku.arn}'],
      },
      {
        Sid: 'InvokeModelsBehindOwnProfiles',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: [`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`],
        // Only through the tenant's own profiles: no direct model call that bypasses the profile's tags.
        Condition: { ArnEquals: { 'bedrock:InferenceProfileArn': ['${aws_bedrock_inference_profile.globex__haiku.arn}'] } },
      },
    ]);
    expect(JSON.stringify(globex)).not.toContain('acme');
    expect(s.resource('aws_iam_policy', 'invoke_globex').name).toBe('bedrock-invoke-globex-us-east-1');
  });

  test('invokePolicy: false leaves the tenant policy out', () => {
    const mm = tenantMatrix({ tenants: [{ id: 'acme', models: ['haiku'], invokePolicy: false }] });
    expect(synth(stackOf(mm, PROD, 'us-east-1')).resources('aws_iam_policy')).toEqual({});
  });

  test('the routing table lists every profile with its stack and output key', () => {
    const table = routingTable(resolveMatrix(m));
    expect(table.profiles).toHaveLength(7);
    expect(table.profiles).toContainEqual({
      tenant: 'globex',
      model: 'haiku',
      accountId: PROD,
      region: 'us-east-1',
      environment: 'prod',
      stack: `bedrock-logging-${PROD}-us-east-1`,
      profileName: 'globex-haiku',
      modelSource: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`,
      output: 'inference_profile_arns',
      key: 'globex/haiku',
      guardrail: null,
      guardrailArn: null,
      guardrailVersion: null,
    });
  });

  test('for a tenant behind a Bedrock guardrail, the routing table says where the guardrail ARN and the version to send are', () => {
    const mm = tenantMatrix({
      bedrockGuardrails: [{ name: 'standard', contentFilters: { hate: 'HIGH' }, blockedMessage: 'No.', revision: 3 }],
    });
    mm.tenants![1].guardrail = 'standard';
    const table = routingTable(resolveMatrix(mm));
    expect(table.profiles.find((p) => p.tenant === 'globex')).toEqual(
      expect.objectContaining({
        key: 'globex/haiku',
        guardrail: 'standard',
        guardrailArn: { output: 'tenant_guardrails', key: 'globex', attribute: 'arn' },
        guardrailVersion: { output: 'tenant_guardrails', key: 'globex', attribute: 'version' },
      }),
    );
    expect(table.profiles.filter((p) => p.tenant === 'acme').map((p) => [p.guardrail, p.guardrailArn, p.guardrailVersion])).toEqual(
      Array(6).fill([null, null, null]),
    );
    expect(table.description).toContain('tenant_guardrails[key].arn and .version');
    // The output it points into exists in the profile's stack, with the same key and attributes.
    const out = asObject(synth(stackOf(mm, PROD, 'us-east-1')).tf.output?.tenant_guardrails.value);
    expect(Object.keys(out)).toEqual(['globex']);
    expect(out.globex).toEqual(expect.objectContaining({ arn: expect.any(String), version: expect.any(String) }));
  });
});

describe('tenant rules', () => {
  test.each([
    [
      'a geography that does not fit the region',
      tenantMatrix({ tenants: [{ id: 'acme', models: ['us-sonnet'] }] }),
      'tenants[0] (tenant "acme", model "us-sonnet") in accounts[0].regions[1]',
      '"us." profiles are available from us-* (not GovCloud) only',
    ],
    [
      'crossRegion where no geography exists',
      tenantMatrix({ accounts: [{ id: PROD, regions: ['sa-east-1'] }], tenants: [{ id: 'acme', models: ['sonnet'] }] }),
      'tenants[0] (tenant "acme", model "sonnet") in accounts[0].regions[0]',
      'a region with a cross-region geography',
    ],
    [
      'crossRegion on a system profile',
      tenantMatrix({
        models: [{ alias: 'x', source: 'us.anthropic.claude-3-5-sonnet-20241022-v2:0', crossRegion: true }],
        tenants: [{ id: 'acme', models: ['x'], placement: { regions: ['us-east-1'] } }],
      }),
      'tenants[0] (tenant "acme", model "x")',
      'crossRegion only with a foundation model ID',
    ],
    [
      'a profile name with repeated separators, with a suggestion',
      tenantMatrix({ tenants: [{ id: 'big--corp', models: ['haiku'] }] }),
      'tenants[0] (tenant "big--corp", model "haiku")',
      'e.g. "big-corp-haiku"',
    ],
    [
      'a profile name over 64 characters',
      tenantMatrix({ models: [{ alias: 'a'.repeat(32), source: HAIKU }], tenants: [{ id: 'b'.repeat(32), models: ['a'.repeat(32)] }] }),
      `tenants[0] (tenant "${'b'.repeat(32)}", model "${'a'.repeat(32)}")`,
      'name of 1-64 characters',
    ],
    [
      'a placement on an unknown account',
      tenantMatrix({ tenants: [{ id: 'acme', models: ['haiku'], placement: { accounts: ['genai-stage'] } }] }),
      'tenants[0].placement.accounts[0]',
      'an account ID or name of the matrix: 111111111111, genai-prod, 222222222222, genai-dev',
    ],
    [
      'a placement on an unknown environment',
      tenantMatrix({ tenants: [{ id: 'acme', models: ['haiku'], placement: { environments: ['staging'] } }] }),
      'tenants[0].placement.environments[0]',
      'an environment of the matrix: prod, dev',
    ],
    [
      'a missing required profile tag',
      tenantMatrix({ requiredProfileTags: ['owner'], tenants: [{ id: 'zed', models: ['haiku'] }] }),
      'tenants[0]',
      'carry the tag "owner"',
    ],
    [
      'more profiles than the quota in one stack',
      tenantMatrix({ profileQuotaPerRegion: 2 }),
      'accounts[0].regions[0]',
      'at most profileQuotaPerRegion = 2',
    ],
    [
      'a tenant tag with the aws: prefix',
      tenantMatrix({ tenants: [{ id: 'acme', models: ['haiku'], tags: { 'aws:cost': 'x' } }] }),
      'tenants[0].tags.aws:cost',
      'reserved prefix',
    ],
    [
      'a bad alert e-mail',
      tenantMatrix({ tenants: [{ id: 'acme', alertEmails: ['not-an-address'] }] }),
      'tenants[0].alertEmails[0]',
      'an e-mail address',
    ],
    [
      'a tenant ID with a space',
      tenantMatrix({ tenants: [{ id: 'Initech EU' }] }),
      'tenants[0].id',
      'a tenant ID of 1-62 letters (either case), digits, "_" and "-"',
    ],
    [
      'a model source that is not a model ID',
      tenantMatrix({ models: [{ alias: 'x', source: 'arn:aws:bedrock:us-east-1::foundation-model/x' }] }),
      'models[0].source',
      'foundation model ID',
    ],
  ])('%s', (_what, matrix, path, allowed) => {
    const p = problems(matrix);
    expect(p.map((i) => i.path)).toContain(path);
    expect(p.find((i) => i.path === path)!.allowed).toContain(allowed);
  });

  test('more than 50 tags on a profile, counting the stack default tags', () => {
    const tags = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`t${i}`, 'v']));
    const p = problems(tenantMatrix({ tags: { a: '1', b: '2' }, tenants: [{ id: 'acme', models: ['haiku'], tags }] }));
    expect(p.map((i) => i.allowed)).toContain("at most 50 tags per profile, counting the stack's default tags");
  });

  test('the required tag is satisfied by the owner field or matrix tags', () => {
    expect(problems(tenantMatrix({ requiredProfileTags: ['owner'], tenants: [{ id: 'zed', models: ['haiku'], owner: 'me' }] }))).toEqual(
      [],
    );
    expect(
      problems(tenantMatrix({ requiredProfileTags: ['owner'], tags: { owner: 'platform' }, tenants: [{ id: 'zed', models: ['haiku'] }] })),
    ).toEqual([]);
  });

  test('suggestProfileName makes a valid name', () => {
    expect(suggestProfileName('a--b__c!!d-')).toBe('a-b_c-d');
    expect(suggestProfileName('x'.repeat(70))).toHaveLength(64);
  });
});

describe('management stack', () => {
  const config = resolveMatrix(
    tenantMatrix({
      tenants: [
        { id: 'acme', models: ['haiku'], monthlyBudgetUsd: 500, alertEmails: ['a@example.com'] },
        { id: 'globex', models: ['haiku'], monthlyBudgetUsd: 99.5 },
        { id: 'free', models: ['haiku'] },
      ],
      costAnomalyMonitor: { thresholdUsd: 50, emails: ['finops@example.com'] },
    }),
  ).management!;
  const json = Testing.synth(new ManagementStack(Testing.app(), config));
  const tf = JSON.parse(json);

  test('exists only when managementAccountId is set', () => {
    expect(resolveMatrix(tenantMatrix({ managementAccountId: undefined })).management).toBeUndefined();
    expect(config.stackName).toBe('bedrock-management-999999999999');
  });

  test('by default activates no cost-allocation tag (the first rollout cannot fail on it) and forgets, never destroys, an earlier activation', () => {
    expect(tf.resource.aws_ce_cost_allocation_tag).toBeUndefined();
    expect(tf.removed).toEqual(
      ['tenant', 'cost_center', 'owner'].map((id) => ({ from: `aws_ce_cost_allocation_tag.${id}`, lifecycle: { destroy: false } })),
    );
  });

  test("with costAllocationTags.activate, activates each key at today's addresses, with prevent_destroy (destroying one deactivates the tag)", () => {
    const m = resolveMatrix(tenantMatrix({ costAllocationTags: { activate: true } })).management!;
    const j = Testing.synth(new ManagementStack(Testing.app(), m));
    for (const key of ['tenant', 'cost-center', 'owner'])
      expect(j).toHaveResourceWithProperties(CeCostAllocationTag, { tag_key: key, status: 'Active' });
    const tags = JSON.parse(j).resource.aws_ce_cost_allocation_tag;
    expect(Object.keys(tags).sort()).toEqual(['cost_center', 'owner', 'tenant']);
    for (const t of Object.values<TerraformBody>(tags)) expect(t.lifecycle).toEqual({ prevent_destroy: true });
    expect(JSON.parse(j).removed).toBeUndefined();
  });

  test('one budget per tenant with a budget, filtered on user:<key>$<tenant>, with 3 notifications', () => {
    expect(Object.keys(tf.resource.aws_budgets_budget).sort()).toEqual(['tenant_acme', 'tenant_globex']);
    expect(json).toHaveResourceWithProperties(BudgetsBudget, {
      name: 'bedrock-tenant-globex',
      limit_amount: '99.50',
      cost_filter: [{ name: 'TagKeyValue', values: ['user:tenant$globex'] }],
    });
    const acme = tf.resource.aws_budgets_budget.tenant_acme;
    expect(
      acme.notification.map(
        (n: Record<string, unknown>) => `${n.notification_type} ${n.comparison_operator} ${n.threshold} ${n.threshold_type}`,
      ),
    ).toEqual(['ACTUAL GREATER_THAN 80 PERCENTAGE', 'ACTUAL GREATER_THAN 100 PERCENTAGE', 'FORECASTED GREATER_THAN 100 PERCENTAGE']);
    for (const n of acme.notification) {
      expect(n.subscriber_sns_topic_arns).toEqual(['${aws_sns_topic.budget_alerts.arn}']);
      expect(n.subscriber_email_addresses).toEqual(['a@example.com']);
    }
    expect(tf.resource.aws_budgets_budget.tenant_globex.notification[0].subscriber_email_addresses).toBeUndefined();
  });

  test('the alert topic is KMS-encrypted and only Budgets of this account may publish', () => {
    expect(json).toHaveResourceWithProperties(SnsTopic, { kms_master_key_id: '${aws_kms_key.budget_alerts.arn}' });
    const topicPolicy = JSON.parse(tf.resource.aws_sns_topic_policy.budget_alerts.policy);
    expect(topicPolicy.Statement).toEqual([
      {
        Sid: 'AllowBudgetsPublish',
        Effect: 'Allow',
        Principal: { Service: 'budgets.amazonaws.com' },
        Action: 'SNS:Publish',
        Resource: '${aws_sns_topic.budget_alerts.arn}',
        Condition: {
          StringEquals: { 'aws:SourceAccount': '999999999999' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:budgets::999999999999:*' },
        },
      },
    ]);
    const keyPolicy = JSON.parse(tf.resource.aws_kms_key.budget_alerts.policy);
    expect(keyPolicy.Statement[1]).toMatchObject({
      Principal: { Service: 'budgets.amazonaws.com' },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
    });
    expect(tf.resource.aws_kms_key.budget_alerts).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
  });

  test('the optional anomaly monitor watches tenant-tagged spend', () => {
    const monitor = tf.resource.aws_ce_anomaly_monitor.bedrock_tenants;
    // Byte for byte the provider's read-back: json.Marshal of types.Expression, normalized
    // (every Expression key, null where unused, keys sorted, no spaces). Anything else is
    // replaced on every apply (terraform-provider-aws issue #39885).
    expect(monitor.monitor_specification).toBe(
      '{"And":null,"CostCategories":null,"Dimensions":null,"Not":null,"Or":null,"Tags":{"Key":"tenant","MatchOptions":["EQUALS"],"Values":["acme","free","globex"]}}',
    );
    expect(tf.resource.aws_ce_anomaly_subscription.bedrock_tenants.subscriber).toEqual([{ type: 'EMAIL', address: 'finops@example.com' }]);
  });

  test('the provider is pinned to the management account in us-east-1', () => {
    expect(tf.provider.aws[0]).toMatchObject({ region: 'us-east-1', allowed_account_ids: ['999999999999'] });
  });
});

describe('the lightweight profile resource', () => {
  test('synthesizes exactly what the generated BedrockInferenceProfile class does', () => {
    const { InferenceProfileResource } = require('../../synth/profile-resource');
    const { TerraformStack } = require('cdktf');
    const config = {
      name: 'acme-haiku',
      description: 'Tenant acme model haiku',
      copyFrom: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`,
      tags: { tenant: 'acme', 'cost-center': 'cc-1' },
    };
    const viaGenerated = new TerraformStack(Testing.app(), 'a');
    new BedrockInferenceProfile(viaGenerated, 'p', {
      name: config.name,
      description: config.description,
      modelSource: [{ copyFrom: config.copyFrom }],
      tags: config.tags,
    });
    const viaLight = new TerraformStack(Testing.app(), 'a');
    new InferenceProfileResource(viaLight, 'p', config);
    expect(Testing.synth(viaLight)).toEqual(Testing.synth(viaGenerated));
    expect(Testing.synthHcl(viaLight)).toEqual(Testing.synthHcl(viaGenerated));
  });
});

describe('tenant IDs as tenants are really named', () => {
  const matrix = (ids: string[]): Matrix => ({
    managementAccountId: '999999999999',
    accounts: [{ id: PROD, regions: ['us-east-1'], logging: { destinations: ['s3', 'cloudwatch'] } }],
    models: [{ alias: 'haiku', source: HAIKU }],
    tenants: ids.map((id) => ({ id, models: ['haiku'], monthlyBudgetUsd: 10 })),
    analytics: { alarms: { tenantDailyTokens: Object.fromEntries(ids.map((id) => [id, 1000])) } },
  });
  /** Every Terraform address a tenant's resources get, over the logging and management stacks. */
  const addresses = (ids: string[]) => {
    const c = resolveMatrix(matrix(ids));
    const logging = synth(c.stacks[0]).tf.resource ?? {};
    const mgmt = JSON.parse(Testing.synth(new ManagementStack(Testing.app(), c.management!))).resource;
    return [
      ...Object.keys(logging.aws_bedrock_inference_profile).map((n) => `aws_bedrock_inference_profile.${n}`),
      ...Object.keys(logging.aws_iam_policy).map((n) => `aws_iam_policy.${n}`),
      ...Object.keys(logging.aws_cloudwatch_metric_alarm)
        .filter((n) => n.startsWith('tenant_tokens'))
        .map((n) => `aws_cloudwatch_metric_alarm.${n}`),
      ...Object.keys(mgmt.aws_budgets_budget).map((n) => `aws_budgets_budget.${n}`),
    ].sort();
  };

  test("the addresses of today's lower-case IDs stay byte-identical", () => {
    expect(addresses(['acme', 'globex-eu', 'x9'])).toEqual([
      'aws_bedrock_inference_profile.acme__haiku',
      'aws_bedrock_inference_profile.globex-eu__haiku',
      'aws_bedrock_inference_profile.x9__haiku',
      'aws_budgets_budget.tenant_acme',
      'aws_budgets_budget.tenant_globex-eu',
      'aws_budgets_budget.tenant_x9',
      'aws_cloudwatch_metric_alarm.tenant_tokens_acme',
      'aws_cloudwatch_metric_alarm.tenant_tokens_globex_eu',
      'aws_cloudwatch_metric_alarm.tenant_tokens_x9',
      'aws_iam_policy.invoke_acme',
      'aws_iam_policy.invoke_globex-eu',
      'aws_iam_policy.invoke_x9',
    ]);
  });

  test('mixed case, digits first, "_" and "-" are accepted; names carry the ID exactly, addresses are Terraform-safe and distinct', () => {
    const ids = ['Initech_EU', '1acme', 'a_b', 'a-b'];
    expect(problems(matrix(ids))).toEqual([]);
    expect(addresses(ids)).toEqual(
      [
        'aws_bedrock_inference_profile._1acme__haiku',
        'aws_bedrock_inference_profile.Initech_EU__haiku',
        'aws_bedrock_inference_profile.a-b__haiku',
        'aws_bedrock_inference_profile.a_b__haiku',
        'aws_budgets_budget.tenant_Initech_EU',
        'aws_budgets_budget.tenant__1acme',
        'aws_budgets_budget.tenant_a-b',
        'aws_budgets_budget.tenant_a_b',
        'aws_cloudwatch_metric_alarm.tenant_tokens-Initech_EU',
        'aws_cloudwatch_metric_alarm.tenant_tokens-_1acme',
        'aws_cloudwatch_metric_alarm.tenant_tokens-a_b',
        'aws_cloudwatch_metric_alarm.tenant_tokens_a_b',
        'aws_iam_policy.invoke_Initech_EU',
        'aws_iam_policy.invoke__1acme',
        'aws_iam_policy.invoke_a-b',
        'aws_iam_policy.invoke_a_b',
      ].sort(),
    );
    // Every address is a valid Terraform name: a letter or "_" first, then letters, digits, "_" and "-".
    for (const a of addresses(ids)) expect(a.split('.')[1]).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/);
    const c = resolveMatrix(matrix(ids));
    const s = synth(c.stacks[0]);
    const profile = s.resource('aws_bedrock_inference_profile', 'Initech_EU__haiku');
    expect(profile.name).toBe('Initech_EU-haiku');
    expect(profile.description).toBe('Tenant Initech_EU model haiku');
    expect(at(profile, 'tags', 'tenant')).toBe('Initech_EU');
    expect(s.resource('aws_iam_policy', 'invoke_Initech_EU').name).toBe('bedrock-invoke-Initech_EU-us-east-1');
    expect(at(s.resource('aws_cloudwatch_metric_alarm', 'tenant_tokens-Initech_EU'), 'metric_query', 1, 'metric', 'dimensions')).toEqual({
      Tenant: 'Initech_EU',
    });
    const mgmt = JSON.parse(Testing.synth(new ManagementStack(Testing.app(), c.management!))).resource.aws_budgets_budget;
    expect(mgmt.tenant_Initech_EU).toMatchObject({
      name: 'bedrock-tenant-Initech_EU',
      cost_filter: [{ name: 'TagKeyValue', values: ['user:tenant$Initech_EU'] }],
    });
  });

  test('Initech_EU gets no error, and a bad ID exactly one, which is true', () => {
    expect(problems(matrix(['Initech_EU']))).toEqual([]);
    const allowed =
      'a tenant ID of 1-62 letters (either case), digits, "_" and "-", starting and ending with a letter or digit, e.g. "Initech_EU"; spelled exactly as requestMetadata carries it';
    for (const id of ['Initech EU', 'acme.eu', '_acme', 'acme-', 'a'.repeat(63)])
      expect(problems({ ...matrix([]), tenants: [{ id }] })).toEqual([{ path: 'tenants[0].id', value: id, allowed }]);
  });

  test('IDs that differ only in case are refused: IAM policy names ignore case', () => {
    expect(problems(matrix(['Acme', 'acme']))).toEqual([
      {
        path: 'tenants[1].id',
        value: 'acme',
        allowed: 'a tenant ID that differs from tenants[0].id ("Acme") in more than case: IAM policy names ignore case',
      },
    ]);
  });
});
