/**
 * Real Terraform (provider 5.100 from the local mirror, offline): the usage workgroup's
 * query results go to a bucket of their own, with or without Object Lock on the log
 * bucket. A logging stack with Object Lock and Athena validates and plans: the log
 * bucket is locked, the results bucket is not, and the workgroup writes there. From a
 * state that holds the workgroup of an earlier version (results under the log bucket's
 * athena-results/ prefix), the upgrade updates the workgroup in place and creates the
 * results bucket: nothing is replaced or destroyed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Matrix } from '../../config/schema';
import { synthesize } from '../../stacks/app';
import { StackPlan, TerraformSession, requireTerraform } from '../../lib/terraform';
import { PROD, resolveMatrix } from '../helpers';
import { awsState } from '../terraform-state';
import { asObject, at } from '../../review/terraform-json';

jest.setTimeout(240_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;

const STACK = `bedrock-logging-${PROD}-us-east-1`;
const LOG_BUCKET = `bedrock-invocation-logs-${PROD}-us-east-1`;
const RESULTS_BUCKET = `bedrock-athena-results-${PROD}-us-east-1`;
const matrix: Matrix = {
  accounts: [
    {
      id: PROD,
      regions: ['us-east-1'],
      logging: { destinations: ['s3'], objectLock: { mode: 'GOVERNANCE', days: 365 }, lifecycle: { expirationDays: 400 } },
    },
  ],
  analytics: { athena: { resultsExpirationDays: 3 }, alarms: false, dashboard: false },
};

maybe('Athena query results in their own bucket, with Object Lock on the log bucket', () => {
  let session: TerraformSession;
  let outdir: string;
  let dir: string;
  let plan: StackPlan;

  beforeAll(async () => {
    session = new TerraformSession(terraform!);
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-athena-results-'));
    synthesize(resolveMatrix(matrix), outdir);
    dir = path.join(outdir, 'stacks', STACK);
    await session.plan(dir, { validateOnly: true, label: 'validate' });
    plan = await session.plan(dir);
  });
  afterAll(() => {
    session?.dispose();
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });
  const change = (p: StackPlan, address: string) => {
    const c = p.changes.find((x) => x.address === address);
    if (!c) throw new Error(`${address} is not in the plan: ${p.changes.map((x) => x.address).join(', ')}`);
    return c;
  };

  test('the log bucket is locked, the results bucket is not; the workgroup writes to the results bucket, which expires them', () => {
    expect(change(plan, 'aws_s3_bucket.invocation_logs').after).toMatchObject({ bucket: LOG_BUCKET, object_lock_enabled: true });
    expect(plan.changes.filter((c) => c.type === 'aws_s3_bucket_object_lock_configuration').map((c) => c.address)).toEqual([
      'aws_s3_bucket_object_lock_configuration.invocation_logs',
    ]);
    expect(change(plan, 'aws_s3_bucket.athena_results').after).toMatchObject({ bucket: RESULTS_BUCKET, force_destroy: false });
    expect(at(change(plan, 'aws_s3_bucket.athena_results').after, 'object_lock_enabled')).not.toBe(true);
    const rc = at(change(plan, 'aws_athena_workgroup.usage').after, 'configuration', 0, 'result_configuration', 0);
    expect(rc).toMatchObject({ output_location: `s3://${RESULTS_BUCKET}/`, expected_bucket_owner: PROD });
    expect(at(rc, 'encryption_configuration', 0, 'encryption_option')).toBe('SSE_KMS');
    expect(at(change(plan, 'aws_s3_bucket_lifecycle_configuration.athena_results').after, 'rule', 0, 'expiration', 0, 'days')).toBe(3);
    expect(
      at(
        change(plan, 'aws_s3_bucket_server_side_encryption_configuration.athena_results').after,
        'rule',
        0,
        'apply_server_side_encryption_by_default',
        0,
        'sse_algorithm',
      ),
    ).toBe('aws:kms');
  });

  test('an existing landing zone: the workgroup of an earlier version (results in the log bucket) is updated in place, the results bucket created', async () => {
    const planned = change(plan, 'aws_athena_workgroup.usage').after;
    const config = asObject(at(planned, 'configuration', 0));
    const applied = {
      ...planned,
      id: 'bedrock-usage',
      arn: `arn:aws:athena:us-east-1:${PROD}:workgroup/bedrock-usage`,
      tags_all: at(planned, 'tags_all') ?? {},
      configuration: [
        {
          ...config,
          engine_version: [{ selected_engine_version: 'AUTO', effective_engine_version: 'Athena engine version 3' }],
          result_configuration: [
            {
              ...asObject(at(config, 'result_configuration', 0)),
              output_location: `s3://${LOG_BUCKET}/athena-results/`,
              expected_bucket_owner: null,
            },
          ],
        },
      ],
    };
    const upgrade = await session.plan(dir, {
      state: awsState('athena-results-test', [{ type: 'aws_athena_workgroup', name: 'usage', attributes: applied }]),
      label: 'upgrade',
    });
    const wg = change(upgrade, 'aws_athena_workgroup.usage');
    expect(wg.actions).toEqual(['update']);
    expect(at(wg.after, 'configuration', 0, 'result_configuration', 0, 'output_location')).toBe(`s3://${RESULTS_BUCKET}/`);
    expect(change(upgrade, 'aws_s3_bucket.athena_results').actions).toEqual(['create']);
    expect(upgrade.changes.filter((c) => c.actions.includes('delete')).map((c) => c.address)).toEqual([]);
  });
});
