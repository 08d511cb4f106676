/**
 * deployment.backend.github (S3 backend): each account's bootstrap stack creates GitHub's OIDC provider and the
 * githubRoleName role the generated workflows assume, so the first bootstrap is the account's only hand step.
 * The role trusts exactly the `sub` claims of the workflow jobs that assume it (checked against the rollout waves
 * and pipelineJobs), and may only assume the deploy role and use its account's state, which the IAM simulator
 * (@cloud-copilot/iam-simulate, test-only) decides on the synthesized policy.
 */
import { TerraformStack, Testing } from 'cdktf';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { Matrix } from '../../config/schema';
import { pipelineJobs, rolloutWaves } from '../../config/select';
import { addStacks } from '../../stacks/app';
import { githubRolePolicy, githubRoleTrustPolicy } from '../../policies/github-role-policies';
import { DEV, PROD, problems, resolveMatrix } from '../helpers';

const MGMT = '999999999999';
const MONITORING = '333333333333';
const BUCKET = 'org-terraform-state';
const REPO = 'acme/landing-zone';

const matrix = (github: object = { repository: REPO }, backend: object = {}): Matrix =>
  ({
    managementAccountId: MGMT,
    deployment: {
      backend: { type: 's3', bucket: BUCKET, region: 'us-east-1', githubRoleName: 'lz-github', github, ...backend },
      bootstrap: { managementAccountRoleName: 'OrgAdmin' },
    },
    accounts: [
      { id: PROD, environment: 'prod', regions: ['us-east-1', 'eu-west-1'] },
      { id: DEV, environment: 'dev', regions: ['us-east-1'] },
      { id: MONITORING, environment: 'prod', regions: ['us-east-1'] },
    ],
    observability: { monitoringAccountId: MONITORING },
  }) as Matrix;

/** The fields of a synthesized stack these tests read. */
interface Body {
  [key: string]: unknown;
  name?: string;
  assume_role_policy: string;
  policy: string;
  depends_on?: string[];
}
interface Stack {
  resource: Record<string, Record<string, Body>>;
  output: Record<string, { value: unknown }>;
  import?: unknown[];
}

function synthAll(m: Matrix): Record<string, Stack> {
  const app = Testing.app();
  addStacks(app, resolveMatrix(m));
  return Object.fromEntries(app.node.children.map((s) => [s.node.id, JSON.parse(Testing.synth(s as TerraformStack)) as Stack]));
}

const all = synthAll(matrix());
const bootstrap = (account: string, tf = all) => tf[`bedrock-bootstrap-${account}`];
const subjects = (tf: Stack) =>
  JSON.parse(tf.resource.aws_iam_role.github.assume_role_policy).Statement[0].Condition.StringEquals[
    'token.actions.githubusercontent.com:sub'
  ];

test('every bootstrap stack creates the OIDC provider, the GitHub role and its policy at fixed addresses, before the deploy role', () => {
  for (const account of [PROD, DEV, MONITORING, MGMT]) {
    const r = bootstrap(account).resource;
    expect(Object.keys(r.aws_iam_openid_connect_provider)).toEqual(['github_actions']);
    expect(r.aws_iam_openid_connect_provider.github_actions).toMatchObject({
      url: 'https://token.actions.githubusercontent.com',
      client_id_list: ['sts.amazonaws.com'],
    });
    // No thumbprint_list: optional in provider 5.x (policies/github-role-policies.ts, stacks/bootstrap-stack.ts).
    expect(r.aws_iam_openid_connect_provider.github_actions.thumbprint_list).toBeUndefined();
    expect(Object.keys(r.aws_iam_role).sort()).toEqual(['deploy', 'github']);
    expect(r.aws_iam_role.github).toMatchObject({ name: 'lz-github', depends_on: ['aws_iam_openid_connect_provider.github_actions'] });
    expect(r.aws_iam_role_policy.github).toMatchObject({ name: 'bedrock-governance-pipeline', role: '${aws_iam_role.github.name}' });
    // IAM refuses a trust policy naming a role that does not exist yet: the deploy role trusts the GitHub role, so it waits.
    expect(r.aws_iam_role.deploy.depends_on).toEqual(['aws_iam_role.github']);
    expect(JSON.parse(r.aws_iam_role.deploy.assume_role_policy).Statement[0].Principal).toEqual({
      AWS: [`arn:aws:iam::${account}:role/lz-github`],
    });
    expect(bootstrap(account).output.github_role_arn.value).toBe('${aws_iam_role.github.arn}');
  }
});

test('the trust policy is the pure function output: GitHub tokens for sts.amazonaws.com, of exactly the subjects of the jobs', () => {
  const config = resolveMatrix(matrix());
  for (const b of config.bootstraps) {
    const doc = JSON.parse(bootstrap(b.accountId).resource.aws_iam_role.github.assume_role_policy);
    expect(doc).toEqual(githubRoleTrustPolicy({ partition: 'aws', accountId: b.accountId, subjects: b.github!.subjects }));
    expect(doc.Statement).toEqual([
      {
        Sid: 'GitHubActionsWorkflows',
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${b.accountId}:oidc-provider/token.actions.githubusercontent.com` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': expect.any(Array),
          },
        },
      },
    ]);
    expect(JSON.parse(bootstrap(b.accountId).resource.aws_iam_role_policy.github.policy)).toEqual(
      githubRolePolicy({ partition: 'aws', accountId: b.accountId, deployRoleName: b.deployRoleName, state: b.github!.state }),
    );
  }
  expect(subjects(bootstrap(PROD))).toEqual([
    `repo:${REPO}:ref:refs/heads/main`,
    `repo:${REPO}:pull_request`,
    `repo:${REPO}:environment:decommission`,
    `repo:${REPO}:environment:prod`,
  ]);
  expect(subjects(bootstrap(MONITORING))).toContain(`repo:${REPO}:environment:monitoring`);
  expect(subjects(bootstrap(MGMT))).toContain(`repo:${REPO}:environment:management`);
  expect(subjects(bootstrap(MGMT))).not.toContain(`repo:${REPO}:environment:prod`);
});

test("each account's role trusts the environment of every wave whose jobs assume it (deploy-wave.yml: apply in the wave's environment)", () => {
  const config = resolveMatrix(matrix());
  let checked = 0;
  for (const w of rolloutWaves(config).filter((w) => w.wave !== 'bootstrap'))
    for (const job of pipelineJobs(config, w.stacks)) {
      expect(job.role).toBe(`arn:aws:iam::${job.account}:role/lz-github`);
      expect([w.wave, job.account, subjects(bootstrap(job.account))]).toEqual([
        w.wave,
        job.account,
        expect.arrayContaining([`repo:${REPO}:environment:${w.wave}`]),
      ]);
      checked++;
    }
  // prod: PROD and MONITORING, dev: DEV, monitoring: MONITORING, management: MGMT.
  expect(checked).toBe(5);
});

test('oidcProvider "import" adopts the provider with an import block; "existing" creates none and trusts it by ARN', () => {
  const imported = bootstrap(DEV, synthAll(matrix({ repository: REPO, oidcProvider: 'import' })));
  expect(imported.import).toEqual([
    { id: `arn:aws:iam::${DEV}:oidc-provider/token.actions.githubusercontent.com`, to: 'aws_iam_openid_connect_provider.github_actions' },
  ]);
  const existing = bootstrap(DEV, synthAll(matrix({ repository: REPO, oidcProvider: 'existing' })));
  expect(existing.resource.aws_iam_openid_connect_provider).toBeUndefined();
  expect(existing.resource.aws_iam_role.github.depends_on).toBeUndefined();
  expect(JSON.parse(existing.resource.aws_iam_role.github.assume_role_policy).Statement[0].Principal).toEqual({
    Federated: `arn:aws:iam::${DEV}:oidc-provider/token.actions.githubusercontent.com`,
  });
});

test('without deployment.backend.github, nothing changes: no provider or GitHub role, and the deploy role waits for nothing', () => {
  const m = matrix();
  delete (m.deployment!.backend as { github?: unknown }).github;
  const plain = bootstrap(DEV, synthAll(m));
  expect(plain.resource.aws_iam_openid_connect_provider).toBeUndefined();
  expect(Object.keys(plain.resource.aws_iam_role)).toEqual(['deploy']);
  expect(plain.resource.aws_iam_role.deploy.depends_on).toBeUndefined();
});

test('the matrix checks: githubRoleName, bootstrap stacks and a deploy role to assume', () => {
  const m = matrix();
  expect(problems(m)).toEqual([]);
  expect(problems({ ...m, deployment: { ...m.deployment, assumeRole: false } })).toEqual([
    expect.objectContaining({ path: 'deployment.assumeRole', value: false }),
  ]);
  expect(
    problems({ ...m, deployment: { ...m.deployment, backend: { ...m.deployment!.backend, github: { repository: 'acme' } } } }),
  ).toEqual([expect.objectContaining({ path: 'deployment.backend.github.repository', allowed: expect.stringContaining('owner/name') })]);
});

type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** The synthesized GitHub role policy of `account` deciding one request of that role. */
async function decide(tf: Record<string, Stack>, account: string, action: string, resource: string): Promise<Decision> {
  const policy = JSON.parse(bootstrap(account, tf).resource.aws_iam_role_policy.github.policy);
  const simulation: Simulation = {
    request: {
      principal: `arn:aws:iam::${account}:role/lz-github`,
      action,
      resource: { resource, accountId: account },
      contextVariables: {},
    },
    identityPolicies: [{ name: 'github', policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: undefined,
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}

describe('the GitHub role policy, simulated', () => {
  const key = (stack: string) => `arn:aws:s3:::${BUCKET}/bedrock-governance/${stack}/terraform.tfstate`;

  test("it assumes its account's deploy role and no other role", async () => {
    expect(await decide(all, PROD, 'sts:AssumeRole', `arn:aws:iam::${PROD}:role/bedrock-governance-deploy`)).toBe('Allowed');
    expect(await decide(all, PROD, 'sts:AssumeRole', `arn:aws:iam::${DEV}:role/bedrock-governance-deploy`)).toBe('ImplicitlyDenied');
    expect(await decide(all, PROD, 'sts:AssumeRole', `arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`)).toBe('ImplicitlyDenied');
    expect(await decide(all, PROD, 'sts:TagSession', `arn:aws:iam::${PROD}:role/bedrock-governance-deploy`)).toBe('ImplicitlyDenied');
    expect(await decide(all, PROD, 'iam:CreateRole', `arn:aws:iam::${PROD}:role/x`)).toBe('ImplicitlyDenied');
  });

  test("it reads and writes its account's state and lock objects, and deletes only the locks", async () => {
    for (const stack of [`bedrock-logging-${PROD}-us-east-1`, `bedrock-logging-${PROD}-eu-west-1`])
      for (const k of [key(stack), `${key(stack)}.tflock`])
        for (const action of ['s3:GetObject', 's3:PutObject'])
          expect([k, action, await decide(all, PROD, action, k)]).toEqual([k, action, 'Allowed']);
    const logging = key(`bedrock-logging-${PROD}-us-east-1`);
    expect(await decide(all, PROD, 's3:DeleteObject', `${logging}.tflock`)).toBe('Allowed');
    expect(await decide(all, PROD, 's3:DeleteObject', logging)).toBe('ImplicitlyDenied');
    expect(await decide(all, PROD, 's3:ListBucket', `arn:aws:s3:::${BUCKET}`)).toBe('Allowed');
    expect(await decide(all, MGMT, 's3:PutObject', key(`bedrock-management-${MGMT}`))).toBe('Allowed');
  });

  test("another account's state is denied, except reading the monitoring stack that its logging stacks link to", async () => {
    expect(await decide(all, PROD, 's3:GetObject', key(`bedrock-logging-${DEV}-us-east-1`))).toBe('ImplicitlyDenied');
    expect(await decide(all, PROD, 's3:PutObject', key(`bedrock-management-${MGMT}`))).toBe('ImplicitlyDenied');
    expect(await decide(all, PROD, 's3:GetObject', `arn:aws:s3:::${BUCKET}/other/terraform.tfstate`)).toBe('ImplicitlyDenied');
    const monitoring = key(`bedrock-monitoring-${MONITORING}-us-east-1`);
    expect(await decide(all, PROD, 's3:GetObject', monitoring)).toBe('Allowed');
    expect(await decide(all, PROD, 's3:PutObject', monitoring)).toBe('ImplicitlyDenied');
    // DEV has a logging stack in us-east-1 only: it links to that region's sink, not eu-west-1's (PROD's other region).
    expect(await decide(all, DEV, 's3:GetObject', monitoring)).toBe('Allowed');
    expect(await decide(all, DEV, 's3:GetObject', key(`bedrock-monitoring-${MONITORING}-eu-west-1`))).toBe('ImplicitlyDenied');
  });

  test("with the backend's roleArn it assumes that role for the state, and touches no state object itself", async () => {
    const stateRole = `arn:aws:iam::${MGMT}:role/terraform-state`;
    const tf = synthAll(matrix({ repository: REPO }, { roleArn: stateRole }));
    expect(await decide(tf, PROD, 'sts:AssumeRole', stateRole)).toBe('Allowed');
    expect(await decide(tf, PROD, 'sts:AssumeRole', `arn:aws:iam::${PROD}:role/bedrock-governance-deploy`)).toBe('Allowed');
    expect(await decide(tf, PROD, 's3:GetObject', key(`bedrock-logging-${PROD}-us-east-1`))).toBe('ImplicitlyDenied');
    expect(await decide(tf, PROD, 's3:ListBucket', `arn:aws:s3:::${BUCKET}`)).toBe('ImplicitlyDenied');
  });
});
