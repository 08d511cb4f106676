/**
 * Real Terraform tier: synthesize, then `terraform init` (from the local provider
 * mirror), `validate` and an offline `plan` of every stack, and assert on the
 * plan JSON, which is what users will deploy.
 * Without a terraform binary this fails; SKIP_TERRAFORM_TESTS=1 skips it on purpose.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { synthesize } from '../../stacks/app';
import { StackPlan, TerraformSession, requireTerraform } from '../../lib/terraform';
import { resolveMatrix } from '../helpers';
import { awsState } from '../terraform-state';
import { asArray, at, statementsOf } from '../../review/terraform-json';

jest.setTimeout(240_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;
if (!terraform) console.warn('SKIP_TERRAFORM_TESTS=1: the real Terraform tier is skipped');

/** What every logging stack with both destinations and a created key deploys. */
const LOGGING = {
  aws_bedrock_model_invocation_logging_configuration: 1,
  aws_cloudwatch_log_group: 1,
  aws_iam_role: 1,
  aws_iam_role_policy: 1,
  aws_kms_alias: 1,
  aws_kms_key: 1,
  aws_s3_bucket: 1,
  aws_s3_bucket_lifecycle_configuration: 1,
  aws_s3_bucket_ownership_controls: 1,
  aws_s3_bucket_policy: 1,
  aws_s3_bucket_public_access_block: 1,
  aws_s3_bucket_server_side_encryption_configuration: 1,
  aws_s3_bucket_versioning: 1,
};

/** The resources of one private bucket (stacks/private-bucket.ts), times n: the log bucket and, with Athena, the query-result bucket. */
const BUCKETS = (n: number) => ({
  aws_s3_bucket: n,
  aws_s3_bucket_lifecycle_configuration: n,
  aws_s3_bucket_ownership_controls: n,
  aws_s3_bucket_policy: n,
  aws_s3_bucket_public_access_block: n,
  aws_s3_bucket_server_side_encryption_configuration: n,
  aws_s3_bucket_versioning: n,
});

/** This test's matrix adds QuickSight to every stack with Athena. */
const QUICKSIGHT_PLANNED = { aws_quicksight_data_source: 1, aws_quicksight_data_set: 1 };
/** Usage analytics of a stack with the S3 destination: Athena and the rate card. */
const ATHENA = {
  aws_glue_catalog_database: 1,
  aws_glue_catalog_table: 2,
  aws_s3_object: 1,
  aws_athena_workgroup: 1,
  aws_athena_named_query: 5,
  ...QUICKSIGHT_PLANNED,
};
/** The alarm topic with its own key, and the example's one e-mail subscription. */
const ALARM_TOPIC = { aws_sns_topic: 1, aws_sns_topic_policy: 1, aws_sns_topic_subscription: 1 };
/**
 * Analytics of a stack with both destinations: Athena, 4 metric filters, 5 saved
 * queries, data protection, the dashboard, and 7 alarms (server errors, throttles,
 * p99 latency, delivery to S3, to CloudWatch and of large data to S3, acme's daily tokens).
 */
const ANALYTICS = {
  ...ATHENA,
  ...ALARM_TOPIC,
  aws_cloudwatch_log_metric_filter: 4,
  aws_cloudwatch_query_definition: 5,
  aws_cloudwatch_log_data_protection_policy: 1,
  aws_cloudwatch_dashboard: 1,
  aws_cloudwatch_metric_alarm: 7,
};

/**
 * The unlogged-traffic dashboard and alarm (stacks/safety/unlogged-traffic.ts) of every logging stack: the example has no
 * organizationPolicies.loggedInferenceOnly SCP, so bedrock-mantle is open in every account, and watched.
 */
const withUnlogged = (counts: Record<string, number>) => ({
  ...counts,
  aws_cloudwatch_dashboard: (counts.aws_cloudwatch_dashboard ?? 0) + 1,
  aws_cloudwatch_metric_alarm: (counts.aws_cloudwatch_metric_alarm ?? 0) + 1,
});

/**
 * Counted by hand from the example matrix: acme (haiku, sonnet) everywhere,
 * globex (haiku, titan-embed) in prod, initech (sonnet) in eu-west-1; one invoke
 * policy per tenant per stack.
 */
const EXPECTED: Record<string, Record<string, number>> = {
  // The log key and the alarm-topic key, each with an alias.
  'bedrock-logging-111111111111-us-east-1': withUnlogged({
    ...LOGGING,
    ...ANALYTICS,
    ...BUCKETS(2),
    aws_kms_key: 2,
    aws_kms_alias: 2,
    aws_bedrock_inference_profile: 4,
    aws_iam_policy: 2,
  }),
  // initech's Bedrock guardrail "standard" with its version, its four prompt-attack metric filters (InvokeModel and
  // Converse traces, two groups of positions each) and two alarms,
  // and the interventions query for Athena and Logs Insights.
  'bedrock-logging-111111111111-eu-west-1': withUnlogged({
    ...LOGGING,
    ...ANALYTICS,
    ...BUCKETS(2),
    aws_kms_key: 2,
    aws_kms_alias: 2,
    aws_bedrock_inference_profile: 5,
    aws_iam_policy: 3,
    aws_bedrock_guardrail: 1,
    aws_bedrock_guardrail_version: 1,
    aws_cloudwatch_log_metric_filter: ANALYTICS.aws_cloudwatch_log_metric_filter + 4,
    aws_cloudwatch_metric_alarm: ANALYTICS.aws_cloudwatch_metric_alarm + 2,
    aws_cloudwatch_query_definition: ANALYTICS.aws_cloudwatch_query_definition + 1,
    aws_athena_named_query: ANALYTICS.aws_athena_named_query + 1,
  }),
  'bedrock-logging-222222222222-us-east-1': withUnlogged({
    ...LOGGING,
    ...ANALYTICS,
    ...BUCKETS(2),
    aws_kms_key: 2,
    aws_kms_alias: 2,
    aws_bedrock_inference_profile: 2,
    aws_iam_policy: 1,
  }),
  'bedrock-logging-444444444444-us-gov-west-1': withUnlogged({
    aws_bedrock_model_invocation_logging_configuration: 1,
    ...BUCKETS(2),
    aws_bedrock_inference_profile: 2,
    aws_iam_policy: 1,
    // S3 only: Athena, the dashboard, and 4 alarms (server errors, throttles, latency, S3 delivery); the brought key
    // encrypts the logs, so the only key created is the alarm topic's.
    ...ATHENA,
    ...ALARM_TOPIC,
    aws_cloudwatch_dashboard: 1,
    aws_cloudwatch_metric_alarm: 4,
    aws_kms_key: 1,
    aws_kms_alias: 1,
  }),
  'bedrock-management-999999999999': {
    aws_budgets_budget: 3,
    aws_ce_anomaly_monitor: 1,
    aws_ce_anomaly_subscription: 1,
    aws_ce_cost_allocation_tag: 3,
    aws_kms_alias: 1,
    aws_kms_key: 1,
    aws_sns_topic: 1,
    aws_sns_topic_policy: 1,
  },
};

function countByType(p: StackPlan): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of p.changes) out[c.type] = (out[c.type] ?? 0) + 1;
  return out;
}

maybe('terraform validate and offline plan', () => {
  let session: TerraformSession;
  let outdir: string;
  let plans: StackPlan[];

  // The embedded example plus a variant account: S3 only, a brought key, another partition.
  const VARIANT = '444444444444';
  // Everything enabled: the example's analytics plus QuickSight.
  const matrix = {
    ...EXAMPLE_MATRIX,
    analytics: {
      ...EXAMPLE_MATRIX.analytics,
      quicksight: { principalArn: 'arn:{partition}:quicksight:us-east-1:{accountId}:group/default/finops' },
    },
    accounts: [
      ...EXAMPLE_MATRIX.accounts,
      {
        id: VARIANT,
        regions: [
          {
            region: 'us-gov-west-1',
            logging: {
              destinations: ['s3' as const],
              kmsKeyArn: `arn:aws-us-gov:kms:us-gov-west-1:${VARIANT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
            },
          },
        ],
      },
    ],
  };
  const config = resolveMatrix(matrix);

  beforeAll(async () => {
    session = new TerraformSession(terraform!);
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-synth-'));
    synthesize(config, outdir);
    plans = await session.planAll(outdir);
  });
  afterAll(() => {
    session?.dispose();
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('every stack of the matrix was planned, the management stack included', () => {
    expect(plans.map((p) => p.stack).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test('every planned change is a create', () => {
    for (const p of plans)
      for (const c of p.changes)
        expect({ address: `${p.stack}/${c.address}`, actions: c.actions }).toEqual({
          address: `${p.stack}/${c.address}`,
          actions: ['create'],
        });
  });

  test('each stack plans exactly the resources counted by hand', () => {
    for (const p of plans) expect({ stack: p.stack, counts: countByType(p) }).toEqual({ stack: p.stack, counts: EXPECTED[p.stack] });
  });

  test('usage analytics plan as synthesized: the Glue table, the workgroup, filters, masking, alarms and QuickSight', () => {
    const p = plans.find((x) => x.stack === 'bedrock-logging-111111111111-us-east-1')!;
    const after = (address: string) => p.changes.find((c) => c.address === address)!.after;
    const table = after('aws_glue_catalog_table.invocations');
    expect(at(table, 'parameters', 'storage.location.template')).toBe(
      's3://bedrock-invocation-logs-111111111111-us-east-1/invocation-logs/AWSLogs/111111111111/BedrockModelInvocationLogs/us-east-1/${dt}/',
    );
    expect(at(table, 'partition_keys')).toEqual([expect.objectContaining({ name: 'dt', type: 'string' })]);
    expect(asArray(at(table, 'storage_descriptor', 0, 'columns')).map((c) => at(c, 'name'))).toContain('requestmetadata');
    const wg = at(after('aws_athena_workgroup.usage'), 'configuration', 0);
    expect(wg).toMatchObject({ enforce_workgroup_configuration: true, bytes_scanned_cutoff_per_query: 10_737_418_240 });
    // Query results go to their own bucket, never to the (possibly Object-Locked) log bucket.
    expect(at(wg, 'result_configuration', 0, 'output_location')).toBe('s3://bedrock-athena-results-111111111111-us-east-1/');
    expect(at(wg, 'result_configuration', 0, 'expected_bucket_owner')).toBe('111111111111');
    expect(at(wg, 'result_configuration', 0, 'encryption_configuration', 0, 'encryption_option')).toBe('SSE_KMS');
    expect(after('aws_s3_bucket.athena_results')).toMatchObject({
      bucket: 'bedrock-athena-results-111111111111-us-east-1',
      force_destroy: false,
    });
    expect(at(after('aws_s3_bucket_lifecycle_configuration.athena_results'), 'rule', 0)).toMatchObject({
      status: 'Enabled',
      expiration: [expect.objectContaining({ days: 7 })],
    });
    expect(at(after('aws_s3_bucket_versioning.athena_results'), 'versioning_configuration', 0, 'status')).toBe('Enabled');
    expect(after('aws_s3_bucket_public_access_block.athena_results')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(statementsOf(JSON.parse(at(after('aws_s3_bucket_policy.athena_results'), 'policy') as string))[0]).toMatchObject({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
    });
    expect(p.changes.filter((c) => c.type === 'aws_s3_bucket_object_lock_configuration').map((c) => c.address)).not.toContain(
      'aws_s3_bucket_object_lock_configuration.athena_results',
    );
    expect(at(after('aws_cloudwatch_log_metric_filter.tenant_model_input_tokens'), 'metric_transformation', 0, 'dimensions')).toEqual({
      Tenant: '$.requestMetadata.tenantId',
      ModelId: '$.modelId',
    });
    expect(
      at(
        JSON.parse(at(after('aws_cloudwatch_log_data_protection_policy.invocation_logs'), 'policy_document') as string),
        'Statement',
        1,
        'Operation',
      ),
    ).toEqual({
      Deidentify: { MaskConfig: {} },
    });
    expect(after('aws_cloudwatch_metric_alarm.latency_p99')).toMatchObject({
      threshold: 15000,
      alarm_name: 'bedrock-latency-p99-us-east-1',
    });
    expect(after('aws_cloudwatch_metric_alarm.log_delivery_s3')).toMatchObject({
      metric_name: 'ModelInvocationLogsS3DeliveryFailure',
      threshold: 0,
    });
    expect(after('aws_cloudwatch_metric_alarm.log_delivery_large_data')).toMatchObject({
      metric_name: 'ModelInvocationLargeDataS3DeliveryFailure',
      namespace: 'AWS/Bedrock',
      threshold: 0,
    });
    expect(at(after('aws_quicksight_data_source.usage'), 'permission', 0, 'principal')).toBe(
      'arn:aws:quicksight:us-east-1:111111111111:group/default/finops',
    );
    // The rate card object's content holds profile ARNs, known only after apply.
    expect(at(p.changes.find((c) => c.address === 'aws_s3_object.rate_card')!.after, 'content')).toBeUndefined();
  });

  test('the S3-only stack with a brought key encrypts with that key', () => {
    const p = plans.find((x) => x.stack.includes(VARIANT))!;
    const sse = p.changes.find((c) => c.type === 'aws_s3_bucket_server_side_encryption_configuration')!;
    expect(at(sse.after, 'rule', 0, 'apply_server_side_encryption_by_default', 0, 'kms_master_key_id')).toMatch(
      /^arn:aws-us-gov:kms:us-gov-west-1:444444444444:key\//,
    );
  });

  test('profiles plan with their name, source and cost-allocation tags', () => {
    const euw1 = plans.find((x) => x.stack === 'bedrock-logging-111111111111-eu-west-1')!;
    const initech = euw1.changes.find((c) => c.address === 'aws_bedrock_inference_profile.initech__sonnet')!.after;
    expect(initech).toMatchObject({
      name: 'initech-sonnet',
      description: 'Tenant initech model sonnet',
      model_source: [
        { copy_from: 'arn:aws:bedrock:eu-west-1:111111111111:inference-profile/eu.anthropic.claude-3-5-sonnet-20240620-v1:0' },
      ],
      tags: { tenant: 'initech', 'cost-center': 'cc-3003', 'bedrock-model': 'sonnet' },
    });
    // The tenant's cost center wins over the matrix-wide default tag of the same key.
    expect(at(initech, 'tags_all')).toMatchObject({ tenant: 'initech', 'cost-center': 'cc-3003', 'managed-by': 'bedrock-governance' });
  });

  test('the management stack activates the tags and budgets each tenant on its tag', () => {
    const m = plans.find((x) => x.stack === 'bedrock-management-999999999999')!;
    expect(
      m.changes.filter((c) => c.type === 'aws_ce_cost_allocation_tag').map((c) => [at(c.after, 'tag_key'), at(c.after, 'status')]),
    ).toEqual([
      ['cost-center', 'Active'],
      ['owner', 'Active'],
      ['tenant', 'Active'],
    ]);
    const acme = m.changes.find((c) => c.address === 'aws_budgets_budget.tenant_acme')!.after;
    expect(acme).toMatchObject({ name: 'bedrock-tenant-acme', limit_amount: '500.00', limit_unit: 'USD', time_unit: 'MONTHLY' });
    expect(at(acme, 'cost_filter')).toEqual([{ name: 'TagKeyValue', values: ['user:tenant$acme'] }]);
    expect(
      asArray(at(acme, 'notification')).map((n) => [at(n, 'notification_type'), at(n, 'threshold'), at(n, 'subscriber_email_addresses')]),
    ).toEqual(
      expect.arrayContaining([
        ['ACTUAL', 80, ['finops@example.com']],
        ['ACTUAL', 100, ['finops@example.com']],
        ['FORECASTED', 100, ['finops@example.com']],
      ]),
    );
  });

  test('the plan carries the delivery flags and destinations of the matrix', () => {
    const dev = plans.find((x) => x.stack === 'bedrock-logging-222222222222-us-east-1')!;
    const cfg = at(dev.changes.find((c) => c.type === 'aws_bedrock_model_invocation_logging_configuration')!.after, 'logging_config');
    expect(cfg).toMatchObject({
      text_data_delivery_enabled: true,
      image_data_delivery_enabled: false,
      embedding_data_delivery_enabled: true,
      video_data_delivery_enabled: false,
      // In provider 5.x these nested blocks are single objects (6.x makes them lists).
      s3_config: { key_prefix: 'invocation-logs' },
      cloudwatch_config: { log_group_name: '/bedrock/model-invocation-logs', large_data_delivery_s3_config: { key_prefix: 'large-data' } },
    });
    const bucket = dev.changes.find((c) => c.address === 'aws_s3_bucket.invocation_logs')!.after;
    expect(bucket).toMatchObject({ bucket: 'bedrock-invocation-logs-222222222222-us-east-1', force_destroy: false });
    const group = dev.changes.find((c) => c.type === 'aws_cloudwatch_log_group')!.after;
    expect(group).toMatchObject({ retention_in_days: 30, skip_destroy: true });
    expect(at(group, 'tags_all')).toMatchObject({ 'managed-by': 'bedrock-governance', environment: 'dev', stack: dev.stack });
  });
});

maybe('alarms to an existing topic (analytics.alarms.topicArn): validate and offline plan', () => {
  let session: TerraformSession;
  let outdir: string;
  let plan: StackPlan;
  const config = resolveMatrix({
    accounts: [{ id: '333333333333', name: 'genai-staging', environment: 'staging', regions: ['eu-west-1'] }],
    models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
    tenants: [{ id: 'acme', models: ['haiku'] }],
    analytics: { alarms: { topicArn: 'arn:{partition}:sns:{region}:999999999999:oncall-{environment}' } },
  });

  beforeAll(async () => {
    session = new TerraformSession(terraform!);
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-synth-'));
    synthesize(config, outdir);
    [plan] = await session.planAll(outdir);
  });
  afterAll(() => {
    session?.dispose();
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('every alarm notifies the filled-in topic, and the stack plans no topic, topic key or subscription', () => {
    const alarms = plan.changes.filter((c) => c.type === 'aws_cloudwatch_metric_alarm');
    expect(alarms.length).toBeGreaterThan(3);
    const arn = 'arn:aws:sns:eu-west-1:999999999999:oncall-staging';
    for (const a of alarms) expect([a.address, at(a.after, 'alarm_actions'), at(a.after, 'ok_actions')]).toEqual([a.address, [arn], [arn]]);
    expect(
      plan.changes.filter(
        (c) => c.type.startsWith('aws_sns_') || c.address === 'aws_kms_key.alarms' || c.address === 'aws_kms_alias.alarms',
      ),
    ).toEqual([]);
    expect(countByType(plan)).toMatchObject({ aws_kms_key: 1, aws_kms_alias: 1 });
  });

  test("switching a deployed stack to topicArn destroys its topic and the topic's key: prevent_destroy holds only while the key is in the configuration (docs/alarms.md)", async () => {
    const stack = config.stacks[0];
    const arn = (service: string, resource: string) => `arn:aws:${service}:eu-west-1:333333333333:${resource}`;
    const state = awsState('alarm-topic-switch', [
      {
        type: 'aws_kms_key',
        name: 'alarms',
        attributes: { id: 'key-1', key_id: 'key-1', arn: arn('kms', 'key/key-1'), deletion_window_in_days: 30, enable_key_rotation: true },
      },
      {
        type: 'aws_kms_alias',
        name: 'alarms',
        attributes: {
          id: 'alias/bedrock-alarms',
          name: 'alias/bedrock-alarms',
          arn: arn('kms', 'alias/bedrock-alarms'),
          target_key_id: 'key-1',
        },
      },
      {
        type: 'aws_sns_topic',
        name: 'alarms',
        attributes: { id: arn('sns', 'bedrock-alarms'), arn: arn('sns', 'bedrock-alarms'), name: 'bedrock-alarms' },
      },
    ]);
    const switched = await session.plan(path.join(outdir, 'stacks', stack.stackName), { state, label: 'switch' });
    const deleted = switched.changes.filter((c) => c.actions.includes('delete')).map((c) => c.address);
    expect(deleted.sort()).toEqual(['aws_kms_alias.alarms', 'aws_kms_key.alarms', 'aws_sns_topic.alarms']);
  });
});
