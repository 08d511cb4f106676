/**
 * Every policy the project deploys, evaluated by an IAM policy simulator
 * (@cloud-copilot/iam-simulate, AGPL, test-only) with concrete requests.
 *
 * The documents simulated are the synthesized ones (Terraform references replaced
 * by concrete ARNs), and the first test proves each synthesized document is the
 * pure policy function's output with Terraform references in place of values:
 * what is simulated is what is deployed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { anonymousPrincipal, runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { alarmTopicKeyPolicy, alarmTopicPolicy } from '../../policies/alarm-topic-policies';
import { athenaResultsBucketPolicy } from '../../policies/athena-results-policies';
import { budgetAlertsKeyPolicy, budgetAlertsTopicPolicy } from '../../policies/budget-alerts-policies';
import { costExportBucketPolicy, costExportKeyPolicy } from '../../policies/cost-export-policies';
import { deployRolePolicy, deployRoleTrustPolicy } from '../../policies/deploy-role-policies';
import { logGroupArn } from '../../policies/document';
import { logBucketPolicy } from '../../policies/log-bucket-policy';
import { logKeyPolicy } from '../../policies/log-key-policy';
import { loggingRolePolicy, loggingRoleTrustPolicy } from '../../policies/logging-role-policies';
import { protectLoggingScps, tenantTagPolicy } from '../../policies/organization-policies';
import { tenantInvokePolicy } from '../../policies/tenant-invoke-policy';
import { enforceGuardrail } from '../../policies/guardrail-enforcement';
import type { Matrix } from '../../config/schema';
import { dataProtectionPolicy } from '../../stacks/analytics/cloudwatch';
import { addStacks } from '../../stacks/app';
import { deployActions } from '../../lib/resource-types';
import { PROD, problems, resolveMatrix } from '../helpers';
import type { PolicyDocument, PolicyStatement } from '../../review/terraform-json';

const MGMT = '999999999999';
const OTHER = '222222222222';
const REGION = 'us-east-1';
const matrix: Matrix = {
  managementAccountId: MGMT,
  deployment: {
    backend: { type: 'tfc', organization: 'acme-org', project: 'bedrock' },
    bootstrap: { managementAccountRoleName: 'OrgAdmin' },
  },
  organizationPolicies: { protectLoggingScp: { targetIds: ['ou-abcd-11111111'] }, tenantTagPolicy: { targetIds: ['ou-abcd-11111111'] } },
  accounts: [{ id: PROD, name: 'genai-prod', environment: 'prod', regions: [REGION] }],
  models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
  bedrockGuardrails: [
    {
      name: 'standard',
      contentFilters: { hate: 'HIGH', promptAttack: 'HIGH' },
      pii: { EMAIL: 'ANONYMIZE' },
      blockedMessage: 'Sorry, this request is not allowed.',
    },
  ],
  tenants: [
    { id: 'acme', models: ['haiku'], monthlyBudgetUsd: 100, guardrail: 'standard' },
    { id: 'globex', models: ['haiku'], monthlyBudgetUsd: 100 },
  ],
  costExport: {},
};
const config = resolveMatrix(matrix);
const [stack] = config.stacks;
const mgmt = config.management!;
const target = { partition: 'aws', region: REGION, accountId: PROD };

/** Every stack of the app, synthesized: stack name -> cdk.tf.json. */
const synthesized: Record<string, { resource?: Record<string, Record<string, Record<string, unknown>>> }> = (() => {
  const app = Testing.app();
  addStacks(app, config);
  return Object.fromEntries(app.node.children.map((s) => [s.node.id, JSON.parse(Testing.synth(s as TerraformStack))]));
})();

/** Concrete values for the Terraform references in policies (they exist only after apply). */
const PROFILE_ARN = (tenant: string) => `arn:aws:${'bedrock'}:${REGION}:${PROD}:application-inference-profile/${tenant}0example`;
const TOPIC_ARN = `arn:aws:sns:us-east-1:${MGMT}:bedrock-budget-alerts`;
const ALARM_TOPIC_ARN = `arn:aws:sns:${REGION}:${PROD}:bedrock-alarms`;
/** The applied guardrail of acme, at version 3 (guardrail IDs are 12 lower-case characters). */
const GUARDRAIL_ARN = `arn:aws:bedrock:${REGION}:${PROD}:guardrail/standard0001`;
const GUARDRAIL_VERSION = '3';
const concrete = (text: string) =>
  text
    .replace(/\$\{aws_bedrock_guardrail\.guardrail_standard\.guardrail_arn\}/g, GUARDRAIL_ARN)
    .replace(/\$\{aws_bedrock_guardrail_version\.guardrail_standard\.version\}/g, GUARDRAIL_VERSION)
    .replace(/\$\{aws_bedrock_inference_profile\.([a-z0-9-]+)__[a-z0-9_]+\.arn\}/g, (_, t) => PROFILE_ARN(t))
    .replaceAll('${aws_sns_topic.budget_alerts.arn}', TOPIC_ARN)
    .replaceAll('${aws_sns_topic.alarms.arn}', ALARM_TOPIC_ARN);

/** The stack kind (logging, management, bootstrap), the address (tenant names as <tenant>) and the field of a policy document: a row of docs/policy-simulation.md. */
const docRow = (stackName: string, type: string, name: string, field: string) =>
  `${stackName.split('-')[1]} ${type}.${name.replace(/^invoke_.+$/, 'invoke_<tenant>')} ${field}`;
/** The concrete documents handed out by deployed(), and the rows of those decide() was given: what this file really simulates. */
const handedOut = new WeakMap<object, string>();
const simulated = new Set<string>();

/** A policy field of a synthesized resource, parsed, with or without concrete values. */
function deployed(stackName: string, type: string, name: string, field = 'policy', values = true): PolicyDocument {
  const text = String(synthesized[stackName].resource![type][name][field]);
  const doc = JSON.parse(values ? concrete(text) : text);
  if (values) handedOut.set(doc, docRow(stackName, type, name, field));
  return doc;
}

const bootstrap = config.bootstraps.find((b) => b.accountId === PROD)!;
const mgmtBootstrap = config.bootstraps.find((b) => b.accountId === MGMT)!;
const ref = (logicalId: string) => `\${aws_bedrock_inference_profile.${logicalId}.arn}`;
/** What the stacks' tenant policies accept for a guardrail, as the synthesized references read. */
const guardrailRef = (g: { logicalId: string; versions: { logicalId: string }[] }) => {
  const arn = `\${aws_bedrock_guardrail.${g.logicalId}.guardrail_arn}`;
  return { arn, versionedArns: g.versions.map((v) => `${arn}:\${aws_bedrock_guardrail_version.${v.logicalId}.version}`) };
};
const own = (tenant: string) => stack.profiles.filter((p) => p.tenant === tenant);

/** [stack, type, name, field, the pure function's output with Terraform references] */
const POLICIES: [string, string, string, string, unknown][] = [
  [
    stack.stackName,
    'aws_s3_bucket_policy',
    'invocation_logs',
    'policy',
    logBucketPolicy({ target, bucketName: stack.names.bucket, prefixes: ['invocation-logs', 'large-data'] }),
  ],
  [stack.stackName, 'aws_kms_key', 'invocation_logs', 'policy', logKeyPolicy({ target, logGroupName: stack.names.logGroup })],
  [
    stack.stackName,
    'aws_s3_bucket_policy',
    'athena_results',
    'policy',
    athenaResultsBucketPolicy({ partition: 'aws', bucketName: stack.names.athenaResultsBucket }),
  ],
  [stack.stackName, 'aws_iam_role', 'invocation_logging', 'assume_role_policy', loggingRoleTrustPolicy(target)],
  [
    stack.stackName,
    'aws_iam_role_policy',
    'invocation_logging',
    'policy',
    loggingRolePolicy({ target, logGroupName: stack.names.logGroup }),
  ],
  ...['acme', 'globex'].map((t): [string, string, string, string, unknown] => [
    stack.stackName,
    'aws_iam_policy',
    `invoke_${t}`,
    'policy',
    ((base) =>
      t === 'acme'
        ? enforceGuardrail(
            base,
            guardrailRef(stack.bedrockGuardrails[0]),
            own(t).map((p) => ref(p.logicalId)),
          )
        : base)(
      tenantInvokePolicy({ profileArns: own(t).map((p) => ref(p.logicalId)), underlyingArns: own(t).flatMap((p) => p.underlyingArns) }),
    ),
  ]),
  [stack.stackName, 'aws_kms_key', 'alarms', 'policy', alarmTopicKeyPolicy(target)],
  [stack.stackName, 'aws_sns_topic_policy', 'alarms', 'policy', alarmTopicPolicy({ target, topicArn: '${aws_sns_topic.alarms.arn}' })],
  // Not an IAM policy (nothing to simulate), but a policy document all the same.
  [
    stack.stackName,
    'aws_cloudwatch_log_data_protection_policy',
    'invocation_logs',
    'policy_document',
    dataProtectionPolicy('aws', ['EmailAddress']),
  ],
  // With costExport, the export's freshness alarm publishes to the budget-alert topic too.
  [mgmt.stackName, 'aws_kms_key', 'budget_alerts', 'policy', budgetAlertsKeyPolicy(MGMT, { costExportAlarm: true })],
  [
    mgmt.stackName,
    'aws_sns_topic_policy',
    'budget_alerts',
    'policy',
    budgetAlertsTopicPolicy({ accountId: MGMT, topicArn: '${aws_sns_topic.budget_alerts.arn}', costExportAlarm: true }),
  ],
  [
    mgmt.stackName,
    'aws_s3_bucket_policy',
    'cost_export',
    'policy',
    costExportBucketPolicy({ accountId: MGMT, bucketName: `bedrock-cost-export-${MGMT}`, s3Prefix: 'cur2' }),
  ],
  [mgmt.stackName, 'aws_kms_key', 'cost_export', 'policy', costExportKeyPolicy(MGMT)],
  ...protectLoggingScps({
    chain: mgmt.chain,
    deployRoleName: mgmt.deployRoleName,
    bootstrapAdminRoleName: mgmt.bootstrapAdminRoleName,
  }).map((doc, i): [string, string, string, string, unknown] => [
    mgmt.stackName,
    'aws_organizations_policy',
    ['protect_logging', 'protect_logging_chain'][i],
    'content',
    doc,
  ]),
  [
    mgmt.stackName,
    'aws_organizations_policy',
    'tenant_tag',
    'content',
    tenantTagPolicy({ tagKey: 'tenant', enforcedFor: ['bedrock:application-inference-profile'] }),
  ],
  ...[bootstrap, mgmtBootstrap].flatMap((b): [string, string, string, string, unknown][] => [
    [
      b.stackName,
      'aws_iam_role',
      'deploy',
      'assume_role_policy',
      deployRoleTrustPolicy({ partition: b.partition, accountId: b.accountId, oidc: b.oidc, trustedPrincipalArns: b.trustedPrincipalArns }),
    ],
    [
      b.stackName,
      'aws_iam_role_policy',
      'deploy',
      'policy',
      deployRolePolicy({ partition: b.partition, accountId: b.accountId, ...b.scope }, deployActions),
    ],
  ]),
];

/** A JSON policy document: IAM-style (Statement) or an Organizations tag policy (tags). */
function isPolicyDocument(v: unknown): boolean {
  if (typeof v !== 'string' || !/^\s*\{/.test(v)) return false;
  try {
    const doc = JSON.parse(v);
    return 'Statement' in doc || 'tags' in doc;
  } catch {
    return false; // e.g. a metric filter pattern
  }
}

test('each synthesized policy is the pure function output, with Terraform references in place of values, and none is left out', () => {
  for (const [s, type, name, field, expected] of POLICIES)
    expect([s, type, name, deployed(s, type, name, field, false)]).toEqual([s, type, name, expected]);
  // Every policy document in every stack is in the table above.
  const found: string[] = [];
  for (const [s, tf] of Object.entries(synthesized))
    for (const [type, resources] of Object.entries(tf.resource ?? {}))
      for (const [name, r] of Object.entries(resources))
        for (const [field, v] of Object.entries(r)) if (isPolicyDocument(v)) found.push(`${s} ${type}.${name}.${field}`);
  expect(found.sort()).toEqual(POLICIES.map(([s, type, name, field]) => `${s} ${type}.${name}.${field}`).sort());
});

type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
interface Request {
  principal: string | typeof anonymousPrincipal;
  action: string;
  resource: string;
  /** The account that owns the resource. */
  account?: string;
  context?: Record<string, string | string[]>;
  identity?: object[];
  resourcePolicy?: object;
  scps?: object[];
}

/** Simulates one request; fails on a simulator error and on any context key it ignored. */
async function decide(r: Request): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: r.principal,
      action: r.action,
      resource: { resource: r.resource, accountId: r.account ?? PROD },
      contextVariables: r.context ?? {},
    },
    identityPolicies: (r.identity ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: r.scps
      ? [{ orgIdentifier: 'ou-abcd-11111111', policies: r.scps.map((policy, i) => ({ name: `scp-${i}`, policy })) }]
      : [],
    resourceControlPolicies: [],
    resourcePolicy: r.resourcePolicy,
  };
  for (const doc of [...(r.identity ?? []), r.resourcePolicy, ...(r.scps ?? [])])
    if (doc && handedOut.has(doc)) simulated.add(handedOut.get(doc)!);
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  const results = result.resultType === 'single' ? [result.result] : result.results;
  expect(results.length).toBeGreaterThan(0);
  for (const x of results) expect({ action: r.action, ignored: x.ignoredContextKeys }).toEqual({ action: r.action, ignored: [] });
  return result.overallResult as Decision;
}

const allow = (Action: string | string[], Resource: string | string[] = '*') => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action, Resource }],
});
const TLS = { 'aws:SecureTransport': 'true' };
const BEDROCK_CONTEXT = {
  'aws:SourceAccount': PROD,
  'aws:SourceArn': `arn:aws:bedrock:${REGION}:${PROD}:model-invocation-logging`,
  ...TLS,
};

describe('invocation-log bucket policy', () => {
  const policy = deployed(stack.stackName, 'aws_s3_bucket_policy', 'invocation_logs');
  const bucket = `arn:aws:s3:::${stack.names.bucket}`;
  const logKey = `${bucket}/invocation-logs/AWSLogs/${PROD}/BedrockModelInvocationLogs/${REGION}/2026/11/23/10/log.json.gz`;
  const bedrock = (over: Partial<Request> = {}) =>
    decide({
      principal: 'bedrock.amazonaws.com',
      action: 's3:PutObject',
      resource: logKey,
      context: BEDROCK_CONTEXT,
      resourcePolicy: policy,
      ...over,
    });

  test('Bedrock writing a log object for this account and region is allowed', async () => {
    expect(await bedrock()).toBe('Allowed');
    expect(await bedrock({ resource: `${bucket}/large-data/AWSLogs/${PROD}/BedrockModelInvocationLogs/${REGION}/image.png` })).toBe(
      'Allowed',
    );
  });

  test('a foreign source account or ARN, missing context or another region is denied', async () => {
    expect(await bedrock({ context: { ...BEDROCK_CONTEXT, 'aws:SourceAccount': OTHER } })).toBe('ImplicitlyDenied');
    expect(
      await bedrock({ context: { ...BEDROCK_CONTEXT, 'aws:SourceArn': `arn:aws:bedrock:${REGION}:${OTHER}:model-invocation-logging` } }),
    ).toBe('ImplicitlyDenied');
    expect(await bedrock({ context: TLS })).toBe('ImplicitlyDenied');
    expect(await bedrock({ context: { ...TLS, 'aws:SourceAccount': PROD } })).toBe('ImplicitlyDenied');
    expect(
      await bedrock({ context: { ...BEDROCK_CONTEXT, 'aws:SourceArn': `arn:aws:bedrock:eu-west-1:${PROD}:model-invocation-logging` } }),
    ).toBe('ImplicitlyDenied');
  });

  test('an object outside the log prefix, and any action but PutObject, is denied', async () => {
    expect(await bedrock({ resource: `${bucket}/other/AWSLogs/${PROD}/BedrockModelInvocationLogs/x.json.gz` })).toBe('ImplicitlyDenied');
    expect(await bedrock({ resource: `${bucket}/invocation-logs/AWSLogs/${OTHER}/BedrockModelInvocationLogs/x.json.gz` })).toBe(
      'ImplicitlyDenied',
    );
    expect(await bedrock({ resource: `${bucket}/x.json.gz` })).toBe('ImplicitlyDenied');
    for (const action of ['s3:GetObject', 's3:DeleteObject', 's3:PutObjectAcl']) expect(await bedrock({ action })).toBe('ImplicitlyDenied');
    expect(await bedrock({ action: 's3:ListBucket', resource: bucket })).toBe('ImplicitlyDenied');
  });

  test('plain HTTP is explicitly denied, even to an administrator of the account', async () => {
    const admin = { principal: `arn:aws:iam::${PROD}:role/Admin`, identity: [allow('s3:*')], resourcePolicy: policy };
    expect(await decide({ ...admin, action: 's3:GetObject', resource: logKey, context: TLS })).toBe('Allowed');
    expect(await decide({ ...admin, action: 's3:GetObject', resource: logKey, context: { 'aws:SecureTransport': 'false' } })).toBe(
      'ExplicitlyDenied',
    );
    expect(await bedrock({ context: { ...BEDROCK_CONTEXT, 'aws:SecureTransport': 'false' } })).toBe('ExplicitlyDenied');
  });

  test('anonymous and cross-account reads are denied', async () => {
    expect(
      await decide({ principal: anonymousPrincipal, action: 's3:GetObject', resource: logKey, context: TLS, resourcePolicy: policy }),
    ).toBe('ImplicitlyDenied');
    const foreign = { principal: `arn:aws:iam::${OTHER}:role/Reader`, identity: [allow('s3:*')], resourcePolicy: policy, context: TLS };
    expect(await decide({ ...foreign, action: 's3:GetObject', resource: logKey })).toBe('ImplicitlyDenied');
    expect(await decide({ ...foreign, action: 's3:ListBucket', resource: bucket })).toBe('ImplicitlyDenied');
  });
});

describe('Athena query-result bucket policy', () => {
  const policy = deployed(stack.stackName, 'aws_s3_bucket_policy', 'athena_results');
  const bucket = `arn:aws:s3:::${stack.names.athenaResultsBucket}`;
  const result = `${bucket}/Unsaved/2026/12/04/0a1b2c3d-1234-5678-9abc-def012345678.csv`;
  const analyst = `arn:aws:iam::${PROD}:role/Analyst`;
  const read = (over: Partial<Request> = {}) =>
    decide({
      principal: analyst,
      identity: [allow(['s3:GetObject', 's3:PutObject'])],
      action: 's3:GetObject',
      resource: result,
      context: TLS,
      resourcePolicy: policy,
      ...over,
    });

  test("grants nothing itself: principals of the account with an IAM grant read and write results over TLS (Athena uses the caller's credentials)", async () => {
    expect(await read()).toBe('Allowed');
    expect(await read({ action: 's3:PutObject' })).toBe('Allowed');
    expect(await read({ identity: [] })).toBe('ImplicitlyDenied');
  });

  test('plain HTTP is explicitly denied; anonymous and cross-account reads are denied', async () => {
    expect(await read({ context: { 'aws:SecureTransport': 'false' } })).toBe('ExplicitlyDenied');
    expect(await read({ principal: anonymousPrincipal, identity: [] })).toBe('ImplicitlyDenied');
    expect(await read({ principal: `arn:aws:iam::${OTHER}:role/Reader` })).toBe('ImplicitlyDenied');
  });
});

describe('cost-export bucket and key policies (CUR 2.0 delivery)', () => {
  const policy = deployed(mgmt.stackName, 'aws_s3_bucket_policy', 'cost_export');
  const keyPolicy = deployed(mgmt.stackName, 'aws_kms_key', 'cost_export');
  const bucket = `arn:aws:s3:::bedrock-cost-export-${MGMT}`;
  const object = `${bucket}/cur2/bedrock-cost/data/BILLING_PERIOD=2026-11/bedrock-cost-00001.snappy.parquet`;
  const key = `arn:aws:kms:us-east-1:${MGMT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const EXPORT_CONTEXT = {
    'aws:SourceAccount': MGMT,
    'aws:SourceArn': `arn:aws:bcm-data-exports:us-east-1:${MGMT}:export/bedrock-cost-0a1b2c`,
    ...TLS,
  };
  const service = (principal: string, over: Partial<Request> = {}) =>
    decide({
      principal,
      action: 's3:PutObject',
      resource: object,
      account: MGMT,
      context: EXPORT_CONTEXT,
      resourcePolicy: policy,
      ...over,
    });

  test("both Data Exports principals may deliver and check the policy, for this account's exports", async () => {
    for (const p of ['bcm-data-exports.amazonaws.com', 'billingreports.amazonaws.com']) {
      expect(await service(p)).toBe('Allowed');
      expect(await service(p, { action: 's3:GetBucketPolicy', resource: bucket })).toBe('Allowed');
    }
    expect(
      await service('billingreports.amazonaws.com', {
        context: { ...EXPORT_CONTEXT, 'aws:SourceArn': `arn:aws:cur:us-east-1:${MGMT}:definition/abc` },
      }),
    ).toBe('Allowed');
  });

  test("another account's export, another region, another service or missing context is denied", async () => {
    expect(await service('bcm-data-exports.amazonaws.com', { context: { ...EXPORT_CONTEXT, 'aws:SourceAccount': OTHER } })).toBe(
      'ImplicitlyDenied',
    );
    expect(
      await service('bcm-data-exports.amazonaws.com', {
        context: { ...EXPORT_CONTEXT, 'aws:SourceArn': `arn:aws:bcm-data-exports:us-east-1:${OTHER}:export/x` },
      }),
    ).toBe('ImplicitlyDenied');
    expect(
      await service('bcm-data-exports.amazonaws.com', {
        context: { ...EXPORT_CONTEXT, 'aws:SourceArn': `arn:aws:bcm-data-exports:eu-west-1:${MGMT}:export/x` },
      }),
    ).toBe('ImplicitlyDenied');
    expect(await service('bcm-data-exports.amazonaws.com', { context: TLS })).toBe('ImplicitlyDenied');
    expect(await service('bedrock.amazonaws.com')).toBe('ImplicitlyDenied');
    for (const action of ['s3:GetObject', 's3:DeleteObject', 's3:PutObjectAcl'])
      expect(await service('bcm-data-exports.amazonaws.com', { action })).toBe('ImplicitlyDenied');
  });

  test('plain HTTP is explicitly denied; anonymous and cross-account reads are denied', async () => {
    expect(await service('bcm-data-exports.amazonaws.com', { context: { ...EXPORT_CONTEXT, 'aws:SecureTransport': 'false' } })).toBe(
      'ExplicitlyDenied',
    );
    expect(
      await decide({
        principal: anonymousPrincipal,
        action: 's3:GetObject',
        resource: object,
        account: MGMT,
        context: TLS,
        resourcePolicy: policy,
      }),
    ).toBe('ImplicitlyDenied');
    expect(
      await decide({
        principal: `arn:aws:iam::${OTHER}:role/Reader`,
        identity: [allow('s3:*')],
        action: 's3:GetObject',
        resource: object,
        account: MGMT,
        context: TLS,
        resourcePolicy: policy,
      }),
    ).toBe('ImplicitlyDenied');
  });

  test("the key: Data Exports may generate data keys for this account's exports only; nothing else", async () => {
    const kms = (over: Partial<Request>) =>
      decide({
        principal: 'bcm-data-exports.amazonaws.com',
        action: 'kms:GenerateDataKey',
        resource: key,
        account: MGMT,
        context: EXPORT_CONTEXT,
        resourcePolicy: keyPolicy,
        ...over,
      });
    expect(await kms({})).toBe('Allowed');
    expect(await kms({ context: { ...EXPORT_CONTEXT, 'aws:SourceAccount': OTHER } })).toBe('ImplicitlyDenied');
    for (const action of ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:CreateGrant'])
      expect(await kms({ action })).toBe('ImplicitlyDenied');
  });
});

describe('invocation-log key policy', () => {
  const policy = deployed(stack.stackName, 'aws_kms_key', 'invocation_logs');
  const key = `arn:aws:kms:${REGION}:${PROD}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const bedrock = (over: Partial<Request> = {}) =>
    decide({
      principal: 'bedrock.amazonaws.com',
      action: 'kms:GenerateDataKey',
      resource: key,
      context: BEDROCK_CONTEXT,
      resourcePolicy: policy,
      ...over,
    });

  test('Bedrock may generate data keys for this account and region only', async () => {
    expect(await bedrock()).toBe('Allowed');
    expect(await bedrock({ context: { ...BEDROCK_CONTEXT, 'aws:SourceAccount': OTHER } })).toBe('ImplicitlyDenied');
    expect(await bedrock({ context: { ...BEDROCK_CONTEXT, 'aws:SourceArn': `arn:aws:bedrock:eu-west-1:${PROD}:x` } })).toBe(
      'ImplicitlyDenied',
    );
    expect(await bedrock({ context: TLS })).toBe('ImplicitlyDenied');
  });

  test('Bedrock calling kms:Decrypt, or anything but GenerateDataKey, is denied', async () => {
    for (const action of ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncryptFrom', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy'])
      expect(await bedrock({ action })).toBe('ImplicitlyDenied');
  });

  test('principals of the account need an IAM grant (the root administers the key); other accounts are denied', async () => {
    expect(
      await decide({
        principal: `arn:aws:iam::${PROD}:role/Admin`,
        identity: [allow('kms:Decrypt')],
        action: 'kms:Decrypt',
        resource: key,
        resourcePolicy: policy,
      }),
    ).toBe('Allowed');
    expect(await decide({ principal: `arn:aws:iam::${PROD}:role/App`, action: 'kms:Decrypt', resource: key, resourcePolicy: policy })).toBe(
      'ImplicitlyDenied',
    );
    expect(
      await decide({
        principal: `arn:aws:iam::${OTHER}:role/Admin`,
        identity: [allow('kms:*')],
        action: 'kms:Decrypt',
        resource: key,
        resourcePolicy: policy,
      }),
    ).toBe('ImplicitlyDenied');
  });

  test('CloudWatch Logs may use the key only for the invocation log group (checked statically)', async () => {
    // The simulator drops kms:EncryptionContext:* keys, so this condition cannot be simulated: check it exactly.
    const logs = policy.Statement.find(
      (s: PolicyStatement) => typeof s.Principal === 'object' && s.Principal.Service === `logs.${REGION}.amazonaws.com`,
    )!;
    expect(logs.Condition).toEqual({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn(target, stack.names.logGroup) } });
    expect(logs.Condition!.ArnLike['kms:EncryptionContext:aws:logs:arn']).not.toContain('*');
    // The reason: given that key, the simulator reports it ignored.
    const arn = logGroupArn(target, stack.names.logGroup);
    const r = await runSimulation(
      {
        request: {
          principal: `logs.${REGION}.amazonaws.com`,
          action: 'kms:Encrypt',
          resource: { resource: key, accountId: PROD },
          contextVariables: { 'kms:EncryptionContext:aws:logs:arn': arn },
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: policy,
      },
      {},
    );
    expect(r.resultType === 'single' && r.result.ignoredContextKeys).toEqual(['kms:EncryptionContext:aws:logs:arn']);
    // Without its encryption context the Logs service gets nothing.
    expect(await decide({ principal: `logs.${REGION}.amazonaws.com`, action: 'kms:Encrypt', resource: key, resourcePolicy: policy })).toBe(
      'ImplicitlyDenied',
    );
    expect(await decide({ principal: 'logs.eu-west-1.amazonaws.com', action: 'kms:Encrypt', resource: key, resourcePolicy: policy })).toBe(
      'ImplicitlyDenied',
    );
  });
});

describe('the role Bedrock uses to write to CloudWatch Logs', () => {
  const trust = deployed(stack.stackName, 'aws_iam_role', 'invocation_logging', 'assume_role_policy');
  const rolePolicy = deployed(stack.stackName, 'aws_iam_role_policy', 'invocation_logging');
  const role = `arn:aws:iam::${PROD}:role/${stack.names.role}`;
  const assume = (principal: string, context: Record<string, string>) =>
    decide({ principal, action: 'sts:AssumeRole', resource: role, context, resourcePolicy: trust });

  test('Bedrock of this account and region may assume it; ec2.amazonaws.com and foreign sources may not', async () => {
    expect(await assume('bedrock.amazonaws.com', BEDROCK_CONTEXT)).toBe('Allowed');
    expect(
      await assume('ec2.amazonaws.com', { 'aws:SourceAccount': PROD, 'aws:SourceArn': `arn:aws:ec2:${REGION}:${PROD}:instance/i-1` }),
    ).toBe('ImplicitlyDenied');
    expect(await assume('bedrock.amazonaws.com', { ...BEDROCK_CONTEXT, 'aws:SourceAccount': OTHER })).toBe('ImplicitlyDenied');
    expect(await assume('bedrock.amazonaws.com', {})).toBe('ImplicitlyDenied');
    expect(await assume(`arn:aws:iam::${PROD}:role/Admin`, {})).toBe('ImplicitlyDenied');
  });

  const stream = `${logGroupArn(target, stack.names.logGroup)}:log-stream:aws/bedrock/modelinvocations`;
  const write = (action: string, resource: string) => decide({ principal: role, action, resource, identity: [rolePolicy] });

  test('it may write the invocation log stream and nothing else', async () => {
    expect(await write('logs:PutLogEvents', stream)).toBe('Allowed');
    expect(await write('logs:CreateLogStream', stream)).toBe('Allowed');
    expect(await write('logs:PutLogEvents', `${logGroupArn(target, '/aws/lambda/payments')}:log-stream:aws/bedrock/modelinvocations`)).toBe(
      'ImplicitlyDenied',
    );
    expect(await write('logs:PutLogEvents', `${logGroupArn(target, stack.names.logGroup)}:log-stream:other`)).toBe('ImplicitlyDenied');
    expect(await write('logs:DeleteLogGroup', logGroupArn(target, stack.names.logGroup))).toBe('ImplicitlyDenied');
    expect(await write('logs:PutRetentionPolicy', logGroupArn(target, stack.names.logGroup))).toBe('ImplicitlyDenied');
  });
});

const WITH_GUARDRAIL = { 'bedrock:GuardrailIdentifier': `${GUARDRAIL_ARN}:${GUARDRAIL_VERSION}` };

describe('tenant invoke policies', () => {
  const policy = (t: string) => deployed(stack.stackName, 'aws_iam_policy', `invoke_${t}`);
  // acme's policy requires its guardrail (see the guardrail enforcement tests below).
  const invoke = (t: string, resource: string, action = 'bedrock:InvokeModel') =>
    decide({
      principal: `arn:aws:iam::${PROD}:role/${t}-app`,
      action,
      resource,
      identity: [policy(t)],
      context: t === 'acme' ? WITH_GUARDRAIL : {},
    });

  test("a tenant may invoke its own profile, and tenant A may not invoke tenant B's", async () => {
    expect(await invoke('acme', PROFILE_ARN('acme'))).toBe('Allowed');
    expect(await invoke('acme', PROFILE_ARN('acme'), 'bedrock:InvokeModelWithResponseStream')).toBe('Allowed');
    expect(await invoke('globex', PROFILE_ARN('globex'))).toBe('Allowed');
    expect(await invoke('acme', PROFILE_ARN('globex'))).toBe('ImplicitlyDenied');
    expect(await invoke('globex', PROFILE_ARN('acme'))).toBe('ImplicitlyDenied');
  });

  // Converse is authorized as bedrock:InvokeModel and ConverseStream as bedrock:InvokeModelWithResponseStream
  // (Bedrock API reference, Converse / ConverseStream: "This operation requires permission for the ... action").
  const OPERATIONS: [string, string][] = [
    ['InvokeModel', 'bedrock:InvokeModel'],
    ['InvokeModelWithResponseStream', 'bedrock:InvokeModelWithResponseStream'],
    ['Converse', 'bedrock:InvokeModel'],
    ['ConverseStream', 'bedrock:InvokeModelWithResponseStream'],
  ];
  const FOUNDATION_MODEL = `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`;
  /** The authorization of the model behind a profile: Bedrock sets bedrock:InferenceProfileArn to the profile called, or none. */
  const model = (t: string, action: string, via?: string) =>
    decide({
      principal: `arn:aws:iam::${PROD}:role/${t}-app`,
      action,
      resource: FOUNDATION_MODEL,
      identity: [policy(t)],
      context: { ...(t === 'acme' ? WITH_GUARDRAIL : {}), ...(via ? { 'bedrock:InferenceProfileArn': via } : {}) },
    });

  test.each(OPERATIONS)(
    "%s: a direct foundation-model call is denied, through the own profile allowed, through another tenant's profile denied",
    async (_op, action) => {
      expect(await model('acme', action)).toBe('ImplicitlyDenied');
      expect(await invoke('acme', PROFILE_ARN('acme'), action)).toBe('Allowed');
      expect(await model('acme', action, PROFILE_ARN('acme'))).toBe('Allowed');
      expect(await invoke('acme', PROFILE_ARN('globex'), action)).toBe('ImplicitlyDenied');
      expect(await model('acme', action, PROFILE_ARN('globex'))).toBe('ImplicitlyDenied');
      expect(await model('globex', action)).toBe('ImplicitlyDenied');
      expect(await model('globex', action, PROFILE_ARN('globex'))).toBe('Allowed');
    },
  );

  test("the underlying-model grant names exactly the tenant's own profiles in its condition (and acme's also its guardrail)", () => {
    const s = policy('globex').Statement.find((x: PolicyStatement) => x.Sid === 'InvokeModelsBehindOwnProfiles')!;
    expect(s.Condition).toEqual({ ArnEquals: { 'bedrock:InferenceProfileArn': own('globex').map((p) => PROFILE_ARN(p.tenant)) } });
    const a = policy('acme').Statement.find((x: PolicyStatement) => x.Sid === 'InvokeModelsBehindOwnProfiles')!;
    expect(a.Condition).toEqual({
      ArnEquals: { 'bedrock:InferenceProfileArn': own('acme').map((p) => PROFILE_ARN(p.tenant)) },
      StringEquals: { 'bedrock:GuardrailIdentifier': [`${GUARDRAIL_ARN}:${GUARDRAIL_VERSION}`] },
    });
  });

  test('a profile over a system cross-region profile: the system profile and the models it routes to only through the own profile', async () => {
    const own = `arn:aws:bedrock:${REGION}:${PROD}:application-inference-profile/zed0example`;
    const other = `arn:aws:bedrock:${REGION}:${PROD}:application-inference-profile/other0example`;
    const system = `arn:aws:bedrock:${REGION}:${PROD}:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0`;
    const doc = tenantInvokePolicy({
      profileArns: [own],
      underlyingArns: [system, 'arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0'],
    });
    const call = (resource: string, action: string, via?: string) =>
      decide({
        principal: `arn:aws:iam::${PROD}:role/zed-app`,
        action,
        resource,
        identity: [doc],
        context: via ? { 'bedrock:InferenceProfileArn': via } : {},
      });
    const routed = 'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0';
    for (const [, action] of OPERATIONS) {
      expect(await call(system, action)).toBe('ImplicitlyDenied'); // the system profile called directly
      expect(await call(routed, action)).toBe('ImplicitlyDenied');
      expect(await call(system, action, own)).toBe('Allowed');
      expect(await call(routed, action, own)).toBe('Allowed'); // another region of the geography
      expect(await call(system, action, other)).toBe('ImplicitlyDenied');
    }
  });

  test('nothing beyond invoking: no profile management', async () => {
    for (const action of ['bedrock:DeleteInferenceProfile', 'bedrock:TagResource'])
      expect(
        await decide({
          principal: `arn:aws:iam::${PROD}:role/acme-app`,
          action,
          resource: PROFILE_ARN('acme'),
          identity: [policy('acme')],
        }),
      ).toBe('ImplicitlyDenied');
  });
});

describe('Bedrock guardrail enforcement (acme uses guardrail "standard", globex none)', () => {
  const policy = (t: string) => deployed(stack.stackName, 'aws_iam_policy', `invoke_${t}`);
  const MODEL = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0';
  /** InvokeModel, InvokeModelWithResponseStream, and Converse / ConverseStream (authorized as the same two actions). */
  const ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
  /** A call of `resource`; for the model behind a profile, Bedrock sets bedrock:InferenceProfileArn to the tenant's profile. */
  const call = (t: string, action: string, resource: string, guardrail?: string, extra: object[] = []) =>
    decide({
      principal: `arn:aws:iam::${PROD}:role/${t}-app`,
      action,
      resource,
      identity: [policy(t), ...extra],
      context: {
        ...(guardrail === undefined ? {} : { 'bedrock:GuardrailIdentifier': guardrail }),
        ...(resource === MODEL ? { 'bedrock:InferenceProfileArn': PROFILE_ARN(t) } : {}),
      },
    });

  test("the policy is the AWS pattern scoped to the tenant's own profiles: StringEquals on every invoke Allow, StringNotEquals Denies on its profiles and what they reach", () => {
    const p = policy('acme');
    const accepted = { 'bedrock:GuardrailIdentifier': [`${GUARDRAIL_ARN}:${GUARDRAIL_VERSION}`] };
    const allows = p.Statement.filter((s: PolicyStatement) => s.Effect === 'Allow' && [s.Action].flat().includes('bedrock:InvokeModel'));
    expect(allows.length).toBeGreaterThan(0);
    for (const s of allows) expect(s.Condition!.StringEquals).toEqual(expect.objectContaining(accepted));
    expect(p.Statement.filter((s: PolicyStatement) => s.Effect === 'Deny')).toEqual([
      {
        Sid: 'DenyOwnProfilesWithoutTenantGuardrail',
        Effect: 'Deny',
        Action: ACTIONS,
        Resource: [PROFILE_ARN('acme')],
        Condition: { StringNotEquals: accepted },
      },
      {
        Sid: 'DenyInvokeThroughOwnProfilesWithoutTenantGuardrail',
        Effect: 'Deny',
        Action: ACTIONS,
        Resource: '*',
        Condition: { ArnEquals: { 'bedrock:InferenceProfileArn': [PROFILE_ARN('acme')] }, StringNotEquals: accepted },
      },
      {
        Sid: 'DenyInvokeWithoutGuardrail',
        Effect: 'Deny',
        Action: ACTIONS,
        Resource: '*',
        Condition: { Null: { 'bedrock:GuardrailIdentifier': 'true' } },
      },
    ]);
  });

  test('with the right guardrail and version: allowed, through the profile and to the model behind it', async () => {
    for (const action of ACTIONS) {
      expect(await call('acme', action, PROFILE_ARN('acme'), `${GUARDRAIL_ARN}:${GUARDRAIL_VERSION}`)).toBe('Allowed');
      expect(await call('acme', action, MODEL, `${GUARDRAIL_ARN}:${GUARDRAIL_VERSION}`)).toBe('Allowed');
    }
    expect(
      await decide({
        principal: `arn:aws:iam::${PROD}:role/acme-app`,
        action: 'bedrock:ApplyGuardrail',
        resource: GUARDRAIL_ARN,
        identity: [policy('acme')],
      }),
    ).toBe('Allowed');
  });

  test('the profile-only rule still holds with the right guardrail: the model called directly is denied', async () => {
    for (const action of ACTIONS)
      expect(
        await decide({
          principal: `arn:aws:iam::${PROD}:role/acme-app`,
          action,
          resource: MODEL,
          identity: [policy('acme')],
          context: { 'bedrock:GuardrailIdentifier': `${GUARDRAIL_ARN}:${GUARDRAIL_VERSION}` },
        }),
      ).toBe('ImplicitlyDenied');
  });

  test('without a guardrail: explicitly denied, even when another policy allows bedrock:*', async () => {
    for (const action of ACTIONS) {
      expect(await call('acme', action, PROFILE_ARN('acme'))).toBe('ExplicitlyDenied');
      expect(await call('acme', action, MODEL)).toBe('ExplicitlyDenied');
      expect(await call('acme', action, PROFILE_ARN('acme'), undefined, [allow('bedrock:*')])).toBe('ExplicitlyDenied');
    }
  });

  test('with another guardrail, an old version or the DRAFT: explicitly denied', async () => {
    const other = `arn:aws:bedrock:${REGION}:${PROD}:guardrail/permissive001`;
    for (const action of ACTIONS) {
      expect(await call('acme', action, PROFILE_ARN('acme'), `${other}:1`)).toBe('ExplicitlyDenied');
      expect(await call('acme', action, PROFILE_ARN('acme'), `${other}:${GUARDRAIL_VERSION}`)).toBe('ExplicitlyDenied');
      expect(await call('acme', action, PROFILE_ARN('acme'), `${GUARDRAIL_ARN}:2`)).toBe('ExplicitlyDenied');
      expect(await call('acme', action, PROFILE_ARN('acme'), GUARDRAIL_ARN)).toBe('ExplicitlyDenied');
    }
  });

  test('the tenant without a guardrail is unchanged: allowed with or without one, on its own profile only', async () => {
    expect(policy('globex')).toEqual(
      JSON.parse(
        concrete(
          JSON.stringify(
            tenantInvokePolicy({
              profileArns: own('globex').map((p) => ref(p.logicalId)),
              underlyingArns: own('globex').flatMap((p) => p.underlyingArns),
            }),
          ),
        ),
      ),
    );
    for (const action of ACTIONS) {
      expect(await call('globex', action, PROFILE_ARN('globex'))).toBe('Allowed');
      expect(await call('globex', action, PROFILE_ARN('globex'), `${GUARDRAIL_ARN}:${GUARDRAIL_VERSION}`)).toBe('Allowed');
      expect(await call('globex', action, PROFILE_ARN('acme'))).toBe('ImplicitlyDenied');
    }
  });
});

/**
 * IAM policies are global and explicit denies combine: one role holding the invoke
 * policies of every region of a tenant (an active-active workload) must still be
 * allowed in each region with that region's guardrail, and denied without it.
 * Here tenant acme is in us-east-1 and eu-west-1 with guardrail "standard", and
 * tenant globex in us-east-1 behind guardrail "strict"; the last tests take
 * "standard" to revision 2, where the overlap keeps revision 1's version accepted.
 */
describe('a tenant with a guardrail in two regions: one role holds both regional policies', () => {
  const REGIONS = ['us-east-1', 'eu-west-1'] as const;
  const two = (standard: object = {}): Matrix => ({
    accounts: [{ id: PROD, regions: [...REGIONS] }],
    models: [
      { alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' },
      { alias: 'sonnet', source: 'anthropic.claude-3-5-sonnet-20240620-v1:0', crossRegion: true },
    ],
    bedrockGuardrails: [
      {
        name: 'standard',
        contentFilters: { hate: 'HIGH', promptAttack: 'HIGH' },
        blockedMessage: 'Sorry, this request is not allowed.',
        ...standard,
      },
      { name: 'strict', contentFilters: { hate: 'HIGH', insults: 'HIGH' }, blockedMessage: 'No.' },
    ],
    tenants: [
      { id: 'acme', models: ['haiku', 'sonnet'], guardrail: 'standard' },
      { id: 'globex', models: ['haiku'], guardrail: 'strict', placement: { regions: ['us-east-1'] } },
    ],
  });
  /** The applied values of one region: guardrail IDs differ per region, and so do the version numbers of the same revision. */
  const guardrail = (region: string, name = 'standard') =>
    `arn:aws:bedrock:${region}:${PROD}:guardrail/${name.padEnd(8, 'x')}${region === 'us-east-1' ? '0001' : '0002'}`;
  const VERSIONS: Record<string, Record<string, string>> = {
    'us-east-1': { guardrail_standard: '3', guardrail_standard_r2: '4', guardrail_strict: '1' },
    'eu-west-1': { guardrail_standard: '1', guardrail_standard_r2: '2' },
  };
  const profile = (region: string, t: string, model: string) =>
    `arn:aws:bedrock:${region}:${PROD}:application-inference-profile/${t}${model}${region === 'us-east-1' ? '1' : '2'}`;
  /** The synthesized invoke policies of matrix `m`, with applied values: (region, tenant) -> document. */
  const policiesOf = (m: Matrix) => {
    const app = Testing.app();
    addStacks(app, resolveMatrix(m));
    const tfs = new Map(app.node.children.map((st) => [st.node.id, JSON.parse(Testing.synth(st as TerraformStack))]));
    return (region: string, t: string) => {
      const text: string = tfs.get(`bedrock-logging-${PROD}-${region}`).resource.aws_iam_policy[`invoke_${t}`].policy;
      return JSON.parse(
        text
          .replace(/\$\{aws_bedrock_guardrail\.guardrail_(\w+)\.guardrail_arn\}/g, (_, n) => guardrail(region, n))
          .replace(/\$\{aws_bedrock_guardrail_version\.(\w+)\.version\}/g, (_, lid) => VERSIONS[region][lid])
          .replace(/\$\{aws_bedrock_inference_profile\.([a-z0-9-]+)__([a-z0-9_]+)\.arn\}/g, (_, t, m) => profile(region, t, m)),
      );
    };
  };
  const invokePolicy = policiesOf(two());
  const acmeBoth = REGIONS.map((r) => invokePolicy(r, 'acme'));
  const sent = (region: string, lid = 'guardrail_standard', name = 'standard') => `${guardrail(region, name)}:${VERSIONS[region][lid]}`;
  const ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
  /** A call with the role that holds `identity`; `via` is the profile a model call came through (Bedrock sets bedrock:InferenceProfileArn). */
  const call = (action: string, resource: string, guardrailId: string | undefined, identity: object[] = acmeBoth, via?: string) =>
    decide({
      principal: `arn:aws:iam::${PROD}:role/acme-active-active`,
      action,
      resource,
      identity,
      context: {
        ...(guardrailId === undefined ? {} : { 'bedrock:GuardrailIdentifier': guardrailId }),
        ...(via ? { 'bedrock:InferenceProfileArn': via } : {}),
      },
    });
  const model = (region: string) => `arn:aws:bedrock:${region}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`;

  test.each(REGIONS)("in %s: allowed with that region's guardrail, through the profile and to the model behind it", async (region) => {
    for (const action of ACTIONS)
      for (const m of ['haiku', 'sonnet']) {
        expect(await call(action, profile(region, 'acme', m), sent(region))).toBe('Allowed');
        expect(await call(action, model(region), sent(region), acmeBoth, profile(region, 'acme', 'haiku'))).toBe('Allowed');
      }
  });

  test("a cross-region profile routed to another region of its geography: allowed with the calling region's guardrail", async () => {
    const routed = 'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0';
    for (const action of ACTIONS)
      expect(await call(action, routed, sent('us-east-1'), acmeBoth, profile('us-east-1', 'acme', 'sonnet'))).toBe('Allowed');
  });

  test.each(REGIONS)('in %s: explicitly denied without a guardrail, even when another policy allows bedrock:*', async (region) => {
    for (const action of ACTIONS) {
      expect(await call(action, profile(region, 'acme', 'haiku'), undefined)).toBe('ExplicitlyDenied');
      expect(await call(action, model(region), undefined, acmeBoth, profile(region, 'acme', 'haiku'))).toBe('ExplicitlyDenied');
      expect(await call(action, profile(region, 'acme', 'haiku'), undefined, [...acmeBoth, allow('bedrock:*')])).toBe('ExplicitlyDenied');
    }
  });

  test("explicitly denied with the other region's guardrail, the DRAFT or another version", async () => {
    const [us, eu] = REGIONS;
    for (const action of ACTIONS) {
      expect(await call(action, profile(us, 'acme', 'haiku'), sent(eu))).toBe('ExplicitlyDenied');
      expect(await call(action, profile(eu, 'acme', 'haiku'), sent(us))).toBe('ExplicitlyDenied');
      expect(await call(action, model(eu), sent(us), acmeBoth, profile(eu, 'acme', 'haiku'))).toBe('ExplicitlyDenied');
      expect(await call(action, profile(us, 'acme', 'haiku'), guardrail(us))).toBe('ExplicitlyDenied');
      expect(await call(action, profile(us, 'acme', 'haiku'), `${guardrail(us)}:2`)).toBe('ExplicitlyDenied');
      expect(await call(action, profile(us, 'acme', 'haiku'), sent(eu), [...acmeBoth, allow('bedrock:*')])).toBe('ExplicitlyDenied');
    }
  });

  test("a role holding two tenants' policies in one region: each tenant's profile with its own guardrail", async () => {
    const both = [...acmeBoth, invokePolicy('us-east-1', 'globex')];
    for (const action of ACTIONS) {
      expect(await call(action, profile('us-east-1', 'acme', 'haiku'), sent('us-east-1'), both)).toBe('Allowed');
      expect(await call(action, profile('us-east-1', 'globex', 'haiku'), sent('us-east-1', 'guardrail_strict', 'strict'), both)).toBe(
        'Allowed',
      );
      expect(await call(action, profile('us-east-1', 'globex', 'haiku'), sent('us-east-1'), both)).toBe('ExplicitlyDenied');
    }
  });

  describe('at revision 2: the version of revision 1 stays accepted (the overlap), in both regions at once', () => {
    const revised = policiesOf(two({ revision: 2 }));
    const both = REGIONS.map((r) => revised(r, 'acme'));

    test('each region accepts its own guardrail: the current version first, then the one the overlap keeps', () => {
      for (const [i, region] of REGIONS.entries()) {
        const allow = both[i].Statement.find((st: PolicyStatement) => st.Sid === 'InvokeOwnInferenceProfiles');
        expect(allow.Condition.StringEquals['bedrock:GuardrailIdentifier']).toEqual([sent(region, 'guardrail_standard_r2'), sent(region)]);
      }
    });

    test.each(REGIONS)(
      "in %s: the new and the previous version allowed; the other region's, and a version no longer kept, denied",
      async (region) => {
        const other = region === 'us-east-1' ? 'eu-west-1' : 'us-east-1';
        for (const action of ACTIONS) {
          expect(await call(action, profile(region, 'acme', 'haiku'), sent(region, 'guardrail_standard_r2'), both)).toBe('Allowed');
          expect(await call(action, profile(region, 'acme', 'haiku'), sent(region), both)).toBe('Allowed');
          expect(await call(action, model(region), sent(region), both, profile(region, 'acme', 'haiku'))).toBe('Allowed');
          expect(await call(action, profile(region, 'acme', 'haiku'), sent(other, 'guardrail_standard_r2'), both)).toBe('ExplicitlyDenied');
          expect(await call(action, profile(region, 'acme', 'haiku'), `${guardrail(region)}:9`, both)).toBe('ExplicitlyDenied');
        }
      },
    );
  });
});

describe('the SCP that protects invocation logging', () => {
  const scp = deployed(mgmt.stackName, 'aws_organizations_policy', 'protect_logging', 'content');
  const fullAccess = allow('*');
  const change = (roleName: string, action: string) => {
    const principal = `arn:aws:iam::${PROD}:role/${roleName}`;
    return decide({
      principal,
      action,
      resource: '*',
      identity: [allow('bedrock:*')],
      scps: [fullAccess, scp],
      context: { 'aws:PrincipalArn': principal },
    });
  };

  test('anyone but the deploy role changing or deleting logging is denied', async () => {
    for (const action of ['bedrock:PutModelInvocationLoggingConfiguration', 'bedrock:DeleteModelInvocationLoggingConfiguration']) {
      expect(await change('Admin', action)).toBe('ExplicitlyDenied');
      expect(await change('OrganizationAccountAccessRole', action)).toBe('ExplicitlyDenied');
      expect(await change(mgmt.deployRoleName, action)).toBe('Allowed');
    }
  });

  test('other Bedrock actions are untouched', async () => {
    expect(await change('Admin', 'bedrock:GetModelInvocationLoggingConfiguration')).toBe('Allowed');
  });
});

describe('budget-alert topic and key (management account)', () => {
  const topic = deployed(mgmt.stackName, 'aws_sns_topic_policy', 'budget_alerts');
  const key = deployed(mgmt.stackName, 'aws_kms_key', 'budget_alerts');
  const budgets = { 'aws:SourceAccount': MGMT, 'aws:SourceArn': `arn:aws:budgets::${MGMT}:budget/tenant-acme` };
  const keyArn = `arn:aws:kms:us-east-1:${MGMT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

  test('only AWS Budgets of the management account may publish, with the key', async () => {
    const publish = (principal: string, context: Record<string, string>) =>
      decide({ principal, action: 'sns:Publish', resource: TOPIC_ARN, account: MGMT, context, resourcePolicy: topic });
    expect(await publish('budgets.amazonaws.com', budgets)).toBe('Allowed');
    expect(await publish('budgets.amazonaws.com', { ...budgets, 'aws:SourceAccount': OTHER })).toBe('ImplicitlyDenied');
    expect(
      await publish('events.amazonaws.com', { 'aws:SourceAccount': MGMT, 'aws:SourceArn': `arn:aws:events:us-east-1:${MGMT}:rule/x` }),
    ).toBe('ImplicitlyDenied');
    expect(await publish(`arn:aws:iam::${OTHER}:root`, {})).toBe('ImplicitlyDenied');
    expect(
      await decide({
        principal: 'budgets.amazonaws.com',
        action: 'kms:GenerateDataKey',
        resource: keyArn,
        account: MGMT,
        context: budgets,
        resourcePolicy: key,
      }),
    ).toBe('Allowed');
    expect(
      await decide({
        principal: 'budgets.amazonaws.com',
        action: 'kms:ScheduleKeyDeletion',
        resource: keyArn,
        account: MGMT,
        context: budgets,
        resourcePolicy: key,
      }),
    ).toBe('ImplicitlyDenied');
  });

  test("the CUR 2.0 export's freshness alarm may publish, with the key; no other alarm may", async () => {
    const alarm = (name: string) => ({ 'aws:SourceAccount': MGMT, 'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:${MGMT}:alarm:${name}` });
    const publish = (context: Record<string, string>) =>
      decide({
        principal: 'cloudwatch.amazonaws.com',
        action: 'sns:Publish',
        resource: TOPIC_ARN,
        account: MGMT,
        context,
        resourcePolicy: topic,
      });
    expect(await publish(alarm('bedrock-cost-export-freshness'))).toBe('Allowed');
    expect(await publish(alarm('payments-5xx'))).toBe('ImplicitlyDenied');
    expect(await publish({ ...alarm('bedrock-cost-export-freshness'), 'aws:SourceAccount': OTHER })).toBe('ImplicitlyDenied');
    const encrypt = (context: Record<string, string>) =>
      decide({
        principal: 'cloudwatch.amazonaws.com',
        action: 'kms:GenerateDataKey',
        resource: keyArn,
        account: MGMT,
        context,
        resourcePolicy: key,
      });
    expect(await encrypt(alarm('bedrock-cost-export-freshness'))).toBe('Allowed');
    expect(await encrypt(alarm('payments-5xx'))).toBe('ImplicitlyDenied');
  });
});

describe('the alarm topic and its key (each logging stack)', () => {
  const topic = deployed(stack.stackName, 'aws_sns_topic_policy', 'alarms');
  const key = deployed(stack.stackName, 'aws_kms_key', 'alarms');
  const alarm = { 'aws:SourceAccount': PROD, 'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${PROD}:alarm:bedrock-throttles-${REGION}` };
  const keyArn = `arn:aws:kms:${REGION}:${PROD}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

  test('only CloudWatch alarms of this account and region may publish, with the key', async () => {
    const publish = (principal: string, context: Record<string, string>) =>
      decide({ principal, action: 'sns:Publish', resource: ALARM_TOPIC_ARN, context, resourcePolicy: topic });
    expect(await publish('cloudwatch.amazonaws.com', alarm)).toBe('Allowed');
    expect(await publish('cloudwatch.amazonaws.com', { ...alarm, 'aws:SourceAccount': OTHER })).toBe('ImplicitlyDenied');
    expect(await publish('cloudwatch.amazonaws.com', { ...alarm, 'aws:SourceArn': `arn:aws:cloudwatch:eu-west-1:${PROD}:alarm:x` })).toBe(
      'ImplicitlyDenied',
    );
    expect(
      await publish('events.amazonaws.com', { 'aws:SourceAccount': PROD, 'aws:SourceArn': `arn:aws:events:${REGION}:${PROD}:rule/x` }),
    ).toBe('ImplicitlyDenied');
    expect(await publish(`arn:aws:iam::${OTHER}:root`, {})).toBe('ImplicitlyDenied');
    const useKey = (action: string) =>
      decide({ principal: 'cloudwatch.amazonaws.com', action, resource: keyArn, context: alarm, resourcePolicy: key });
    expect(await useKey('kms:GenerateDataKey')).toBe('Allowed');
    expect(await useKey('kms:Decrypt')).toBe('Allowed');
    expect(await useKey('kms:ScheduleKeyDeletion')).toBe('ImplicitlyDenied');
  });
});

describe('the deploy role', () => {
  const policy = deployed(bootstrap.stackName, 'aws_iam_role_policy', 'deploy');
  const role = `arn:aws:iam::${PROD}:role/${bootstrap.deployRoleName}`;
  // A request goes to the region of its resource (the stack's region for global ones such as dashboards).
  const inRegionOf = (resource: string) => ({ 'aws:RequestedRegion': resource.split(':')[3] || REGION });
  const act = (action: string, resource: string, context: Record<string, string | string[]> = {}) =>
    decide({ principal: role, action, resource, identity: [policy], context: { ...inRegionOf(resource), ...context } });
  /** The managed-by tag the provider's default_tags put on every resource of the stacks, and another team's. */
  const OWN = { 'aws:ResourceTag/managed-by': 'bedrock-governance' };
  const THEIRS = { 'aws:ResourceTag/managed-by': 'payments-platform' };
  const TAGGED_REQUEST = { 'aws:RequestTag/managed-by': 'bedrock-governance', 'aws:TagKeys': ['managed-by', 'stack', 'environment'] };

  test("manages the stacks' resources, but cannot delete the log bucket or key or touch other buckets", async () => {
    expect(await act('s3:PutBucketPolicy', `arn:aws:s3:::${stack.names.bucket}`)).toBe('Allowed');
    expect(await act('bedrock:PutModelInvocationLoggingConfiguration', '*')).toBe('Allowed');
    expect(await act('s3:DeleteBucket', `arn:aws:s3:::${stack.names.bucket}`)).toBe('ImplicitlyDenied');
    expect(await act('s3:PutBucketPolicy', 'arn:aws:s3:::someone-elses-bucket')).toBe('ImplicitlyDenied');
    expect(
      await act('s3:GetObject', `arn:aws:s3:::${stack.names.bucket}/invocation-logs/AWSLogs/${PROD}/BedrockModelInvocationLogs/x.json.gz`),
    ).toBe('ImplicitlyDenied');
    expect(await act('kms:ScheduleKeyDeletion', `arn:aws:kms:${REGION}:${PROD}:key/1234abcd-12ab-34cd-56ef-1234567890ab`)).toBe(
      'ImplicitlyDenied',
    );
    expect(await act('logs:DeleteLogGroup', logGroupArn(target, stack.names.logGroup))).toBe('ImplicitlyDenied');
    expect(await act('iam:CreateUser', `arn:aws:iam::${PROD}:user/x`)).toBe('ImplicitlyDenied');
  });

  test("manages the Athena query-result bucket of its stacks by name, but cannot delete it or touch another account's", async () => {
    const results = `arn:aws:s3:::${stack.names.athenaResultsBucket}`;
    for (const action of [
      's3:CreateBucket',
      's3:PutBucketPolicy',
      's3:PutLifecycleConfiguration',
      's3:PutEncryptionConfiguration',
      's3:PutBucketVersioning',
      's3:PutBucketPublicAccessBlock',
    ])
      expect({ action, decision: await act(action, results) }).toEqual({ action, decision: 'Allowed' });
    expect(await act('s3:DeleteBucket', results)).toBe('ImplicitlyDenied');
    expect(await act('s3:PutBucketPolicy', `arn:aws:s3:::bedrock-athena-results-${OTHER}-${REGION}`)).toBe('ImplicitlyDenied');
    expect(await act('s3:GetObject', `${results}/Unsaved/2026/12/04/x.csv`)).toBe('ImplicitlyDenied');
  });

  test("manages the tenants' Bedrock guardrails and their versions in its regions, every call the provider makes", async () => {
    expect(await act('bedrock:CreateGuardrail', '*', TAGGED_REQUEST)).toBe('Allowed');
    for (const action of ['bedrock:GetGuardrail', 'bedrock:CreateGuardrailVersion', 'bedrock:ListTagsForResource'])
      expect(await act(action, GUARDRAIL_ARN)).toBe('Allowed');
    for (const action of ['bedrock:UpdateGuardrail', 'bedrock:DeleteGuardrail', 'bedrock:TagResource'])
      expect(await act(action, GUARDRAIL_ARN, OWN)).toBe('Allowed');
    expect(await act('bedrock:UpdateGuardrail', `arn:aws:bedrock:ap-south-1:${PROD}:guardrail/abcdef123456`)).toBe('ImplicitlyDenied');
    expect(await act('bedrock:UpdateGuardrail', `arn:aws:bedrock:${REGION}:${OTHER}:guardrail/abcdef123456`)).toBe('ImplicitlyDenied');
  });

  describe('issue 23: changes only what the project manages (the managed-by tag of default_tags)', () => {
    const KEY = `arn:aws:kms:${REGION}:${PROD}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const THEIR_KEY = `arn:aws:kms:${REGION}:${PROD}:key/9999abcd-12ab-34cd-56ef-1234567890ab`;
    // KMS needs the key policy to delegate to IAM policies of the account (the usual default of a team's key).
    const keyPolicy = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'AccountRoot', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PROD}:root` }, Action: 'kms:*', Resource: '*' }],
    };
    const kms = (action: string, resource: string, context: Record<string, string | string[]> = {}) =>
      decide({
        principal: role,
        action,
        resource,
        identity: [policy],
        resourcePolicy: keyPolicy,
        context: { ...inRegionOf(resource), ...context },
      });
    const KEY_CHANGES = [
      'kms:PutKeyPolicy',
      'kms:DisableKey',
      'kms:EnableKey',
      'kms:DisableKeyRotation',
      'kms:UpdateKeyDescription',
      'kms:TagResource',
      'kms:UntagResource',
    ];

    test("changes its own keys, and no other team's key: another managed-by value or no tag at all", async () => {
      for (const action of KEY_CHANGES) {
        expect([action, await kms(action, KEY, OWN)]).toEqual([action, 'Allowed']);
        expect([action, await kms(action, THEIR_KEY, THEIRS)]).toEqual([action, 'ImplicitlyDenied']);
        if (action !== 'kms:TagResource') expect([action, await kms(action, THEIR_KEY)]).toEqual([action, 'ImplicitlyDenied']);
      }
      // Reads, rotation and aliases stay by name (the provider calls them right after CreateKey).
      for (const action of ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:EnableKeyRotation'])
        expect([action, await kms(action, KEY)]).toEqual([action, 'Allowed']);
      expect(await kms('kms:ScheduleKeyDeletion', KEY, OWN)).toBe('ImplicitlyDenied');
    });

    test("creates keys only with the managed-by tag, and cannot tag another team's key over", async () => {
      expect(await kms('kms:CreateKey', '*', TAGGED_REQUEST)).toBe('Allowed');
      expect(await kms('kms:CreateKey', '*')).toBe('ImplicitlyDenied');
      expect(await kms('kms:CreateKey', '*', { 'aws:RequestTag/managed-by': 'someone-else', 'aws:TagKeys': ['managed-by'] })).toBe(
        'ImplicitlyDenied',
      );
      // Tag-on-create: the new key has no tags yet.
      expect(await kms('kms:TagResource', KEY, TAGGED_REQUEST)).toBe('Allowed');
      expect(await kms('kms:TagResource', THEIR_KEY, { ...THEIRS, ...TAGGED_REQUEST })).toBe('ImplicitlyDenied');
      expect(await kms('kms:TagResource', THEIR_KEY, { ...THEIRS, 'aws:RequestTag/team': 'x', 'aws:TagKeys': ['team'] })).toBe(
        'ImplicitlyDenied',
      );
    });

    test("deletes and tags its own inference profiles and guardrails, not another team's, and only in its regions", async () => {
      const profile = PROFILE_ARN('acme');
      const theirs = `arn:aws:bedrock:${REGION}:${PROD}:application-inference-profile/zzzz0payments`;
      for (const action of ['bedrock:DeleteInferenceProfile', 'bedrock:TagResource', 'bedrock:UntagResource']) {
        expect([action, await act(action, profile, OWN)]).toEqual([action, 'Allowed']);
        expect([action, await act(action, theirs, THEIRS)]).toEqual([action, 'ImplicitlyDenied']);
        expect([action, await act(action, profile.replace(REGION, 'ap-south-1'), OWN)]).toEqual([action, 'ImplicitlyDenied']);
        if (action !== 'bedrock:TagResource') expect([action, await act(action, theirs)]).toEqual([action, 'ImplicitlyDenied']);
      }
      for (const action of ['bedrock:DeleteGuardrail', 'bedrock:UpdateGuardrail', 'bedrock:UntagResource']) {
        expect([action, await act(action, GUARDRAIL_ARN, OWN)]).toEqual([action, 'Allowed']);
        expect([action, await act(action, `arn:aws:bedrock:${REGION}:${PROD}:guardrail/payments0001`, THEIRS)]).toEqual([
          action,
          'ImplicitlyDenied',
        ]);
      }
      expect(await act('bedrock:TagResource', theirs, { ...THEIRS, ...TAGGED_REQUEST })).toBe('ImplicitlyDenied');
      expect(await act('bedrock:CreateInferenceProfile', profile, TAGGED_REQUEST)).toBe('Allowed');
      expect(await act('bedrock:CreateInferenceProfile', profile)).toBe('ImplicitlyDenied');
      expect(await act('bedrock:GetInferenceProfile', profile)).toBe('Allowed');
    });

    test('a tenant tag or a cost-allocation key named managed-by is refused: it would override the tag the deploy role creates profiles with', () => {
      const bad = {
        ...matrix,
        tenants: [{ ...matrix.tenants![0], tags: { 'managed-by': 'team-a' } }],
        costAllocationTagKeys: { owner: 'managed-by' },
      };
      expect(problems(bad)).toEqual([
        {
          path: 'tenants[0].tags.managed-by',
          value: 'team-a',
          allowed: expect.stringContaining('the app sets managed-by = bedrock-governance on every resource'),
        },
        { path: 'costAllocationTagKeys.owner', value: 'managed-by', allowed: expect.stringContaining('another tag key') },
      ]);
      expect(problems(matrix)).toEqual([]);
    });

    test('changes the logging configuration in its regions only (it has no ARN)', async () => {
      for (const action of ['bedrock:PutModelInvocationLoggingConfiguration', 'bedrock:DeleteModelInvocationLoggingConfiguration']) {
        expect([
          action,
          await decide({ principal: role, action, resource: '*', identity: [policy], context: { 'aws:RequestedRegion': REGION } }),
        ]).toEqual([action, 'Allowed']);
        expect([
          action,
          await decide({ principal: role, action, resource: '*', identity: [policy], context: { 'aws:RequestedRegion': 'ap-south-1' } }),
        ]).toEqual([action, 'ImplicitlyDenied']);
      }
    });
  });

  test('holds only in the regions of its stacks: the same resource in another region is denied', async () => {
    expect(await act('athena:CreateNamedQuery', `arn:aws:athena:${REGION}:${PROD}:workgroup/bedrock-usage`)).toBe('Allowed');
    expect(await act('athena:CreateNamedQuery', `arn:aws:athena:ap-south-1:${PROD}:workgroup/bedrock-usage`)).toBe('ImplicitlyDenied');
    expect(await act('kms:CreateAlias', `arn:aws:kms:ap-south-1:${PROD}:alias/bedrock-invocation-logs`)).toBe('ImplicitlyDenied');
    expect(await act('logs:PutRetentionPolicy', logGroupArn({ ...target, region: 'ap-south-1' }, stack.names.logGroup))).toBe(
      'ImplicitlyDenied',
    );
    // The request's region decides, whatever the resource says: a dashboard (global ARN) asked for from another region.
    expect(
      await decide({
        principal: role,
        action: 'cloudwatch:PutDashboard',
        resource: `arn:aws:cloudwatch::${PROD}:dashboard/bedrock-usage-${REGION}`,
        identity: [policy],
        context: { 'aws:RequestedRegion': 'ap-south-1' },
      }),
    ).toBe('ImplicitlyDenied');
  });

  test('manages the usage analytics of its stacks by name, and nothing of the same kind beside them', async () => {
    expect(await act('cloudwatch:PutDashboard', `arn:aws:cloudwatch::${PROD}:dashboard/bedrock-usage-${REGION}`)).toBe('Allowed');
    expect(await act('cloudwatch:DeleteDashboards', `arn:aws:cloudwatch::${PROD}:dashboard/payments`)).toBe('ImplicitlyDenied');
    expect(await act('cloudwatch:PutMetricAlarm', `arn:aws:cloudwatch:${REGION}:${PROD}:alarm:bedrock-throttles-${REGION}`)).toBe(
      'Allowed',
    );
    expect(await act('cloudwatch:DeleteAlarms', `arn:aws:cloudwatch:${REGION}:${PROD}:alarm:payments-5xx`)).toBe('ImplicitlyDenied');
    expect(await act('glue:CreateTable', `arn:aws:glue:${REGION}:${PROD}:table/bedrock_invocation_logs/invocations`)).toBe('Allowed');
    expect(await act('glue:DeleteTable', `arn:aws:glue:${REGION}:${PROD}:table/finance/ledger`)).toBe('ImplicitlyDenied');
    expect(await act('athena:CreateNamedQuery', `arn:aws:athena:${REGION}:${PROD}:workgroup/bedrock-usage`)).toBe('Allowed');
    expect(await act('athena:DeleteWorkGroup', `arn:aws:athena:${REGION}:${PROD}:workgroup/primary`)).toBe('ImplicitlyDenied');
    expect(await act('s3:PutObject', `arn:aws:s3:::${stack.names.bucket}/analytics/rate-card/rate_card.csv`)).toBe('Allowed');
    expect(
      await act(
        's3:PutObject',
        `arn:aws:s3:::${stack.names.bucket}/invocation-logs/AWSLogs/${PROD}/BedrockModelInvocationLogs/forged.json.gz`,
      ),
    ).toBe('ImplicitlyDenied');
    expect(await act('logs:PutMetricFilter', logGroupArn(target, stack.names.logGroup))).toBe('Allowed');
    expect(await act('logs:DeleteDataProtectionPolicy', logGroupArn(target, '/aws/lambda/payments'))).toBe('ImplicitlyDenied');
  });

  test('reads the Glue table it creates as the provider does: GetTable and GetPartitionIndexes, on its own table only', async () => {
    // resourceCatalogTableRead (internal/service/glue/catalog_table.go) calls GetPartitionIndexes after GetTable;
    // without it the table is created, then tainted, and every later apply fails.
    const table = `arn:aws:glue:${REGION}:${PROD}:table/bedrock_invocation_logs/invocations`;
    for (const action of ['glue:GetTable', 'glue:GetPartitionIndexes']) {
      expect({ action, decision: await act(action, table) }).toEqual({ action, decision: 'Allowed' });
      expect({ action, decision: await act(action, `arn:aws:glue:${REGION}:${PROD}:table/finance/ledger`) }).toEqual({
        action,
        decision: 'ImplicitlyDenied',
      });
    }
  });

  test('removes the rate-card object of the versioned log bucket: lists versions under its prefix only, deletes its versions only', async () => {
    const bucket = `arn:aws:s3:::${stack.names.bucket}`;
    const listUnder = (prefix?: string) =>
      decide({
        principal: role,
        action: 's3:ListBucketVersions',
        resource: bucket,
        identity: [policy],
        context: { ...inRegionOf(bucket), ...(prefix === undefined ? {} : { 's3:prefix': prefix }) },
      });
    expect(await listUnder('analytics/rate-card/rate_card.csv')).toBe('Allowed');
    expect(await listUnder(`invocation-logs/AWSLogs/${PROD}/`)).toBe('ImplicitlyDenied');
    expect(await listUnder()).toBe('ImplicitlyDenied');
    expect(await act('s3:DeleteObjectVersion', `${bucket}/analytics/rate-card/rate_card.csv`)).toBe('Allowed');
    expect(await act('s3:DeleteObjectVersion', `${bucket}/invocation-logs/AWSLogs/${PROD}/BedrockModelInvocationLogs/x.json.gz`)).toBe(
      'ImplicitlyDenied',
    );
  });

  test('cannot delete the logging role (it holds an identity), but can delete tenant policies it manages', async () => {
    expect(await act('iam:DeleteRole', `arn:aws:iam::${PROD}:role/${stack.names.role}`)).toBe('ImplicitlyDenied');
    expect(await act('iam:DeletePolicy', `arn:aws:iam::${PROD}:policy/bedrock-invoke-acme-${REGION}`)).toBe('Allowed');
  });

  test('updates a tenant policy as the provider does: new version, then SetDefaultPolicyVersion, on tenant policies only', async () => {
    // resourcePolicyUpdate (internal/service/iam/policy.go) creates the version with SetAsDefault false
    // and then calls SetDefaultPolicyVersion; without it adding a model to a tenant fails at apply.
    const tenantPolicy = `arn:aws:iam::${PROD}:policy/bedrock-invoke-acme-${REGION}`;
    for (const action of ['iam:ListPolicyVersions', 'iam:DeletePolicyVersion', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'])
      expect({ action, decision: await act(action, tenantPolicy) }).toEqual({ action, decision: 'Allowed' });
    expect(await act('iam:SetDefaultPolicyVersion', `arn:aws:iam::${PROD}:policy/AdministratorAccess-custom`)).toBe('ImplicitlyDenied');
  });

  test('with QuickSight sharing, reads its data set as the provider does (DescribeDataSetRefreshProperties), by name', async () => {
    const withQuickSight = deployRolePolicy({ partition: 'aws', accountId: PROD, ...bootstrap.scope, quicksight: true }, deployActions);
    const qs = (action: string, resource: string) =>
      decide({ principal: role, action, resource, identity: [withQuickSight], context: inRegionOf(resource) });
    const dataSet = `arn:aws:quicksight:${REGION}:${PROD}:dataset/bedrock-usage-daily`;
    for (const action of [
      'quicksight:DescribeDataSet',
      'quicksight:DescribeDataSetPermissions',
      'quicksight:DescribeDataSetRefreshProperties',
    ])
      expect({ action, decision: await qs(action, dataSet) }).toEqual({ action, decision: 'Allowed' });
    expect(await qs('quicksight:DeleteDataSet', `arn:aws:quicksight:${REGION}:${PROD}:dataset/payroll`)).toBe('ImplicitlyDenied');
  });
});

describe("the management account's deploy role and the CUR 2.0 export", () => {
  const policy = deployed(mgmtBootstrap.stackName, 'aws_iam_role_policy', 'deploy');
  const role = `arn:aws:iam::${MGMT}:role/${mgmtBootstrap.deployRoleName}`;
  const act = (action: string, resource: string) =>
    decide({ principal: role, action, resource, account: MGMT, identity: [policy], context: { 'aws:RequestedRegion': 'us-east-1' } });

  test('creates and updates the export on the billing view its BILLING_VIEW_ARN names (the primary view), and on no other view', async () => {
    // CreateExport and UpdateExport authorize on the billingview resource the table configuration names
    // (Service Authorization Reference, bcm-data-exports), besides the export and the table.
    for (const action of ['bcm-data-exports:CreateExport', 'bcm-data-exports:UpdateExport'])
      expect({ action, decision: await act(action, `arn:aws:billing::${MGMT}:billingview/primary`) }).toEqual({
        action,
        decision: 'Allowed',
      });
    expect(await act('bcm-data-exports:CreateExport', `arn:aws:bcm-data-exports:us-east-1:${MGMT}:table/COST_AND_USAGE_REPORT`)).toBe(
      'Allowed',
    );
    expect(await act('bcm-data-exports:CreateExport', `arn:aws:billing::${MGMT}:billingview/custom-1a2b3c4d`)).toBe('ImplicitlyDenied');
    expect(await act('bcm-data-exports:CreateExport', `arn:aws:billing::${OTHER}:billingview/primary`)).toBe('ImplicitlyDenied');
  });

  test("manages the export's freshness check by name: the bucket's notification, the EventBridge rule, the alarm", async () => {
    const bucket = `arn:aws:s3:::bedrock-cost-export-${MGMT}`;
    for (const action of ['s3:PutBucketNotification', 's3:GetBucketNotification'])
      expect({ action, decision: await act(action, bucket) }).toEqual({ action, decision: 'Allowed' });
    expect(await act('s3:PutBucketNotification', 'arn:aws:s3:::someone-elses-bucket')).toBe('ImplicitlyDenied');
    const rule = `arn:aws:events:us-east-1:${MGMT}:rule/bedrock-cost-export-delivery`;
    for (const action of ['events:PutRule', 'events:DescribeRule', 'events:DeleteRule', 'events:TagResource', 'events:ListTagsForResource'])
      expect({ action, decision: await act(action, rule) }).toEqual({ action, decision: 'Allowed' });
    expect(await act('events:PutRule', `arn:aws:events:us-east-1:${MGMT}:rule/payments-nightly`)).toBe('ImplicitlyDenied');
    const alarm = `arn:aws:cloudwatch:us-east-1:${MGMT}:alarm:bedrock-cost-export-freshness`;
    for (const action of ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms'])
      expect({ action, decision: await act(action, alarm) }).toEqual({ action, decision: 'Allowed' });
    expect(await act('cloudwatch:DeleteAlarms', `arn:aws:cloudwatch:us-east-1:${MGMT}:alarm:payments-5xx`)).toBe('ImplicitlyDenied');
  });
});

/**
 * Runs last: docs/policy-simulation.md lists every policy document the stacks deploy (the
 * POLICIES table, which the first test proves complete) and says "yes" exactly for those a
 * simulation above was given; the others say why not. It needs the simulations of the whole
 * file: run with `-t`, it sees none and fails.
 */
test('docs/policy-simulation.md lists every deployed policy document and marks exactly the simulated ones', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'policy-simulation.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| (logging|management|bootstrap) \| `([\w.<>]+)` \| `(\w+)` \| ([^|]+?) \|/gm)].map((m) => ({
    row: `${m[1]} ${m[2]} ${m[3]}`,
    status: m[4],
  }));
  const listed = [...new Set(POLICIES.map(([s, type, name, field]) => docRow(s, type, name, field)))].sort();
  expect(rows.map((r) => r.row).sort()).toEqual(listed);
  expect(
    rows
      .filter((r) => r.status.startsWith('yes'))
      .map((r) => r.row)
      .sort(),
  ).toEqual([...simulated].sort());
  // A document simulated elsewhere names the test file that does it, and that file simulates it.
  for (const r of rows.filter((r) => !r.status.startsWith('yes'))) {
    expect([r.row, r.status]).toEqual([r.row, expect.stringMatching(/^(no: .{10,}|in `__tests__\/[\w/.-]+\.test\.ts`.*)$/)]);
    const file = /^in `(__tests__\/[\w/.-]+)`/.exec(r.status)?.[1];
    if (file) expect(fs.readFileSync(path.join(__dirname, '..', '..', file), 'utf8')).toContain(r.row.split(' ')[1].split('.')[1]);
  }
});
