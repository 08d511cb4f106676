/**
 * The constructs of stacks/ alone: each built in a bare stack from its props only (no
 * StackConfig, no LoggingStack), linked to the others by construct objects, and what
 * it synthesizes. The full stacks are covered by logging-stack.test.ts and the others.
 */
import type { JsonObject, PolicyStatement } from '../../review/terraform-json';

/** The raw resource bodies before synthesis, with the suppression metadata (`//`) the IaC rules read. */
type Metadata = Record<
  string,
  Record<string, { '//'?: { guardrails: { rules_to_suppress: { id: string; reason: string }[] } }; retention_in_days?: number }>
>;
import { Testing, TerraformStack } from 'cdktf';
import type { GuardrailConfig } from '../../config/bedrock-guardrails';
import type { ProfileConfig } from '../../config/model';
import type { Target } from '../../policies/document';
import { LogBucket } from '../../stacks/logging/log-bucket';
import { LogGroupDestination } from '../../stacks/logging/log-group';
import { LogKey } from '../../stacks/logging/log-key';
import { TenantGuardrails } from '../../stacks/safety/guardrails';
import { TenantInferenceProfiles } from '../../stacks/tenancy/inference-profiles';
import { UsageAthena } from '../../stacks/analytics/athena';
import { PrivateEndpoints } from '../../stacks/network/private-endpoints';

const TARGET: Target = { partition: 'aws', region: 'eu-west-1', accountId: '111111111111' };
const BYO_KEY = 'arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000000';
const LIFECYCLE = {
  transitions: [{ days: 30, storageClass: 'STANDARD_IA' as const }],
  noncurrentVersionExpirationDays: 10,
  abortIncompleteMultipartUploadDays: 2,
  expirationDays: 400,
};

const bare = () => new TerraformStack(Testing.app(), 'bare');
const synthesized = (stack: TerraformStack) => JSON.parse(Testing.synth(stack));

describe('the logging chain: key, bucket and log group', () => {
  const build = (props: { existingKeyArn?: string; adopt?: boolean; retentionInDays?: number } = {}) => {
    const stack = bare();
    const key = new LogKey(stack, 'key', {
      target: TARGET,
      alias: 'alias/logs-test',
      existingKeyArn: props.existingKeyArn,
      logGroupName: 'lg',
    });
    const bucket = new LogBucket(stack, 'bucket', {
      target: TARGET,
      bucketName: 'logs-test',
      key,
      deliveryPrefixes: ['bedrock', 'large'],
      lifecycle: LIFECYCLE,
      objectLock: { mode: 'GOVERNANCE', days: 7 },
    });
    const group = new LogGroupDestination(stack, 'cloudwatch', {
      target: TARGET,
      logGroupName: 'lg',
      roleName: 'logging-role',
      key,
      retentionInDays: props.retentionInDays ?? 30,
      adopt: props.adopt,
      s3Copy: true,
    });
    // Testing.synth leaves out the "//" metadata (the IaC rule suppressions); toTerraform() keeps it.
    return { tf: synthesized(stack), metadata: (stack.toTerraform() as { resource: Metadata }).resource, key, bucket, group };
  };

  test('the key: rotated, prevent_destroy, an alias, and a policy that lets CloudWatch Logs use it only for the given log group', () => {
    const { tf, key } = build();
    const k = tf.resource.aws_kms_key.invocation_logs;
    expect(k).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(k.description).toContain('eu-west-1');
    expect(tf.resource.aws_kms_alias.invocation_logs).toEqual({
      name: 'alias/logs-test',
      target_key_id: '${aws_kms_key.invocation_logs.key_id}',
    });
    const logs = JSON.parse(k.policy).Statement.find((s: PolicyStatement) => s.Sid === 'AllowCloudWatchLogsForInvocationLogGroup');
    expect(logs.Principal.Service).toBe('logs.eu-west-1.amazonaws.com');
    expect(logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toBe('arn:aws:logs:eu-west-1:111111111111:log-group:lg');
    expect(key.key).toBeDefined();
  });

  test('the key without a log group grants CloudWatch Logs nothing', () => {
    const stack = bare();
    new LogKey(stack, 'key', { target: TARGET, alias: 'alias/x' });
    const sids = JSON.parse(synthesized(stack).resource.aws_kms_key.invocation_logs.policy).Statement.map((s: PolicyStatement) => s.Sid);
    expect(sids).toEqual(['AccountRootAdministersKey', 'AllowBedrockGenerateDataKey']);
  });

  test('a key the matrix brings: nothing created, and the bucket and the log group encrypt with its ARN', () => {
    const { tf, key } = build({ existingKeyArn: BYO_KEY });
    expect(tf.resource.aws_kms_key).toBeUndefined();
    expect(tf.resource.aws_kms_alias).toBeUndefined();
    expect(key.key).toBeUndefined();
    expect(key.arn).toBe(BYO_KEY);
    const sse = tf.resource.aws_s3_bucket_server_side_encryption_configuration.invocation_logs.rule[0];
    expect(sse.apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'aws:kms', kms_master_key_id: BYO_KEY });
    expect(tf.resource.aws_cloudwatch_log_group.invocation_logs.kms_key_id).toBe(BYO_KEY);
  });

  test('the bucket: named, encrypted with the key object it was given, deliveries admitted under the given prefixes only, the lifecycle and Object Lock of its props', () => {
    const { tf, bucket } = build();
    expect(tf.resource.aws_s3_bucket.invocation_logs).toMatchObject({
      bucket: 'logs-test',
      object_lock_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(bucket.bucketName).toBe('logs-test');
    const sse = tf.resource.aws_s3_bucket_server_side_encryption_configuration.invocation_logs.rule[0];
    expect(sse.apply_server_side_encryption_by_default.kms_master_key_id).toBe('${aws_kms_key.invocation_logs.arn}');
    const policy = JSON.parse(tf.resource.aws_s3_bucket_policy.invocation_logs.policy);
    expect(policy.Statement[0].Resource).toEqual([
      'arn:aws:s3:::logs-test/bedrock/AWSLogs/111111111111/BedrockModelInvocationLogs/*',
      'arn:aws:s3:::logs-test/large/AWSLogs/111111111111/BedrockModelInvocationLogs/*',
    ]);
    expect(policy.Statement[0].Condition.StringEquals['aws:SourceAccount']).toBe('111111111111');
    const rule = tf.resource.aws_s3_bucket_lifecycle_configuration.invocation_logs.rule[0];
    expect(rule.expiration).toEqual([{ days: 400 }]);
    expect(rule.transition).toEqual([{ days: 30, storage_class: 'STANDARD_IA' }]);
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 10 }]);
    expect(tf.resource.aws_s3_bucket_object_lock_configuration.invocation_logs.rule.default_retention).toEqual({
      mode: 'GOVERNANCE',
      days: 7,
    });
  });

  test('the log group: encrypted with the key object, its retention, a role only Bedrock of this account and region assumes, writing only to that group', () => {
    const { tf, metadata, group } = build();
    expect(tf.resource.aws_cloudwatch_log_group.invocation_logs).toMatchObject({
      name: 'lg',
      kms_key_id: '${aws_kms_key.invocation_logs.arn}',
      retention_in_days: 30,
      skip_destroy: true,
    });
    // A short retention is accepted (CKV_AWS_338), naming the S3 copy the props say exists.
    expect(metadata.aws_cloudwatch_log_group.invocation_logs['//']!.guardrails.rules_to_suppress).toEqual([
      { id: 'CKV_AWS_338', reason: expect.stringContaining('logRetentionDays = 30 for this stack') },
    ]);
    expect(metadata.aws_cloudwatch_log_group.invocation_logs['//']!.guardrails.rules_to_suppress[0].reason).toContain(
      'the S3 copy keeps every record',
    );
    const role = tf.resource.aws_iam_role.invocation_logging;
    expect(role.name).toBe('logging-role');
    const trust = JSON.parse(role.assume_role_policy).Statement[0];
    expect(trust.Principal.Service).toBe('bedrock.amazonaws.com');
    expect(trust.Condition.ArnLike['aws:SourceArn']).toBe('arn:aws:bedrock:eu-west-1:111111111111:*');
    const rolePolicy = tf.resource.aws_iam_role_policy.invocation_logging;
    expect(rolePolicy.role).toBe('${aws_iam_role.invocation_logging.name}');
    expect(JSON.parse(rolePolicy.policy).Statement[0].Resource).toBe(
      'arn:aws:logs:eu-west-1:111111111111:log-group:lg:log-stream:aws/bedrock/modelinvocations',
    );
    expect(tf.import).toBeUndefined();
    expect(group.logGroup.name).toMatch(/TOKEN/);
  });

  test('the log group with adopt: an import block by name; with a year of retention, no suppression', () => {
    const { tf, metadata } = build({ adopt: true, retentionInDays: 365 });
    expect(tf.import).toEqual([{ id: 'lg', to: 'aws_cloudwatch_log_group.invocation_logs' }]);
    expect(metadata.aws_cloudwatch_log_group.invocation_logs['//']?.guardrails).toBeUndefined();
    expect(metadata.aws_cloudwatch_log_group.invocation_logs.retention_in_days).toBe(365);
  });
});

describe('the tenants: inference profiles and their invoke policies, with and without a Bedrock guardrail', () => {
  const profile = (tenant: string, model: string): ProfileConfig => ({
    tenant,
    model,
    logicalId: `${tenant}_${model}`,
    name: `${tenant}-${model}`,
    description: `${tenant} ${model}`,
    copyFrom: `arn:aws:bedrock:eu-west-1::foundation-model/${model}-v1`,
    underlyingArns: [`arn:aws:bedrock:eu-west-1::foundation-model/${model}-v1`],
    tags: { tenant, 'bedrock-model': model },
  });
  const guardrail: GuardrailConfig = {
    name: 'strict',
    logicalId: 'guardrail_strict',
    blockedInputMessaging: 'no',
    blockedOutputsMessaging: 'no',
    contentFilters: [{ type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' }],
    piiEntities: [],
    topics: [],
    managedWordLists: [],
    words: [],
    grounding: [],
    configHash: 'abc123',
    matrixPath: 'bedrockGuardrails[0]',
    revision: 2,
    versions: [
      { revision: 2, logicalId: 'guardrail_strict_r2' },
      { revision: 1, logicalId: 'guardrail_strict' },
    ],
  };

  const build = () => {
    const stack = bare();
    const guardrails = new TenantGuardrails(stack, 'bedrock-guardrails', { guardrails: [guardrail] });
    const tenants = new TenantInferenceProfiles(stack, 'tenants', {
      region: 'eu-west-1',
      profiles: [profile('acme', 'haiku'), profile('acme', 'sonnet'), profile('globex', 'haiku')],
      tenantPolicies: [
        { tenant: 'acme', name: 'acme-invoke', guardrail: 'strict' },
        { tenant: 'globex', name: 'globex-invoke' },
      ],
      guardrails,
    });
    return { tf: synthesized(stack), tenants, guardrails };
  };

  test('one profile per tenant x model from its props, and the ARNs by "<tenant>/<model>" as references and as an output', () => {
    const { tf, tenants } = build();
    expect(Object.keys(tf.resource.aws_bedrock_inference_profile).sort()).toEqual(['acme_haiku', 'acme_sonnet', 'globex_haiku']);
    expect(tf.resource.aws_bedrock_inference_profile.acme_sonnet).toEqual({
      name: 'acme-sonnet',
      description: 'acme sonnet',
      model_source: [{ copy_from: 'arn:aws:bedrock:eu-west-1::foundation-model/sonnet-v1' }],
      tags: { tenant: 'acme', 'bedrock-model': 'sonnet' },
    });
    expect(tenants.arns.get('globex/haiku')).toBe('${aws_bedrock_inference_profile.globex_haiku.arn}');
    expect(tf.output.inference_profile_arns.value).toEqual({
      'acme/haiku': '${aws_bedrock_inference_profile.acme_haiku.arn}',
      'acme/sonnet': '${aws_bedrock_inference_profile.acme_sonnet.arn}',
      'globex/haiku': '${aws_bedrock_inference_profile.globex_haiku.arn}',
    });
  });

  test("a tenant's policy invokes only its own profiles and their models; without a guardrail, no guardrail condition", () => {
    const { tf } = build();
    const globex = tf.resource.aws_iam_policy.invoke_globex;
    expect(globex.name).toBe('globex-invoke');
    expect(globex.description).toContain('eu-west-1');
    expect(globex.tags).toEqual({ tenant: 'globex' });
    const text = globex.policy as string;
    expect(text).toContain('${aws_bedrock_inference_profile.globex_haiku.arn}');
    expect(text).not.toContain('acme_');
    expect(text).not.toContain('bedrock:GuardrailIdentifier');
  });

  test("a tenant behind a guardrail: its policy accepts the guardrail's kept versions (tokens of the guardrail and version resources), and the tenant_guardrails output says what to send", () => {
    const { tf, guardrails } = build();
    expect(Object.keys(tf.resource.aws_bedrock_guardrail_version).sort()).toEqual(['guardrail_strict', 'guardrail_strict_r2']);
    const accepted = [
      '${aws_bedrock_guardrail.guardrail_strict.guardrail_arn}:${aws_bedrock_guardrail_version.guardrail_strict_r2.version}',
      '${aws_bedrock_guardrail.guardrail_strict.guardrail_arn}:${aws_bedrock_guardrail_version.guardrail_strict.version}',
    ];
    const acme = JSON.parse(tf.resource.aws_iam_policy.invoke_acme.policy);
    const deny = acme.Statement.find((s: PolicyStatement) => s.Sid === 'DenyOwnProfilesWithoutTenantGuardrail');
    expect(deny.Condition.StringNotEquals['bedrock:GuardrailIdentifier']).toEqual(accepted);
    expect(deny.Resource).toEqual(['${aws_bedrock_inference_profile.acme_haiku.arn}', '${aws_bedrock_inference_profile.acme_sonnet.arn}']);
    expect(acme.Statement.find((s: PolicyStatement) => s.Sid === 'ApplyTenantGuardrail').Resource).toBe(
      '${aws_bedrock_guardrail.guardrail_strict.guardrail_arn}',
    );
    expect(tf.output.tenant_guardrails.value).toEqual({
      acme: {
        name: 'strict',
        arn: '${aws_bedrock_guardrail.guardrail_strict.guardrail_arn}',
        id: '${aws_bedrock_guardrail.guardrail_strict.guardrail_id}',
        version: '${aws_bedrock_guardrail_version.guardrail_strict_r2.version}',
        revision: 2,
        accepted_versions: [
          '${aws_bedrock_guardrail_version.guardrail_strict_r2.version}',
          '${aws_bedrock_guardrail_version.guardrail_strict.version}',
        ],
      },
    });
    expect(guardrails.guardrails.get('strict')!.config).toBe(guardrail);
  });

  test('a tenant policy naming a guardrail the props do not hold is an error, not an unguarded policy', () => {
    const stack = bare();
    expect(
      () =>
        new TenantInferenceProfiles(stack, 'tenants', {
          region: 'eu-west-1',
          profiles: [profile('acme', 'haiku')],
          tenantPolicies: [{ tenant: 'acme', name: 'acme-invoke', guardrail: 'strict' }],
        }),
    ).toThrow('tenant acme: guardrail "strict" is not among the stack\'s guardrails');
  });
});

describe('links by construct object: Athena and the VPC endpoints read the profiles, the bucket and the key they are given', () => {
  const build = () => {
    const stack = bare();
    const key = new LogKey(stack, 'key', { target: TARGET, alias: 'alias/k' });
    const bucket = new LogBucket(stack, 'bucket', {
      target: TARGET,
      bucketName: 'logs',
      key,
      deliveryPrefixes: [''],
      lifecycle: LIFECYCLE,
    });
    const profiles = new TenantInferenceProfiles(stack, 'tenants', {
      region: 'eu-west-1',
      profiles: [
        {
          tenant: 'acme',
          model: 'haiku',
          logicalId: 'acme_haiku',
          name: 'acme-haiku',
          description: 'acme haiku',
          copyFrom: 'arn:aws:bedrock:eu-west-1::foundation-model/haiku-v1',
          underlyingArns: ['arn:aws:bedrock:eu-west-1::foundation-model/haiku-v1'],
          tags: { tenant: 'acme' },
        },
      ],
      tenantPolicies: [],
    });
    const athena = new UsageAthena(stack, 'athena', {
      target: TARGET,
      settings: { bytesScannedCutoff: 1024, resultsExpirationDays: 3 },
      tenantKey: 'tenantId',
      rateCard: [{ model: 'haiku', inputPerMillionUsd: 1, outputPerMillionUsd: 2, validFrom: '2025-01-01' }],
      logBucket: bucket,
      s3KeyPrefix: '',
      resultsBucketName: 'results',
      profiles,
    });
    new PrivateEndpoints(stack, 'endpoints', {
      network: {
        vpcId: 'vpc-1',
        subnetIds: ['subnet-1'],
        cidrBlocks: ['10.0.0.0/16'],
        services: ['bedrock-runtime'],
        organizationId: 'o-abc',
      },
      target: TARGET,
      profiles,
    });
    return { tf: synthesized(stack), athena };
  };

  test("Athena: the rate card lists the profile's ARN reference and its model, in the log bucket, encrypted with the bucket's key; the queries name the database and workgroup by reference", () => {
    const { tf, athena } = build();
    const card = tf.resource.aws_s3_object.rate_card;
    expect(card).toMatchObject({ bucket: '${aws_s3_bucket.invocation_logs.id}', kms_key_id: '${aws_kms_key.invocation_logs.arn}' });
    expect(card.content.split('\n').slice(1, 3)).toEqual([
      '${aws_bedrock_inference_profile.acme_haiku.arn},haiku,1,2,0,0,2025-01-01,',
      'haiku-v1,haiku,1,2,0,0,2025-01-01,',
    ]);
    expect(tf.resource.aws_glue_catalog_table.invocations.storage_descriptor.location).toBe(
      's3://logs/AWSLogs/111111111111/BedrockModelInvocationLogs/eu-west-1/',
    );
    const queries = Object.values(tf.resource.aws_athena_named_query as Record<string, JsonObject>);
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries)
      expect([q.database, q.workgroup]).toEqual(['${aws_glue_catalog_database.usage.name}', '${aws_athena_workgroup.usage.name}']);
    expect(tf.resource.aws_athena_workgroup.usage.configuration.result_configuration.expected_bucket_owner).toBe('111111111111');
    expect(athena.database.name).toMatch(/TOKEN/);
  });

  test("the runtime endpoint's policy admits the profiles it was given and their models; the DNS output refers to the endpoint's dns_entry", () => {
    const { tf } = build();
    const endpoint = tf.resource.aws_vpc_endpoint.endpoint_bedrock_runtime;
    expect(endpoint.service_name).toBe('com.amazonaws.eu-west-1.bedrock-runtime');
    const text = endpoint.policy as string;
    expect(text).toContain('${aws_bedrock_inference_profile.acme_haiku.arn}');
    expect(text).toContain('arn:aws:bedrock:eu-west-1::foundation-model/haiku-v1');
    expect(tf.output.vpc_endpoint_dns_entries.value).toEqual({
      'bedrock-runtime': '${aws_vpc_endpoint.endpoint_bedrock_runtime.dns_entry}',
    });
  });
});
