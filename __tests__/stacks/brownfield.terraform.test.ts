/**
 * Real Terraform, offline: brownfield adoption and the cost-allocation tag switch.
 *
 * Which tier covers what:
 * - `terraform validate` passes on stacks with import blocks (adopt, oidcProvider "import").
 * - An offline plan cannot plan an import: it would read the existing resource from AWS. The
 *   session validates such a stack instead and reports the import addresses (importsNotPlanned).
 *   What an import finds is shown only by a plan in the real account.
 * - Stacks without import blocks plan offline: the bootstrap stack with oidcProvider "existing",
 *   and the management stack with costAllocationTags on and off, also against a prior state
 *   holding active tags (the provider's own actions: forget, never delete).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Matrix } from '../../config/schema';
import { synthesize } from '../../stacks/app';
import { TerraformSession, requireTerraform } from '../../lib/terraform';
import { PROD, resolveMatrix } from '../helpers';
import { awsState } from '../terraform-state';
import { at, type TerraformBody } from '../../review/terraform-json';

jest.setTimeout(600_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;
const MGMT = '999999999999';

const matrix = (oidcProvider: 'import' | 'existing', activate?: boolean): Matrix => ({
  managementAccountId: MGMT,
  deployment: {
    backend: { type: 'tfc', organization: 'acme-org' },
    bootstrap: { managementAccountRoleName: 'PlatformAdmin', oidcProvider },
  },
  ...(activate === undefined ? {} : { costAllocationTags: { activate } }),
  accounts: [{ id: PROD, environment: 'prod', regions: [{ region: 'us-east-1', adopt: ['loggingConfiguration', 'logGroup'] }] }],
  models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
  tenants: [{ id: 'acme', models: ['haiku'], monthlyBudgetUsd: 100 }],
});

/** A version-4 state holding the three tag activations, as an earlier deploy left them. */
const activeTagsState = awsState(
  '13b00000-0000-4000-8000-000000000000',
  [
    ['tenant', 'tenant'],
    ['cost_center', 'cost-center'],
    ['owner', 'owner'],
  ].map(([name, key]) => ({
    type: 'aws_ce_cost_allocation_tag',
    name,
    attributes: { id: key, tag_key: key, status: 'Active', type: 'UserDefined' },
  })),
);

maybe('brownfield adoption and cost-allocation tags, with real Terraform', () => {
  let session: TerraformSession;
  const dirs: string[] = [];
  const out = (m: Matrix) => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-brownfield-'));
    dirs.push(d);
    synthesize(resolveMatrix(m), d);
    return (stack: string) => path.join(d, 'stacks', stack);
  };
  let imported: ReturnType<typeof out>;
  let existing: ReturnType<typeof out>;
  let activated: ReturnType<typeof out>;

  beforeAll(async () => {
    session = new TerraformSession(terraform!);
    await session.warm();
    imported = out(matrix('import'));
    existing = out(matrix('existing'));
    activated = out(matrix('existing', true));
  });
  afterAll(() => {
    session?.dispose();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test('stacks with import blocks pass terraform validate, and are validated, not planned, offline', async () => {
    const logging = await session.plan(imported(`bedrock-logging-${PROD}-us-east-1`));
    expect(logging.importsNotPlanned).toEqual([
      'aws_cloudwatch_log_group.invocation_logs',
      'aws_bedrock_model_invocation_logging_configuration.this',
    ]);
    expect(logging.plan).toBeUndefined();
    const bootstrap = await session.plan(imported(`bedrock-bootstrap-${PROD}`));
    expect(bootstrap.importsNotPlanned).toEqual(['aws_iam_openid_connect_provider.terraform_cloud']);
  });

  test('oidcProvider "existing": the bootstrap stack plans the deploy role only, trusting the provider already in the account', async () => {
    const p = await session.plan(existing(`bedrock-bootstrap-${PROD}`));
    expect(p.importsNotPlanned).toBeUndefined();
    expect(p.changes.map((c) => `${c.actions.join('+')} ${c.address}`).sort()).toEqual([
      'create aws_iam_role.deploy',
      'create aws_iam_role_policy.deploy',
    ]);
    const trust = JSON.parse(at(p.changes.find((c) => c.address === 'aws_iam_role.deploy')!.after, 'assume_role_policy') as string);
    expect(trust.Statement[0].Principal).toEqual({ Federated: `arn:aws:iam::${PROD}:oidc-provider/app.terraform.io` });
  });

  test('costAllocationTags off (default): nothing to activate on a first rollout; active tags in state are forgotten, never deleted', async () => {
    const first = await session.plan(existing(`bedrock-management-${MGMT}`));
    expect(first.changes.filter((c) => c.type === 'aws_ce_cost_allocation_tag')).toEqual([]);
    const upgrade = await session.plan(existing(`bedrock-management-${MGMT}`), { state: activeTagsState, label: 'tags-off' });
    expect(upgrade.changes.filter((c) => c.type === 'aws_ce_cost_allocation_tag').map((c) => [c.address, c.actions])).toEqual([
      ['aws_ce_cost_allocation_tag.cost_center', ['forget']],
      ['aws_ce_cost_allocation_tag.owner', ['forget']],
      ['aws_ce_cost_allocation_tag.tenant', ['forget']],
    ]);
  });

  test('costAllocationTags on: three activations with prevent_destroy; against active tags in state, no change', async () => {
    const first = await session.plan(activated(`bedrock-management-${MGMT}`));
    expect(
      first.changes.filter((c) => c.type === 'aws_ce_cost_allocation_tag').map((c) => [c.address, c.actions, at(c.after, 'status')]),
    ).toEqual([
      ['aws_ce_cost_allocation_tag.cost_center', ['create'], 'Active'],
      ['aws_ce_cost_allocation_tag.owner', ['create'], 'Active'],
      ['aws_ce_cost_allocation_tag.tenant', ['create'], 'Active'],
    ]);
    const tf = JSON.parse(fs.readFileSync(path.join(activated(`bedrock-management-${MGMT}`), 'cdk.tf.json'), 'utf8'));
    for (const r of Object.values<TerraformBody>(tf.resource.aws_ce_cost_allocation_tag))
      expect(r.lifecycle).toEqual({ prevent_destroy: true });
    const kept = await session.plan(activated(`bedrock-management-${MGMT}`), { state: activeTagsState, label: 'tags-on' });
    expect(kept.changes.filter((c) => c.type === 'aws_ce_cost_allocation_tag').map((c) => c.actions)).toEqual([
      ['no-op'],
      ['no-op'],
      ['no-op'],
    ]);
  });
});
