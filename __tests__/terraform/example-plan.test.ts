/**
 * Real Terraform tier: synthesize, then `terraform init` (from the local provider
 * mirror), `validate` and an offline `plan` of every stack, and assert on the
 * plan JSON, which is what users will deploy.
 * Without a terraform binary this fails; SKIP_TERRAFORM_TESTS=1 skips it on purpose.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { synthesize } from '../../stacks/app';
import { StackPlan, TerraformSession, requireTerraform } from '../../tools/terraform';
import { resolveMatrix } from '../helpers';

jest.setTimeout(240_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;
if (!terraform) console.warn('SKIP_TERRAFORM_TESTS=1: the real Terraform tier is skipped');

const FULL_STACK = {
  aws_bedrock_model_invocation_logging_configuration: 1,
  aws_cloudwatch_log_group: 1,
  aws_iam_role: 1,
  aws_iam_role_policy: 1,
  aws_kms_alias: 1,
  aws_kms_key: 1,
  aws_s3_bucket: 1,
  aws_s3_bucket_lifecycle_configuration: 1,
  aws_s3_bucket_ownership_controls: 1,
  aws_s3_bucket_policy: 1,
  aws_s3_bucket_public_access_block: 1,
  aws_s3_bucket_server_side_encryption_configuration: 1,
  aws_s3_bucket_versioning: 1,
};

function countByType(p: StackPlan): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of p.changes) out[c.type] = (out[c.type] ?? 0) + 1;
  return out;
}

maybe('terraform validate and offline plan', () => {
  let session: TerraformSession;
  let outdir: string;
  let plans: StackPlan[];

  // The embedded example plus a variant account: S3 only, a brought key, another partition.
  const VARIANT = '444444444444';
  const matrix = {
    ...EXAMPLE_MATRIX,
    accounts: [
      ...EXAMPLE_MATRIX.accounts,
      {
        id: VARIANT,
        regions: [
          {
            region: 'us-gov-west-1',
            logging: { destinations: ['s3' as const], kmsKeyArn: `arn:aws-us-gov:kms:us-gov-west-1:${VARIANT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
          },
        ],
      },
    ],
  };
  const config = resolveMatrix(matrix);

  beforeAll(async () => {
    session = new TerraformSession(terraform!);
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-synth-'));
    synthesize(config, outdir);
    plans = await session.planAll(outdir);
  });
  afterAll(() => {
    session?.dispose();
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('every stack of the matrix was planned', () => {
    expect(plans.map((p) => p.stack).sort()).toEqual(config.stacks.map((s) => s.stackName).sort());
  });

  test('every planned change is a create', () => {
    for (const p of plans) for (const c of p.changes) expect({ address: `${p.stack}/${c.address}`, actions: c.actions }).toEqual({ address: `${p.stack}/${c.address}`, actions: ['create'] });
  });

  test('the example stacks plan exactly the full set of resources', () => {
    for (const p of plans.filter((x) => !x.stack.includes(VARIANT))) expect({ stack: p.stack, counts: countByType(p) }).toEqual({ stack: p.stack, counts: FULL_STACK });
  });

  test('the S3-only stack with a brought key plans no key, log group or role', () => {
    const p = plans.find((x) => x.stack.includes(VARIANT))!;
    expect(countByType(p)).toEqual({
      aws_bedrock_model_invocation_logging_configuration: 1,
      aws_s3_bucket: 1,
      aws_s3_bucket_lifecycle_configuration: 1,
      aws_s3_bucket_ownership_controls: 1,
      aws_s3_bucket_policy: 1,
      aws_s3_bucket_public_access_block: 1,
      aws_s3_bucket_server_side_encryption_configuration: 1,
      aws_s3_bucket_versioning: 1,
    });
    const sse = p.changes.find((c) => c.type === 'aws_s3_bucket_server_side_encryption_configuration')!;
    expect(sse.after.rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id).toMatch(/^arn:aws-us-gov:kms:us-gov-west-1:444444444444:key\//);
  });

  test('the plan carries the delivery flags and destinations of the matrix', () => {
    const dev = plans.find((x) => x.stack === 'bedrock-logging-222222222222-us-east-1')!;
    const cfg = dev.changes.find((c) => c.type === 'aws_bedrock_model_invocation_logging_configuration')!.after.logging_config;
    expect(cfg).toMatchObject({
      text_data_delivery_enabled: true,
      image_data_delivery_enabled: false,
      embedding_data_delivery_enabled: true,
      video_data_delivery_enabled: false,
      // In provider 5.x these nested blocks are single objects (6.x makes them lists).
      s3_config: { key_prefix: 'invocation-logs' },
      cloudwatch_config: { log_group_name: '/bedrock/model-invocation-logs', large_data_delivery_s3_config: { key_prefix: 'large-data' } },
    });
    const bucket = dev.changes.find((c) => c.type === 'aws_s3_bucket')!.after;
    expect(bucket).toMatchObject({ bucket: 'bedrock-invocation-logs-222222222222-us-east-1', force_destroy: false });
    const group = dev.changes.find((c) => c.type === 'aws_cloudwatch_log_group')!.after;
    expect(group).toMatchObject({ retention_in_days: 30, skip_destroy: true });
    expect(group.tags_all).toMatchObject({ 'managed-by': 'bedrock-governance', environment: 'dev', stack: dev.stack });
  });
});
