/**
 * Real Terraform, offline: tenant IDs in mixed case, with digits first, "_" and "-" validate and
 * plan, with the IDs carried exactly into names, tags and budget filters, and Terraform-safe
 * addresses. (Only the API checks the profile name pattern at apply; the matrix checks it first.)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Matrix } from '../../config/schema';
import { synthesize } from '../../stacks/app';
import { TerraformSession, requireTerraform } from '../../lib/terraform';
import { PROD, resolveMatrix } from '../helpers';
import { at } from '../../review/terraform-json';

jest.setTimeout(600_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;
const MGMT = '999999999999';
const IDS = ['Initech_EU', '1acme', 'a_b', 'a-b'];

const matrix: Matrix = {
  managementAccountId: MGMT,
  accounts: [{ id: PROD, regions: ['us-east-1'] }],
  models: [{ alias: 'haiku', source: 'anthropic.claude-3-haiku-20240307-v1:0' }],
  tenants: IDS.map((id) => ({ id, models: ['haiku'], monthlyBudgetUsd: 10 })),
  analytics: { alarms: { tenantDailyTokens: Object.fromEntries(IDS.map((id) => [id, 1000])) } },
};

maybe('tenant IDs as tenants name them, with real Terraform', () => {
  let session: TerraformSession;
  let dir: string;
  beforeAll(() => {
    session = new TerraformSession(terraform!);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-tenant-ids-'));
    synthesize(resolveMatrix(matrix), dir);
  });
  afterAll(() => {
    session?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the logging and management stacks validate and plan; names and tags carry each ID exactly', async () => {
    const [logging, mgmt] = await session.planDirs([
      path.join(dir, 'stacks', `bedrock-logging-${PROD}-us-east-1`),
      path.join(dir, 'stacks', `bedrock-management-${MGMT}`),
    ]);
    const profiles = logging.changes.filter((c) => c.type === 'aws_bedrock_inference_profile');
    expect(profiles.map((c) => [c.address, at(c.after, 'name'), at(c.after, 'tags', 'tenant')]).sort()).toEqual(
      [
        ['aws_bedrock_inference_profile._1acme__haiku', '1acme-haiku', '1acme'],
        ['aws_bedrock_inference_profile.Initech_EU__haiku', 'Initech_EU-haiku', 'Initech_EU'],
        ['aws_bedrock_inference_profile.a-b__haiku', 'a-b-haiku', 'a-b'],
        ['aws_bedrock_inference_profile.a_b__haiku', 'a_b-haiku', 'a_b'],
      ].sort(),
    );
    expect(
      logging.changes
        .filter((c) => c.type === 'aws_iam_policy')
        .map((c) => String(at(c.after, 'name')))
        .sort(),
    ).toEqual(IDS.map((id) => `bedrock-invoke-${id}-us-east-1`).sort());
    expect(logging.changes.filter((c) => c.address.startsWith('aws_cloudwatch_metric_alarm.tenant_tokens')).length).toBe(4);
    const budgets = mgmt.changes.filter((c) => c.type === 'aws_budgets_budget');
    expect(budgets.map((c) => [at(c.after, 'name'), at(c.after, 'cost_filter', 0, 'values', 0)]).sort()).toEqual(
      IDS.map((id) => [`bedrock-tenant-${id}`, `user:tenant$${id}`]).sort(),
    );
    for (const c of [...logging.changes, ...mgmt.changes]) expect(c.actions).toEqual(['create']);
  });
});
