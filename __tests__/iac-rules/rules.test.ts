/**
 * IaC rules: each has a failing fixture and a passing one (small stacks
 * built with the provider classes, as the app builds its own), the app's stacks
 * pass them all, a violation stops the synth, and a suppression needs a reason.
 */
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformResource, TerraformStack, Testing } from 'cdktf';
import { BedrockModelInvocationLoggingConfiguration } from '@cdktf/provider-aws/lib/bedrock-model-invocation-logging-configuration';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { OamSinkPolicy } from '@cdktf/provider-aws/lib/oam-sink-policy';
import { oamSinkPolicy } from '../../policies/oam-sink-policy';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { IacRuleError, RULES, checkResources, checkStack, resourcesOf, stackResources, suppress, suppressionsOf } from '../../iac-rules';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { generateMatrix } from '../../tools/bench/generate-matrix';
import { addStacks, synthesize } from '../../stacks/app';
import { LoggingStack } from '../../stacks/logging-stack';
import { resolveMatrix } from '../helpers';
import type { PolicyStatement } from '../../review/terraform-json';

type Tweak = Partial<{
  pab: Record<string, boolean> | null;
  ownership: string | null;
  sse: string | null;
  versioning: string | null;
  tlsDeny: boolean;
}>;

/** A bucket with every companion the rules ask for; `t` removes or changes one. */
function bucketStack(t: Tweak = {}): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'fixture');
  const b = new S3Bucket(stack, 'logs', { bucket: 'fixture-logs' });
  if (t.pab !== null)
    new S3BucketPublicAccessBlock(stack, 'pab', {
      bucket: b.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      ...t.pab,
    });
  if (t.ownership !== null)
    new S3BucketOwnershipControls(stack, 'own', { bucket: b.id, rule: { objectOwnership: t.ownership ?? 'BucketOwnerEnforced' } });
  if (t.sse !== null)
    new S3BucketServerSideEncryptionConfigurationA(stack, 'sse', {
      bucket: b.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: t.sse ?? 'aws:kms',
            kmsMasterKeyId: t.sse === 'AES256' ? undefined : 'arn:aws:kms:us-east-1:111111111111:key/k',
          },
        },
      ],
    });
  if (t.versioning !== null)
    new S3BucketVersioningA(stack, 'ver', { bucket: b.id, versioningConfiguration: { status: t.versioning ?? 'Enabled' } });
  const statements: PolicyStatement[] = [
    {
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::fixture-logs/AWSLogs/*',
    },
  ];
  if (t.tlsDeny !== false)
    statements.push({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::fixture-logs', 'arn:aws:s3:::fixture-logs/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  new S3BucketPolicy(stack, 'policy', { bucket: b.id, policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) });
  return stack;
}

function single(build: (stack: TerraformStack) => void): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'fixture');
  build(stack);
  return stack;
}

const trust = (Principal: unknown) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Trust', Effect: 'Allow', Principal, Action: 'sts:AssumeRole' }] });
const identity = (Action: string[]) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource: '*' }] });

/** rule ID -> [passing fixture, failing fixture, a fragment of the failure] */
const FIXTURES: Record<string, [() => TerraformStack, () => TerraformStack, string]> = {
  CKV2_AWS_6: [() => bucketStack(), () => bucketStack({ pab: { restrictPublicBuckets: false } }), 'restrict_public_buckets'],
  CKV2_AWS_65: [() => bucketStack(), () => bucketStack({ ownership: 'ObjectWriter' }), 'BucketOwnerEnforced'],
  CKV_AWS_145: [() => bucketStack(), () => bucketStack({ sse: 'AES256' }), 'aws:kms'],
  'S3.5': [() => bucketStack(), () => bucketStack({ tlsDeny: false }), 'without TLS'],
  CKV_AWS_21: [() => bucketStack(), () => bucketStack({ versioning: 'Suspended' }), 'status "Enabled"'],
  OAM_SINK_POLICY_ORG_ONLY: [
    () =>
      single(
        (s) =>
          new OamSinkPolicy(s, 'p', {
            sinkIdentifier: 'sink',
            policy: JSON.stringify(oamSinkPolicy({ partition: 'aws', accountIds: ['111111111111'] })),
          }),
      ),
    () =>
      single(
        (s) =>
          new OamSinkPolicy(s, 'p', {
            sinkIdentifier: 'sink',
            policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Sid: 'Anyone',
                  Effect: 'Allow',
                  Principal: '*',
                  Action: ['oam:CreateLink'],
                  Resource: '*',
                  Condition: { 'ForAllValues:StringEquals': { 'oam:ResourceTypes': ['AWS::CloudWatch::Metric'] } },
                },
              ],
            }),
          }),
      ),
    'without an aws:PrincipalOrgID condition',
  ],
  CKV_AWS_7: [
    () => single((s) => new KmsKey(s, 'k', { enableKeyRotation: true, deletionWindowInDays: 30, lifecycle: { preventDestroy: true } })),
    () => single((s) => new KmsKey(s, 'k', { deletionWindowInDays: 30, lifecycle: { preventDestroy: true } })),
    'enable_key_rotation',
  ],
  'KMS.3': [
    () => single((s) => new KmsKey(s, 'k', { enableKeyRotation: true, deletionWindowInDays: 30, lifecycle: { preventDestroy: true } })),
    () => single((s) => new KmsKey(s, 'k', { enableKeyRotation: true, deletionWindowInDays: 7 })),
    'prevent_destroy is not true; deletion_window_in_days is 7',
  ],
  CKV_AWS_158: [
    () =>
      single(
        (s) => new CloudwatchLogGroup(s, 'g', { name: 'g', kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/k', retentionInDays: 365 }),
      ),
    () => single((s) => new CloudwatchLogGroup(s, 'g', { name: 'g', retentionInDays: 365 })),
    'kms_key_id',
  ],
  CKV_AWS_338: [
    () => single((s) => new CloudwatchLogGroup(s, 'g', { name: 'g', kmsKeyId: 'k', retentionInDays: 400 })),
    () => single((s) => new CloudwatchLogGroup(s, 'g', { name: 'g', kmsKeyId: 'k', retentionInDays: 30 })),
    'retention_in_days is 30',
  ],
  CKV_AWS_60: [
    () => single((s) => new IamRole(s, 'r', { assumeRolePolicy: trust({ Service: 'bedrock.amazonaws.com' }) })),
    () => single((s) => new IamRole(s, 'r', { assumeRolePolicy: trust({ AWS: '*' }) })),
    'allows any principal',
  ],
  'IAM.21': [
    () => single((s) => new IamPolicy(s, 'p', { policy: identity(['s3:GetObject', 's3:PutBucket*']) })),
    () => single((s) => new IamRolePolicy(s, 'p', { role: 'r', policy: identity(['s3:GetObject', 'bedrock:*']) })),
    'allows bedrock:*',
  ],
  ORG_POLICY_SIZE: [
    () =>
      single(
        (s) =>
          new OrganizationsPolicy(s, 'p', {
            name: 'p',
            type: 'SERVICE_CONTROL_POLICY',
            content: identity(Array.from({ length: 150 }, (_, i) => `s3:GetObject${i}`)),
          }),
      ),
    () =>
      single(
        (s) =>
          new OrganizationsPolicy(s, 'p', {
            name: 'p',
            type: 'SERVICE_CONTROL_POLICY',
            content: identity(Array.from({ length: 300 }, (_, i) => `s3:GetObject${i}`)),
          }),
      ),
    'more than the 5120 AWS Organizations allows for a SERVICE_CONTROL_POLICY',
  ],
  VPCE_POLICY: [
    () =>
      single(
        (s) => new VpcEndpoint(s, 'e', { vpcId: 'vpc-1', serviceName: 'com.amazonaws.us-east-1.bedrock-runtime', policy: orgPolicy(true) }),
      ),
    () =>
      single(
        (s) =>
          new VpcEndpoint(s, 'e', { vpcId: 'vpc-1', serviceName: 'com.amazonaws.us-east-1.bedrock-runtime', policy: orgPolicy(false) }),
      ),
    'allow without StringEquals aws:PrincipalOrgID',
  ],
  SG_NO_OPEN_INGRESS: [() => single((s) => sg(s, '10.0.0.0/16')), () => single((s) => sg(s, '0.0.0.0/0')), 'ingress from 0.0.0.0/0'],
  MANTLE_UNLOGGED_ALARM: [
    () => mantleStack(true),
    () => mantleStack(false),
    'bedrock-mantle is allowed in this account (no organizationPolicies.loggedInferenceOnly SCP covers it, or allowMantle names it) and its inference is not in these invocation logs, but the stack has no aws_cloudwatch_metric_alarm on AWS/BedrockMantle Inferences',
  ],
};

/** An endpoint policy that admits only the organization, or anyone. */
const orgPolicy = (org: boolean) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'A',
        Effect: 'Allow',
        Principal: '*',
        Action: 'bedrock:InvokeModel',
        Resource: '*',
        ...(org ? { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } } : {}),
      },
    ],
  });
const sg = (s: TerraformStack, cidr: string) =>
  new SecurityGroup(s, 'g', {
    vpcId: 'vpc-1',
    ingress: [
      {
        fromPort: 443,
        toPort: 443,
        protocol: 'tcp',
        cidrBlocks: [cidr],
        ipv6CidrBlocks: [],
        prefixListIds: [],
        securityGroups: [],
        selfAttribute: false,
        description: 'https',
      },
    ],
  });

/** A logging configuration marked as in an account allowed bedrock-mantle, with or without the alarm on it. */
function mantleStack(alarm: boolean): TerraformStack {
  return single((s) => {
    new BedrockModelInvocationLoggingConfiguration(s, 'c', { loggingConfig: { textDataDeliveryEnabled: true } }).addOverride(
      '//.bedrock_mantle',
      'allowed',
    );
    // An alarm on another metric of the namespace does not count.
    new CloudwatchMetricAlarm(s, 'errors', {
      alarmName: 'e',
      namespace: 'AWS/BedrockMantle',
      metricName: 'InferenceClientErrors',
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
    });
    if (alarm)
      new CloudwatchMetricAlarm(s, 'a', {
        alarmName: 'a',
        namespace: 'AWS/BedrockMantle',
        metricName: 'Inferences',
        comparisonOperator: 'GreaterThanThreshold',
        evaluationPeriods: 1,
      });
  });
}

test('every rule lives in its own file, names its standards, and has a fixture pair', () => {
  const files = fs.readdirSync(path.join(__dirname, '..', '..', 'iac-rules', 'rules'));
  expect(files.length).toBe(RULES.length);
  expect(Object.keys(FIXTURES).sort()).toEqual(RULES.map((r) => r.id).sort());
  for (const r of RULES) {
    expect(r.standards.length).toBeGreaterThan(0);
    expect(r.standards.join(' ')).toContain(r.id);
  }
});

test.each(Object.entries(FIXTURES))(
  '%s: the passing fixture passes and the failing one fails with a clear problem',
  (id, [pass, fail, fragment]) => {
    expect(checkStack(pass())).toEqual([]);
    const violations = checkStack(fail());
    expect(violations.map((v) => v.rule.id)).toEqual([id]);
    expect(violations[0].problem).toContain(fragment);
  },
);

test('the rules also fail a resource that is missing its companion (no public access block, no encryption)', () => {
  expect(checkStack(bucketStack({ pab: null })).map((v) => [v.rule.id, v.problem])).toEqual([
    ['CKV2_AWS_6', 'has no aws_s3_bucket_public_access_block'],
  ]);
  expect(checkStack(bucketStack({ sse: null, versioning: null })).map((v) => v.rule.id)).toEqual(['CKV_AWS_145', 'CKV_AWS_21']);
});

test('a suppression needs a known rule that checks the resource type and a written reason, and exempts only that rule on that resource', () => {
  const stack = single((s) => {
    const g = new CloudwatchLogGroup(s, 'g', { name: 'g', retentionInDays: 30 });
    expect(() => suppress(g, 'CKV_AWS_338', 'dev')).toThrow('needs a written reason');
    expect(() => suppress(g, 'CKV_AWS_999', 'a long enough reason for this')).toThrow('names no IaC rule ("CKV_AWS_999")');
    expect(() => suppress(g, 'CKV_AWS_21', 'a long enough reason for this')).toThrow(
      '(aws_cloudwatch_log_group) exempts nothing: the rule checks only aws_s3_bucket',
    );
    suppress(g, 'CKV_AWS_338', 'short retention chosen for a sandbox account');
  });
  expect(checkStack(stack).map((v) => v.rule.id)).toEqual(['CKV_AWS_158']);
});

test('every stack of the example and of a generated landing zone passes; short retention is suppressed with its reason', () => {
  for (const m of [EXAMPLE_MATRIX, generateMatrix(6)]) {
    const app = Testing.app();
    addStacks(app, resolveMatrix(m));
    for (const stack of app.node.children) expect([stack.node.id, checkStack(stack as TerraformStack)]).toEqual([stack.node.id, []]);
  }
  // The example's dev stack keeps 30 days in CloudWatch: exempt from CKV_AWS_338, and only because of that.
  const logGroupSuppressions = (retention: number) => {
    const dev = resolveMatrix(EXAMPLE_MATRIX).stacks.find((s) => s.logging.logRetentionDays < 365)!;
    const stack = new LoggingStack(Testing.app(), { ...dev, logging: { ...dev.logging, logRetentionDays: retention } });
    // The log group's JSON as the validation reads it (template() would drop its "//" block).
    return suppressionsOf(stackResources(stack).find((r) => r.resource.type === 'aws_cloudwatch_log_group')!.resource);
  };
  expect(logGroupSuppressions(30)).toEqual([
    { id: 'CKV_AWS_338', reason: expect.stringContaining('the matrix sets logRetentionDays = 30 for this stack') },
  ]);
  expect(logGroupSuppressions(365)).toEqual([]);
});

describe('suppressions in the synthesized output', () => {
  // The real synth (validations included) of the example; template() would drop the "//" blocks, as cdktf's Testing.synth does.
  const config = resolveMatrix(EXAMPLE_MATRIX);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-suppressions-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  synthesize(config, outdir);
  const output = (stack: string) => JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));

  test('a suppression is written into the resource in cdk.tf.json, and exempts it only from there', () => {
    const dev = config.stacks.find((s) => s.logging.logRetentionDays < 365)!;
    const tf = output(dev.stackName);
    const group = tf.resource.aws_cloudwatch_log_group.invocation_logs;
    // Beside cdktf's own construct metadata, in the "//" block Terraform ignores; cdktf notes the override in the stack's metadata.
    expect(group['//']).toEqual({
      guardrails: { rules_to_suppress: [{ id: 'CKV_AWS_338', reason: expect.stringContaining('logRetentionDays = 30') }] },
      metadata: { path: `${dev.stackName}/cloudwatch/log-group`, uniqueId: 'invocation_logs' },
    });
    // (The logging configuration's override is the bedrock-mantle mark: the example has no loggedInferenceOnly SCP.)
    expect(tf['//'].metadata.overrides).toEqual({
      aws_cloudwatch_log_group: ['//'],
      aws_bedrock_model_invocation_logging_configuration: ['//'],
    });
    expect(group.retention_in_days).toBe(30);
    // The output passes as it is; the same output without the suppression fails that rule, and only it.
    expect(checkResources(resourcesOf(tf))).toEqual([]);
    delete group['//'].guardrails;
    expect(checkResources(resourcesOf(tf)).map((v) => [v.rule.id, v.resource, v.problem])).toEqual([
      ['CKV_AWS_338', 'aws_cloudwatch_log_group.invocation_logs', 'retention_in_days is 30, less than 365'],
    ]);
    // A suppression of another rule exempts nothing else.
    group['//'].guardrails = { rules_to_suppress: [{ id: 'CKV_AWS_158', reason: 'a reason for another rule entirely' }] };
    expect(checkResources(resourcesOf(tf)).map((v) => v.rule.id)).toEqual(['CKV_AWS_338']);
  });

  test('stacks without a suppression carry no suppression metadata and no override but the bedrock-mantle mark', () => {
    const others = config.stacks.filter((s) => s.logging.logRetentionDays >= 365).map((s) => s.stackName);
    expect(others.length).toBeGreaterThan(1);
    // The logging stacks mark their logging configuration: bedrock-mantle is open there (no loggedInferenceOnly SCP in the example).
    const mark = { aws_bedrock_model_invocation_logging_configuration: ['//'] };
    for (const [name, overrides] of [...others.map((n) => [n, mark] as const), [config.management!.stackName, undefined] as const]) {
      const tf = output(name);
      expect([name, JSON.stringify(tf).includes('rules_to_suppress'), tf['//'].metadata.overrides]).toEqual([name, false, overrides]);
    }
  });
});

test('a violation stops the synth with an IacRuleError naming the rule, its standards, the resource and the stack', () => {
  const config = resolveMatrix(EXAMPLE_MATRIX);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-guardrail-'));
  try {
    const app = new App({ outdir });
    addStacks(app, config);
    const stack = app.node.findChild(config.stacks[0].stackName) as TerraformStack;
    const versioning = stack.node
      .findAll()
      .find((c) => (c as Partial<TerraformResource>).terraformResourceType === 'aws_s3_bucket_versioning') as S3BucketVersioningA;
    versioning.addOverride('versioning_configuration.status', 'Suspended');
    let error: unknown;
    try {
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IacRuleError);
    expect((error as Error).message).toBe(
      `IaC rules failed for stack ${config.stacks[0].stackName}: 1 violation\n` +
        '  - CKV_AWS_21 (CKV_AWS_21, Security Hub S3.14) aws_s3_bucket.invocation_logs: has no aws_s3_bucket_versioning with status "Enabled". Rule: S3 buckets have versioning enabled',
    );
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
