/**
 * Real Terraform with every backend kind and the rollout stacks, through the
 * batched verifier (npm run verify): every stack validated (`init -backend=false`,
 * as Terraform Cloud and S3 backends need a network), one stack per shape planned
 * offline; with the local backend, bootstrap stacks and the organization
 * organization policies are planned too.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadMatrixFile } from '../../config/load';
import type { Matrix } from '../../config/schema';
import { synthesize } from '../../stacks/app';
import { StackPlan, TerraformSession, requireTerraform } from '../../lib/terraform';
import { VerifyResult, verifyTree } from '../../tools/rollout/verify';
import { DEV, PROD, resolveMatrix } from '../helpers';
import { at } from '../../review/terraform-json';

jest.setTimeout(300_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;
const MGMT = '999999999999';

maybe('terraform with every backend kind', () => {
  let session: TerraformSession;
  const dirs: string[] = [];
  const out = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-backends-'));
    dirs.push(d);
    return d;
  };
  let tfc: { names: string[]; result: VerifyResult };
  let s3: { names: string[]; result: VerifyResult };
  let local: StackPlan[];

  const s3Matrix: Matrix = {
    managementAccountId: MGMT,
    deployment: {
      // github: the bootstrap stacks create GitHub's OIDC provider and the githubRoleName role (stacks/bootstrap-stack.ts).
      backend: {
        type: 's3',
        bucket: 'org-terraform-state',
        region: 'us-east-1',
        githubRoleName: 'lz-github',
        github: { repository: 'acme/landing-zone' },
      },
      bootstrap: { managementAccountRoleName: 'OrgAdmin', trustedPrincipalArns: [`arn:aws:iam::${MGMT}:role/ci`] },
    },
    accounts: [{ id: DEV, environment: 'dev', regions: ['eu-central-1'] }],
  };
  const localMatrix: Matrix = {
    managementAccountId: MGMT,
    deployment: {
      roleName: 'lz-deployer',
      bootstrap: { managementAccountRoleName: 'OrgAdmin', trustedPrincipalArns: [`arn:aws:iam::${MGMT}:role/ci`] },
    },
    organizationPolicies: { protectLoggingScp: { targetIds: ['ou-abcd-11111111'] }, tenantTagPolicy: { targetIds: ['ou-abcd-11111111'] } },
    accounts: [{ id: PROD, environment: 'prod', regions: ['us-west-2'], logging: { destinations: ['cloudwatch'] } }],
  };

  beforeAll(async () => {
    session = new TerraformSession(terraform!);
    const tfcOut = out();
    const tfcConfig = loadMatrixFile(path.join(__dirname, '..', '..', 'examples', 'terraform-cloud.yaml'));
    synthesize(tfcConfig, tfcOut);
    const s3Out = out();
    synthesize(resolveMatrix(s3Matrix), s3Out);
    const localOut = out();
    synthesize(resolveMatrix(localMatrix), localOut);
    // Validation of every stack; the plans of these stack kinds are covered below and in example-plan.test.ts.
    tfc = { names: fs.readdirSync(path.join(tfcOut, 'stacks')).sort(), result: await verifyTree(tfcOut, session, { plan: false }) };
    s3 = { names: fs.readdirSync(path.join(s3Out, 'stacks')).sort(), result: await verifyTree(s3Out, session, { plan: false }) };
    local = await session.planAll(localOut);
  });
  afterAll(() => {
    session?.dispose();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test('every stack of the Terraform Cloud example validates: bootstrap, logging and management', () => {
    expect(tfc.names).toEqual([
      'bedrock-bootstrap-111111111111',
      'bedrock-bootstrap-222222222222',
      'bedrock-bootstrap-999999999999',
      'bedrock-logging-111111111111-eu-west-1',
      'bedrock-logging-111111111111-us-east-1',
      'bedrock-logging-222222222222-us-east-1',
      'bedrock-management-999999999999',
    ]);
    expect(tfc.result).toMatchObject({ stacks: 7, batches: 1, plans: [] });
  });

  test('every stack with the S3 backend validates', () => {
    expect(s3.names).toEqual([
      `bedrock-bootstrap-${DEV}`,
      `bedrock-bootstrap-${MGMT}`,
      `bedrock-logging-${DEV}-eu-central-1`,
      `bedrock-management-${MGMT}`,
    ]);
    expect(s3.result).toMatchObject({ stacks: 4, batches: 1 });
  });

  test('a stack with a remote backend still plans offline, with a scratch local state', async () => {
    const [plan] = await session.planDirs([path.join(dirs[1], 'stacks', `bedrock-logging-${DEV}-eu-central-1`)]);
    // 13 logging resources; analytics: Athena 10 and its query-result bucket 7 (a private bucket: docs/athena-results.md),
    // metric filters 4, saved queries 5, data protection 1, dashboard 1, the alarm topic (key, alias, topic, policy) 4
    // and the three delivery alarms: S3, CloudWatch and large data (no models, so no model alarms); the unlogged-traffic
    // dashboard and alarm 2 (no loggedInferenceOnly SCP: bedrock-mantle is open, and watched).
    expect(plan.changes.length).toBe(13 + 10 + 7 + 4 + 5 + 1 + 1 + 4 + 3 + 2);
    expect(plan.changes.every((c) => c.actions.join() === 'create')).toBe(true);
  });

  test("with deployment.backend.github an S3 bootstrap stack plans offline: GitHub's OIDC provider, the GitHub role and the deploy role", async () => {
    const [plan] = await session.planDirs([path.join(dirs[1], 'stacks', `bedrock-bootstrap-${DEV}`)]);
    expect(plan.changes.map((c) => `${c.actions.join('+')} ${c.address}`).sort()).toEqual([
      'create aws_iam_openid_connect_provider.github_actions',
      'create aws_iam_role.deploy',
      'create aws_iam_role.github',
      'create aws_iam_role_policy.deploy',
      'create aws_iam_role_policy.github',
    ]);
    const provider = plan.changes.find((c) => c.type === 'aws_iam_openid_connect_provider')!.after;
    expect(provider).toMatchObject({ url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] });
    const github = plan.changes.find((c) => c.address === 'aws_iam_role.github')!.after;
    expect(at(github, 'name')).toBe('lz-github');
    expect(
      at(
        JSON.parse(at(github, 'assume_role_policy') as string),
        'Statement',
        0,
        'Condition',
        'StringEquals',
        'token.actions.githubusercontent.com:sub',
      ),
    ).toContain('repo:acme/landing-zone:environment:dev');
    const deploy = plan.changes.find((c) => c.address === 'aws_iam_role.deploy')!.after;
    expect(at(JSON.parse(at(deploy, 'assume_role_policy') as string), 'Statement', 0, 'Principal', 'AWS')).toEqual([
      `arn:aws:iam::${DEV}:role/lz-github`,
      `arn:aws:iam::${MGMT}:role/ci`,
    ]);
  });

  test('bootstrap stacks plan the deploy role and its policy', () => {
    const counts = (p: StackPlan) => p.changes.map((c) => `${c.actions.join('+')} ${c.address}`).sort();
    expect(counts(local.find((p) => p.stack === `bedrock-bootstrap-${PROD}`)!)).toEqual([
      'create aws_iam_role.deploy',
      'create aws_iam_role_policy.deploy',
    ]);
    const role = local.find((p) => p.stack === `bedrock-bootstrap-${PROD}`)!.changes.find((c) => c.type === 'aws_iam_role')!.after;
    expect(at(role, 'name')).toBe('lz-deployer');
    expect(at(JSON.parse(at(role, 'assume_role_policy') as string), 'Statement', 0, 'Principal')).toEqual({
      AWS: [`arn:aws:iam::${MGMT}:role/ci`],
    });
  });

  test('the management stack plans the SCP, the tag policy and their attachments', () => {
    const m = local.find((p) => p.stack === `bedrock-management-${MGMT}`)!;
    const orgs = m.changes.filter((c) => c.type.startsWith('aws_organizations_')).map((c) => `${c.actions.join('+')} ${c.address}`);
    expect(orgs.sort()).toEqual([
      'create aws_organizations_policy.protect_logging',
      'create aws_organizations_policy.protect_logging_chain',
      'create aws_organizations_policy.tenant_tag',
      'create aws_organizations_policy_attachment.protect_logging_chain_ou_abcd_11111111',
      'create aws_organizations_policy_attachment.protect_logging_ou_abcd_11111111',
      'create aws_organizations_policy_attachment.tenant_tag_ou_abcd_11111111',
    ]);
    const scp = m.changes.find((c) => c.address === 'aws_organizations_policy.protect_logging')!.after;
    expect(at(scp, 'type')).toBe('SERVICE_CONTROL_POLICY');
    expect(at(JSON.parse(at(scp, 'content') as string), 'Statement', 0, 'Condition')).toEqual({
      ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/lz-deployer'] },
    });
  });

  test('the CloudWatch-only logging stack with a deploy role plans offline', () => {
    const l = local.find((p) => p.stack === `bedrock-logging-${PROD}-us-west-2`)!;
    expect(l.changes.every((c) => c.actions.join() === 'create')).toBe(true);
    expect(
      at(l.changes.find((c) => c.type === 'aws_bedrock_model_invocation_logging_configuration')!.after, 'logging_config', 's3_config'),
    ).toBeNull();
  });
});
