import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import type { Matrix } from '../../config/schema';
import { rolloutWaves, selectStacks } from '../../config/select';
import { synthesize } from '../../stacks/app';
import { BootstrapStack } from '../../stacks/bootstrap-stack';
import { ManagementStack } from '../../stacks/management-stack';
import { DEV, PROD, problems, resolveMatrix, synth } from '../helpers';
import { asObject, at, type PolicyStatement } from '../../review/terraform-json';

const MGMT = '999999999999';
const base = (over: Partial<Matrix> = {}): Matrix => ({
  managementAccountId: MGMT,
  tags: { 'cost-center': 'platform' },
  accounts: [
    { id: PROD, name: 'genai-prod', environment: 'prod', regions: ['us-east-1', 'eu-west-1'] },
    { id: DEV, name: 'genai-dev', environment: 'dev', regions: ['us-east-1'] },
  ],
  ...over,
});
const tf = (m: Matrix, i = 0) => synth(resolveMatrix(m).stacks[i]).tf;

describe('provider of each stack', () => {
  test('assumes the default deploy role of its own account, allows only that account, and tags everything', () => {
    const p = asObject(tf(base()).provider?.aws[0]);
    expect(p).toEqual({
      region: 'us-east-1',
      allowed_account_ids: [PROD],
      assume_role: [{ role_arn: `arn:aws:iam::${PROD}:role/bedrock-governance-deploy` }],
      default_tags: [
        {
          tags: {
            'cost-center': 'platform',
            'managed-by': 'bedrock-governance',
            stack: `bedrock-logging-${PROD}-us-east-1`,
            environment: 'prod',
          },
        },
      ],
    });
  });

  test('role name, session name and external ID come from the matrix', () => {
    const p = asObject(
      tf(base({ deployment: { roleName: 'lz-deployer', sessionName: 'bedrock-governance', externalId: 'ext-123' } }), 2).provider?.aws[0],
    );
    expect(p.assume_role).toEqual([
      { role_arn: `arn:aws:iam::${DEV}:role/lz-deployer`, session_name: 'bedrock-governance', external_id: 'ext-123' },
    ]);
  });

  test('assumeRole: false uses the ambient credentials (e.g. Terraform Cloud dynamic credentials)', () => {
    const p = asObject(tf(base({ deployment: { assumeRole: false } })).provider?.aws[0]);
    expect(p.assume_role).toBeUndefined();
    expect(p.allowed_account_ids).toEqual([PROD]);
  });

  test('the management stack assumes the deploy role of the management account', () => {
    const m = resolveMatrix(base()).management!;
    const p = JSON.parse(Testing.synth(new ManagementStack(Testing.app(), m))).provider.aws[0];
    expect(p).toMatchObject({
      region: 'us-east-1',
      allowed_account_ids: [MGMT],
      assume_role: [{ role_arn: `arn:aws:iam::${MGMT}:role/bedrock-governance-deploy` }],
    });
  });
});

describe('backends', () => {
  test('local by default, state in the working directory, outside cdktf.out', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-backend-'));
    synthesize(resolveMatrix(base()), out);
    const t = JSON.parse(fs.readFileSync(path.join(out, 'stacks', `bedrock-logging-${PROD}-us-east-1`, 'cdk.tf.json'), 'utf8'));
    fs.rmSync(out, { recursive: true });
    expect(t.terraform.backend).toEqual({
      local: { path: path.join(process.cwd(), `terraform.bedrock-logging-${PROD}-us-east-1.tfstate`) },
    });
  });

  test('Terraform Cloud: one named workspace per stack from the template, in the project', () => {
    const m = base({
      deployment: {
        backend: {
          type: 'tfc',
          organization: 'acme-corp',
          project: 'bedrock',
          workspaceTemplate: 'bedrock-{environment}-{accountId}-{region}',
        },
      },
    });
    const t = tf(m, 1);
    expect(t.terraform?.backend).toBeUndefined();
    expect(t.terraform?.cloud).toEqual({
      organization: 'acme-corp',
      workspaces: { name: `bedrock-prod-${PROD}-eu-west-1`, project: 'bedrock' },
    });
    const mgmt = JSON.parse(Testing.synth(new ManagementStack(Testing.app(), resolveMatrix(m).management!)));
    expect(mgmt.terraform.cloud.workspaces.name).toBe(`bedrock-management-${MGMT}-us-east-1`);
  });

  test('Terraform Cloud default workspace name is the stack name', () => {
    expect(at(tf(base({ deployment: { backend: { type: 'tfc', organization: 'acme-corp' } } })).terraform, 'cloud', 'workspaces')).toEqual({
      name: `bedrock-logging-${PROD}-us-east-1`,
    });
  });

  test('S3: bucket, a key per stack, encryption and S3-native locking', () => {
    const t = tf(
      base({
        deployment: { backend: { type: 's3', bucket: 'org-tf-state', region: 'eu-central-1', roleArn: `arn:aws:iam::${MGMT}:role/state` } },
      }),
    );
    expect(at(t.terraform, 'backend', 's3')).toEqual({
      bucket: 'org-tf-state',
      key: `bedrock-governance/bedrock-logging-${PROD}-us-east-1/terraform.tfstate`,
      region: 'eu-central-1',
      encrypt: true,
      use_lockfile: true,
      assume_role: { role_arn: `arn:aws:iam::${MGMT}:role/state` },
    });
  });

  test.each([
    [
      'a template that makes two stacks share a workspace',
      { type: 'tfc', organization: 'acme-corp', workspaceTemplate: 'bedrock-{accountId}' },
      'accounts[0].regions[1] (deployment.backend.workspaceTemplate)',
      'unique to each stack',
    ],
    [
      'a workspace name with characters TFC refuses',
      { type: 'tfc', organization: 'acme-corp', workspaceTemplate: 'bedrock.{stack}' },
      'accounts[0].regions[0] (deployment.backend.workspaceTemplate)',
      'letters, digits, - and _',
    ],
    [
      'an unknown placeholder',
      { type: 'tfc', organization: 'acme-corp', workspaceTemplate: '{stack}-{team}' },
      'deployment.backend.workspaceTemplate',
      'placeholders are among',
    ],
    [
      'a state key shared by two stacks',
      { type: 's3', bucket: 'org-tf-state', region: 'us-east-1', keyTemplate: 'bedrock/{environment}.tfstate' },
      'accounts[0].regions[1] (deployment.backend.keyTemplate)',
      'unique to each stack',
    ],
    ['an unknown backend type', { type: 'gcs' }, 'deployment.backend.type', 'one of "local", "tfc", "s3"'],
  ])('%s is an error', (_what, backend, path, allowed) => {
    const p = problems({ ...base(), deployment: { backend } });
    expect(p.map((i) => i.path)).toContain(path);
    expect(p.find((i) => i.path === path)!.allowed).toContain(allowed);
  });
});

describe('stack names', () => {
  test('come from account ID and region only, so renaming an account orphans no state', () => {
    const names = (m: Matrix) => resolveMatrix(m).stacks.map((s) => s.stackName);
    const renamed = base({ accounts: base().accounts.map((a) => ({ ...a, name: `${a.name}-renamed`, environment: 'staging' })) });
    expect(names(renamed)).toEqual(names(base()));
    expect(names(base())).toEqual([
      `bedrock-logging-${PROD}-us-east-1`,
      `bedrock-logging-${PROD}-eu-west-1`,
      `bedrock-logging-${DEV}-us-east-1`,
    ]);
  });

  test('reordering accounts and regions changes no stack name and no Terraform address', () => {
    const reordered = base({ accounts: [...base().accounts].reverse().map((a) => ({ ...a, regions: [...a.regions].reverse() })) });
    const byName = (m: Matrix) => Object.fromEntries(resolveMatrix(m).stacks.map((s) => [s.stackName, synth(s).json]));
    expect(byName(reordered)).toEqual(byName(base()));
  });
});

describe('selective synth', () => {
  const config = resolveMatrix(
    base({ deployment: { bootstrap: { managementAccountRoleName: 'OrgAdmin', trustedPrincipalArns: [`arn:aws:iam::${MGMT}:role/ci`] } } }),
  );
  const names = (f: Parameters<typeof selectStacks>[1]) => {
    const c = selectStacks(config, f);
    return [
      ...c.bootstraps.map((b) => b.stackName),
      ...c.stacks.map((s) => s.stackName),
      ...(c.management ? [c.management.stackName] : []),
    ];
  };

  test('by account ID or name, environment, region, and combinations', () => {
    expect(names({ accounts: ['genai-dev'] })).toEqual([`bedrock-bootstrap-${DEV}`, `bedrock-logging-${DEV}-us-east-1`]);
    expect(names({ environments: ['prod'], regions: ['eu-west-1'] })).toEqual([`bedrock-logging-${PROD}-eu-west-1`]);
    expect(names({ environments: ['management'] })).toEqual([`bedrock-management-${MGMT}`]);
    expect(names({ environments: ['bootstrap'] })).toEqual([
      `bedrock-bootstrap-${PROD}`,
      `bedrock-bootstrap-${DEV}`,
      `bedrock-bootstrap-${MGMT}`,
    ]);
  });

  test('no filter selects everything', () => {
    expect(names({})).toHaveLength(7);
  });

  test('an unknown value is an error that lists what exists', () => {
    expect(() => selectStacks(config, { regions: ['ap-south-1'] })).toThrow(
      /--region \/ SYNTH_REGIONS: "ap-south-1" -> expected one of us-east-1, eu-west-1/,
    );
  });

  test('a filter that selects nothing is an error', () => {
    expect(() => selectStacks(config, { environments: ['dev'], regions: ['eu-west-1'] })).toThrow(/selects at least one stack/);
  });
});

describe('rollout waves', () => {
  test('bootstrap, then environments in order, then management', () => {
    const config = resolveMatrix(
      base({
        deployment: {
          waves: ['dev', 'staging', 'prod'],
          bootstrap: { managementAccountRoleName: 'OrgAdmin', trustedPrincipalArns: [`arn:aws:iam::${MGMT}:role/ci`] },
        },
      }),
    );
    expect(rolloutWaves(config).map((w) => [w.wave, w.stacks.length])).toEqual([
      ['bootstrap', 3],
      ['dev', 1],
      ['prod', 2],
      ['management', 1],
    ]);
  });

  test('the default order is dev, staging, prod, then the accounts without an environment', () => {
    const m = base({
      accounts: [
        ...base().accounts,
        { id: '333333333333', regions: ['us-east-1'] },
        { id: '444444444444', environment: 'staging', regions: ['us-east-1'] },
      ],
    });
    expect(rolloutWaves(resolveMatrix(m)).map((w) => w.wave)).toEqual(['dev', 'staging', 'prod', 'default', 'management']);
  });

  test('an environment outside the default waves is an error naming it and the nearest wave', () => {
    const m = base({
      accounts: [
        ...base().accounts,
        { id: '333333333333', environment: 'prd', regions: ['us-east-1'] },
        { id: '444444444444', environment: 'prd', regions: ['eu-west-1'] },
      ],
    });
    expect(problems(m)).toEqual([
      {
        path: 'accounts[2].environment',
        value: 'prd',
        allowed:
          'an environment in the rollout order, the default waves (deployment.waves is not set): dev, staging, prod; "prd" is in no wave (nearest: "prod"). Correct it, or list it in deployment.waves',
      },
    ]);
  });

  test('with deployment.waves, an environment outside them is an error naming it and the nearest wave', () => {
    expect(problems(base({ deployment: { waves: ['dev', 'prdo'] } }))).toEqual([
      {
        path: 'accounts[0].environment',
        value: 'prod',
        allowed: expect.stringContaining('deployment.waves: dev, prdo; "prod" is in no wave (nearest: "prdo")'),
      },
    ]);
    expect(problems(base({ accounts: [{ id: '333333333333', regions: ['us-east-1'] }], deployment: { waves: ['dev', 'prod'] } }))).toEqual([
      { path: 'accounts[0] (no environment)', value: 'default', allowed: expect.stringContaining('"default" is in no wave') },
    ]);
  });
});

describe('bootstrap stacks', () => {
  const m = base({
    deployment: {
      backend: { type: 'tfc', organization: 'acme-corp', project: 'bedrock' },
      bootstrap: { managementAccountRoleName: 'OrgAdmin', trustedPrincipalArns: [`arn:aws:iam::${MGMT}:role/break-glass`] },
    },
  });
  const config = resolveMatrix(m);
  const prod = config.bootstraps.find((b) => b.accountId === PROD)!;
  const json = Testing.synth(new BootstrapStack(Testing.app(), prod));
  const t = JSON.parse(json);

  test('one per account, the management account included, deployed with the admin role', () => {
    expect(config.bootstraps.map((b) => b.stackName)).toEqual([
      `bedrock-bootstrap-${PROD}`,
      `bedrock-bootstrap-${DEV}`,
      `bedrock-bootstrap-${MGMT}`,
    ]);
    expect(t.provider.aws[0].assume_role).toEqual([{ role_arn: `arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole` }]);
  });

  test('the Terraform Cloud OIDC provider', () => {
    expect(json).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      url: 'https://app.terraform.io',
      client_id_list: ['aws.workload.identity'],
    });
  });

  test('the deploy role trusts exactly the workspaces of this account, and the named principals', () => {
    const trust = JSON.parse(t.resource.aws_iam_role.deploy.assume_role_policy);
    expect(t.resource.aws_iam_role.deploy.name).toBe('bedrock-governance-deploy');
    expect(trust.Statement).toEqual([
      {
        Sid: 'TerraformCloudWorkspaces',
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${PROD}:oidc-provider/app.terraform.io` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'app.terraform.io:aud': 'aws.workload.identity' },
          StringLike: {
            'app.terraform.io:sub': [
              `organization:acme-corp:project:bedrock:workspace:bedrock-logging-${PROD}-eu-west-1:run_phase:*`,
              `organization:acme-corp:project:bedrock:workspace:bedrock-logging-${PROD}-us-east-1:run_phase:*`,
            ],
          },
        },
      },
      {
        Sid: 'TrustedPrincipals',
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${MGMT}:role/break-glass`] },
        Action: 'sts:AssumeRole',
      },
    ]);
  });

  test('least privilege: own buckets and log groups, no deletes of stateful resources, PassRole only to Bedrock', () => {
    const policy = JSON.parse(t.resource.aws_iam_role_policy.deploy.policy);
    const sid = (s: string) => policy.Statement.find((x: PolicyStatement) => x.Sid === s);
    // The account's buckets by their name pattern (<prefix>-<account>-<region>), not one ARN per region:
    // the log buckets and the Athena query-result buckets.
    expect(sid('InvocationLogBuckets').Resource).toEqual([
      `arn:aws:s3:::bedrock-invocation-logs-${PROD}-*`,
      `arn:aws:s3:::bedrock-athena-results-${PROD}-*`,
    ]);
    // Regional resources in any region, held to the account's regions.
    // (The regional grants by name share one statement, so the region list is written once.)
    const groups = policy.Statement.find((x: PolicyStatement) =>
      [x.Resource].flat().includes(`arn:aws:logs:*:${PROD}:log-group:/bedrock/model-invocation-logs`),
    );
    expect(groups.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } });
    expect(sid('PassLoggingRoleToBedrockOnly').Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } });
    const actions = policy.Statement.flatMap((x: PolicyStatement) => [x.Action].flat());
    for (const forbidden of [
      's3:DeleteBucket',
      'kms:ScheduleKeyDeletion',
      'logs:DeleteLogGroup',
      'iam:DeleteRole',
      's3:*',
      'kms:*',
      'iam:*',
    ])
      expect(actions).not.toContain(forbidden);
    expect(policy.Statement.map((x: PolicyStatement) => x.Sid)).not.toContain('TenantBudgets');
    const mgmt = JSON.parse(
      JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), config.bootstraps[2]))).resource.aws_iam_role_policy.deploy.policy,
    );
    expect(mgmt.Statement.map((x: PolicyStatement) => x.Sid)).toEqual(expect.arrayContaining(['TenantBudgets', 'OrganizationGuardrails']));
  });

  test('needs someone to trust', () => {
    expect(problems(base({ deployment: { bootstrap: { managementAccountRoleName: 'OrgAdmin' } } }))).toEqual([
      {
        path: 'deployment.bootstrap',
        value: { managementAccountRoleName: 'OrgAdmin' },
        allowed: expect.stringContaining(
          'a "tfc" backend (Terraform Cloud OIDC), an "s3" backend\'s githubRoleName (GitHub OIDC) or bootstrap.trustedPrincipalArns',
        ),
      },
    ]);
  });

  test("with an S3 backend's githubRoleName, each account's deploy role trusts that account's GitHub role (and the listed principals)", () => {
    const s3 = resolveMatrix(
      base({
        deployment: {
          backend: { type: 's3', bucket: 'tf-state-bucket', region: 'us-east-1', githubRoleName: 'gh-deploy' },
          bootstrap: { managementAccountRoleName: 'OrgAdmin', trustedPrincipalArns: ['arn:aws:iam::999999999999:role/Ops'] },
        },
      }),
    );
    expect(s3.bootstraps.length).toBeGreaterThan(1);
    for (const b of s3.bootstraps)
      expect(b.trustedPrincipalArns).toEqual([`arn:aws:iam::${b.accountId}:role/gh-deploy`, 'arn:aws:iam::999999999999:role/Ops']);
  });

  test('the management account is bootstrapped with managementAccountRoleName, an invited account with its adminRoleName, the others with OrganizationAccountAccessRole', () => {
    const roleOf = (c: ReturnType<typeof resolveMatrix>, id: string) =>
      c.bootstraps.find((b) => b.accountId === id)!.identity.assumeRole!.roleArn;
    expect(roleOf(config, MGMT)).toBe(`arn:aws:iam::${MGMT}:role/OrgAdmin`);
    expect(roleOf(config, PROD)).toBe(`arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`);
    const invited = resolveMatrix({ ...m, accounts: m.accounts.map((a) => (a.id === DEV ? { ...a, adminRoleName: 'PlatformAdmin' } : a)) });
    expect(roleOf(invited, DEV)).toBe(`arn:aws:iam::${DEV}:role/PlatformAdmin`);
    expect(roleOf(invited, PROD)).toBe(`arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`);
    expect(roleOf(invited, MGMT)).toBe(`arn:aws:iam::${MGMT}:role/OrgAdmin`);
    // The bootstrap stack's provider assumes it.
    const dev = invited.bootstraps.find((b) => b.accountId === DEV)!;
    expect(JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), dev))).provider.aws[0].assume_role).toEqual([
      { role_arn: `arn:aws:iam::${DEV}:role/PlatformAdmin` },
    ]);
  });

  test("the logging SCP lets every member account's bootstrap role write the deploy role: an invited account's adminRoleName too", () => {
    const mm = base({
      deployment: { backend: { type: 'tfc', organization: 'acme-corp' }, bootstrap: { managementAccountRoleName: 'OrgAdmin' } },
      organizationPolicies: { protectLoggingScp: { targetIds: ['ou-abcd-11111111'] } },
      accounts: base().accounts.map((a) => (a.id === DEV ? { ...a, adminRoleName: 'PlatformAdmin' } : a)),
    });
    const c = resolveMatrix(mm);
    expect(c.management!.bootstrapAdminRoleName).toEqual(['OrganizationAccountAccessRole', 'PlatformAdmin']);
    const scp = JSON.parse(
      JSON.parse(Testing.synth(new ManagementStack(Testing.app(), c.management!))).resource.aws_organizations_policy.protect_logging_chain
        .content,
    );
    const exempt = scp.Statement.find((x: PolicyStatement) => x.Sid === 'ProtectExemptRoles');
    for (const name of ['OrganizationAccountAccessRole', 'PlatformAdmin'])
      expect(exempt.Condition.ArnNotLike['aws:PrincipalArn']).toContain(`arn:aws:iam::*:role/${name}`);
    // One role for every member account: a single name, as before.
    expect(
      resolveMatrix(
        base({ deployment: { backend: { type: 'tfc', organization: 'acme-corp' }, bootstrap: { managementAccountRoleName: 'OrgAdmin' } } }),
      ).management!.bootstrapAdminRoleName,
    ).toBe('OrganizationAccountAccessRole');
  });

  test('managementAccountRoleName is required with bootstrap and a management account, and has no default', () => {
    const d = { backend: { type: 'tfc' as const, organization: 'acme-corp' }, bootstrap: {} };
    expect(problems(base({ deployment: d }))).toEqual([
      {
        path: 'deployment.bootstrap.managementAccountRoleName',
        value: undefined,
        allowed: expect.stringContaining('an administrator role in the management account 999999999999'),
      },
    ]);
    // Without a management account, or without bootstrap, nothing is required.
    expect(problems({ ...base({ deployment: d }), managementAccountId: undefined })).toEqual([]);
    expect(problems(base({ deployment: { backend: d.backend } }))).toEqual([]);
  });

  test('the management account entry may not name a different admin role', () => {
    const mm = base({
      deployment: { backend: { type: 'tfc', organization: 'acme-corp' }, bootstrap: { managementAccountRoleName: 'OrgAdmin' } },
      accounts: [...base().accounts, { id: MGMT, regions: ['us-east-1'], adminRoleName: 'Other' }],
    });
    expect(problems(mm)).toEqual([
      {
        path: 'accounts[2].adminRoleName',
        value: 'Other',
        allowed: expect.stringContaining('the same as deployment.bootstrap.managementAccountRoleName ("OrgAdmin")'),
      },
    ]);
  });
});

describe('organization policies in the management stack', () => {
  const m = base({
    deployment: { roleName: 'lz-deployer' },
    organizationPolicies: {
      protectLoggingScp: {
        targetIds: ['ou-abcd-11111111', 'r-ab12'],
        accountVendingRoleArns: ['arn:aws:iam::*:role/AWSControlTowerExecution'],
      },
      tenantTagPolicy: { targetIds: ['ou-abcd-11111111'] },
    },
  });
  const json = Testing.synth(new ManagementStack(Testing.app(), resolveMatrix(m).management!));
  const t = JSON.parse(json);

  test('the SCPs deny changing or deleting logging to all but the deploy role (the whole chain: __tests__/policies/tamper-proofing.test.ts)', () => {
    const scp = t.resource.aws_organizations_policy.protect_logging;
    expect(scp.type).toBe('SERVICE_CONTROL_POLICY');
    expect(JSON.parse(scp.content).Statement[0]).toEqual({
      Sid: 'ProtectBedrockInvocationLogging',
      Effect: 'Deny',
      Action: ['bedrock:PutModelInvocationLoggingConfiguration', 'bedrock:DeleteModelInvocationLoggingConfiguration'],
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/lz-deployer'] } },
    });
    expect(t.resource.aws_organizations_policy.protect_logging_chain.type).toBe('SERVICE_CONTROL_POLICY');
    for (const p of ['protect_logging', 'protect_logging_chain'])
      expect(json).toHaveResourceWithProperties(OrganizationsPolicyAttachment, {
        policy_id: `\${aws_organizations_policy.${p}.id}`,
        target_id: 'r-ab12',
      });
  });

  test('the tag policy enforces the tenant key on inference profiles', () => {
    const tp = t.resource.aws_organizations_policy.tenant_tag;
    expect(tp.type).toBe('TAG_POLICY');
    expect(JSON.parse(tp.content)).toEqual({
      tags: { tenant: { tag_key: { '@@assign': 'tenant' }, enforced_for: { '@@assign': ['bedrock:application-inference-profile'] } } },
    });
    expect(Object.keys(t.resource.aws_organizations_policy_attachment).sort()).toEqual([
      'protect_logging_chain_ou_abcd_11111111',
      'protect_logging_chain_r_ab12',
      'protect_logging_ou_abcd_11111111',
      'protect_logging_r_ab12',
      'tenant_tag_ou_abcd_11111111',
    ]);
  });

  test('both are optional', () => {
    const none = JSON.parse(Testing.synth(new ManagementStack(Testing.app(), resolveMatrix(base()).management!)));
    expect(none.resource.aws_organizations_policy).toBeUndefined();
  });

  test('targets must be a root, an OU or an account', () => {
    expect(problems(base({ organizationPolicies: { protectLoggingScp: { targetIds: ['engineering'] } } }))[0]).toMatchObject({
      path: 'organizationPolicies.protectLoggingScp.targetIds[0]',
      value: 'engineering',
    });
  });
});
