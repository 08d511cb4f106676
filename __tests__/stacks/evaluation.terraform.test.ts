/**
 * Real Terraform tier: a logging stack with evaluation resources and its account's
 * bootstrap stack go through `terraform init` (local mirror), `validate` and an
 * offline `plan`; the plan shows the evaluation bucket and role as AWS gets them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize } from '../../stacks/app';
import { StackPlan, TerraformSession, requireTerraform } from '../../lib/terraform';
import { resolveMatrix } from '../helpers';
import { at } from '../../review/terraform-json';

jest.setTimeout(240_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;
const ACCOUNT = '111111111111';

maybe('evaluation resources: terraform validate and offline plan', () => {
  let session: TerraformSession;
  let outdir: string;
  let plan: StackPlan;
  beforeAll(async () => {
    const config = resolveMatrix({
      deployment: { bootstrap: { trustedPrincipalArns: ['arn:aws:iam::999999999999:role/ci'] } },
      accounts: [{ id: ACCOUNT, regions: ['eu-west-1'] }],
      models: [{ alias: 'nova', source: 'amazon.nova-pro-v1:0', crossRegion: true }],
      evaluation: { judgeModels: ['nova'], expirationDays: 30 },
    });
    session = new TerraformSession(terraform!);
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-evaluation-'));
    synthesize(config, outdir);
    const dir = path.join(outdir, 'stacks', `bedrock-logging-${ACCOUNT}-eu-west-1`);
    await session.plan(dir, { validateOnly: true, label: 'validate' });
    plan = await session.plan(dir);
    // The deploy role that manages them validates too (its policy is checked by the provider at plan).
    await session.plan(path.join(outdir, 'stacks', `bedrock-bootstrap-${ACCOUNT}`), { validateOnly: true, label: 'validate-bootstrap' });
  });
  afterAll(() => {
    session?.dispose();
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('the bucket, its settings and the role plan as creates, with the names the tools print', () => {
    const evaluation = plan.changes.filter((c) => c.address.endsWith('.evaluation'));
    expect(evaluation.map((c) => c.address).sort()).toEqual(
      [
        'aws_iam_role.evaluation',
        'aws_iam_role_policy.evaluation',
        'aws_s3_bucket.evaluation',
        'aws_s3_bucket_lifecycle_configuration.evaluation',
        'aws_s3_bucket_ownership_controls.evaluation',
        'aws_s3_bucket_policy.evaluation',
        'aws_s3_bucket_public_access_block.evaluation',
        'aws_s3_bucket_server_side_encryption_configuration.evaluation',
        'aws_s3_bucket_versioning.evaluation',
      ].sort(),
    );
    for (const c of evaluation) expect([c.address, c.actions]).toEqual([c.address, ['create']]);
    const bucket = evaluation.find((c) => c.address === 'aws_s3_bucket.evaluation')!.after;
    expect(at(bucket, 'bucket')).toBe(`bedrock-evaluation-${ACCOUNT}-eu-west-1`);
    // No Object Lock: the bucket does not ask for it (the provider computes the attribute).
    expect(at(bucket, 'object_lock_enabled')).not.toBe(true);
    const role = evaluation.find((c) => c.address === 'aws_iam_role.evaluation')!.after;
    expect(at(role, 'name')).toBe('bedrock-evaluation-eu-west-1');
  });
});
