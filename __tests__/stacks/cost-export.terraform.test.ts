/**
 * Real Terraform tier: the management stack with `costExport` goes through
 * `terraform init` (local mirror), `validate` and an offline `plan`; the plan JSON
 * shows the hardened bucket, the export as AWS Data Exports will get it, the Glue
 * table and the named queries.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize } from '../../stacks/app';
import { StackPlan, TerraformSession, requireTerraform } from '../../lib/terraform';
import { resolveMatrix } from '../helpers';
import { awsState } from '../terraform-state';
import { asArray, asObject, at, statementsOf } from '../../review/terraform-json';

jest.setTimeout(240_000);

const terraform = requireTerraform();
const maybe = terraform ? describe : describe.skip;

const MGMT = '999999999999';
const EXPORT_ARN = `arn:aws:bcm-data-exports:us-east-1:${MGMT}:export/bedrock-cost-0a1b2c3d-1234-5678-9abc-def012345678`;

/**
 * The table configuration GetExport returns for a CUR 2.0 export created with INCLUDE_RESOURCES and
 * hourly line items: every key of the table, BILLING_VIEW_ARN included although CreateExport was not
 * given it (terraform-provider-aws issues 43978, 48807; 42761 for INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY;
 * 43893 shows the five keys of a console-made export).
 */
const AS_AWS_RETURNS_IT = {
  COST_AND_USAGE_REPORT: {
    TIME_GRANULARITY: 'HOURLY',
    INCLUDE_RESOURCES: 'TRUE',
    INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: 'FALSE',
    INCLUDE_SPLIT_COST_ALLOCATION_DATA: 'FALSE',
    BILLING_VIEW_ARN: `arn:aws:billing::${MGMT}:billingview/primary`,
  },
};

maybe('the management stack with costExport: terraform validate and offline plan', () => {
  let session: TerraformSession;
  let outdir: string;
  let plan: StackPlan;
  let dir: string;
  beforeAll(async () => {
    const config = resolveMatrix({
      managementAccountId: MGMT,
      accounts: [{ id: '111111111111', regions: ['us-east-1'] }],
      tenants: [{ id: 'acme' }],
      costExport: { granularity: 'HOURLY', s3Prefix: 'billing/cur2' },
    });
    session = new TerraformSession(terraform!);
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-cost-export-'));
    synthesize(config, outdir);
    dir = path.join(outdir, 'stacks', `bedrock-management-${MGMT}`);
    await session.plan(dir, { validateOnly: true, label: 'validate' });
    plan = await session.plan(dir);
  });
  afterAll(() => {
    session?.dispose();
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });
  const after = (address: string) => {
    const c = plan.changes.find((x) => x.address === address);
    if (!c) throw new Error(`${address} is not in the plan: ${plan.changes.map((x) => x.address).join(', ')}`);
    return c.after;
  };

  test('every cost-export resource plans as a create', () => {
    const costExport = plan.changes.filter((c) => /cost_export|\.cost$|\.cur$|\.estimates$|billed_/.test(c.address));
    expect(costExport.map((c) => c.address).sort()).toEqual(
      [
        'aws_athena_named_query.billed_cost_per_profile',
        'aws_athena_named_query.billed_cost_per_tenant_day',
        'aws_athena_named_query.billed_vs_estimated_per_tenant_day',
        'aws_athena_workgroup.cost',
        'aws_bcmdataexports_export.cost_export',
        'aws_cloudwatch_event_rule.cost_export_delivery',
        'aws_cloudwatch_metric_alarm.cost_export_freshness',
        'aws_s3_bucket_notification.cost_export',
        'aws_glue_catalog_database.cost',
        'aws_glue_catalog_table.cur',
        'aws_glue_catalog_table.estimates',
        'aws_kms_alias.cost_export',
        'aws_kms_key.cost_export',
        'aws_s3_bucket.cost_export',
        'aws_s3_bucket_lifecycle_configuration.cost_export',
        'aws_s3_bucket_ownership_controls.cost_export',
        'aws_s3_bucket_policy.cost_export',
        'aws_s3_bucket_public_access_block.cost_export',
        'aws_s3_bucket_server_side_encryption_configuration.cost_export',
        'aws_s3_bucket_versioning.cost_export',
      ].sort(),
    );
    for (const c of costExport) expect([c.address, c.actions]).toEqual([c.address, ['create']]);
  });

  test('the export: CUR 2.0 with resource IDs, hourly as asked, Parquet, overwritten, to the bucket in us-east-1', () => {
    const e = at(after('aws_bcmdataexports_export.cost_export'), 'export', 0);
    expect(at(e, 'name')).toBe('bedrock-cost');
    expect(at(e, 'data_query', 0, 'query_statement')).toMatch(
      /^SELECT .*line_item_usage_start_date.*line_item_product_code.*line_item_usage_type.*line_item_resource_id.*line_item_unblended_cost.*resource_tags FROM COST_AND_USAGE_REPORT$/,
    );
    expect(at(e, 'data_query', 0, 'table_configurations')).toEqual(AS_AWS_RETURNS_IT);
    expect(at(e, 'destination_configurations', 0, 's3_destination', 0)).toEqual({
      s3_bucket: `bedrock-cost-export-${MGMT}`,
      s3_prefix: 'billing/cur2',
      s3_region: 'us-east-1',
      s3_output_configurations: [{ format: 'PARQUET', compression: 'PARQUET', output_type: 'CUSTOM', overwrite: 'OVERWRITE_REPORT' }],
    });
    expect(at(e, 'refresh_cadence')).toEqual([{ frequency: 'SYNCHRONOUS' }]);
  });

  test('the bucket: KMS, versioned, no ACLs, no public access, policy for the Data Exports principals of this account only', () => {
    expect(after('aws_s3_bucket.cost_export')).toMatchObject({ bucket: `bedrock-cost-export-${MGMT}`, force_destroy: false });
    expect(
      at(
        after('aws_s3_bucket_server_side_encryption_configuration.cost_export'),
        'rule',
        0,
        'apply_server_side_encryption_by_default',
        0,
        'sse_algorithm',
      ),
    ).toBe('aws:kms');
    expect(at(after('aws_s3_bucket_versioning.cost_export'), 'versioning_configuration', 0, 'status')).toBe('Enabled');
    expect(at(after('aws_s3_bucket_ownership_controls.cost_export'), 'rule', 0, 'object_ownership')).toBe('BucketOwnerEnforced');
    expect(after('aws_s3_bucket_public_access_block.cost_export')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const put = statementsOf(at(after('aws_s3_bucket_policy.cost_export'), 'policy')).find((s) => s.Action === 's3:PutObject');
    expect(at(put, 'Principal', 'Service')).toEqual(['bcm-data-exports.amazonaws.com', 'billingreports.amazonaws.com']);
    expect(put?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': MGMT },
      ArnLike: { 'aws:SourceArn': [`arn:aws:cur:us-east-1:${MGMT}:definition/*`, `arn:aws:bcm-data-exports:us-east-1:${MGMT}:export/*`] },
    });
    expect(after('aws_kms_key.cost_export')).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
  });

  test('delivery freshness: EventBridge notifications on the bucket, a rule on new export objects, a 48-hour alarm to the budget-alert topic', () => {
    expect(after('aws_s3_bucket_notification.cost_export')).toMatchObject({ bucket: `bedrock-cost-export-${MGMT}`, eventbridge: true });
    const rule = after('aws_cloudwatch_event_rule.cost_export_delivery');
    expect(rule).toMatchObject({ name: 'bedrock-cost-export-delivery', event_bus_name: 'default', state: 'ENABLED' });
    expect(at(JSON.parse(at(rule, 'event_pattern') as string), 'detail', 'object', 'key')).toEqual([
      { prefix: 'billing/cur2/bedrock-cost/data/' },
    ]);
    expect(after('aws_cloudwatch_metric_alarm.cost_export_freshness')).toMatchObject({
      namespace: 'AWS/Events',
      metric_name: 'MatchedEvents',
      dimensions: { RuleName: 'bedrock-cost-export-delivery' },
      period: 3600,
      evaluation_periods: 48,
      datapoints_to_alarm: 48,
      treat_missing_data: 'breaching',
    });
  });

  test('the Glue table reads the export by billing period; the queries bound it', () => {
    const t = after('aws_glue_catalog_table.cur');
    expect(at(t, 'parameters', 'storage.location.template')).toBe(
      `s3://bedrock-cost-export-${MGMT}/billing/cur2/bedrock-cost/data/BILLING_PERIOD=\${billing_period}/`,
    );
    expect(at(t, 'partition_keys')).toEqual([expect.objectContaining({ name: 'billing_period', type: 'string' })]);
    expect(
      at(
        asArray(at(t, 'storage_descriptor', 0, 'columns')).find((c) => at(c, 'name') === 'resource_tags'),
        'type',
      ),
    ).toBe('map<string,string>');
    expect(at(after('aws_athena_named_query.billed_cost_per_tenant_day'), 'query')).toContain("element_at(resource_tags, 'user_tenant')");
  });

  test('from a state that holds the export as AWS returns it (BILLING_VIEW_ARN and every other key), the export plans no change', async () => {
    const planned = plan.changes.find((c) => c.address === 'aws_bcmdataexports_export.cost_export')!.after;
    const applied = {
      ...planned,
      id: EXPORT_ARN,
      tags_all: at(planned, 'tags_all') ?? {},
      export: [
        {
          ...asObject(at(planned, 'export', 0)),
          export_arn: EXPORT_ARN,
          data_query: [{ ...asObject(at(planned, 'export', 0, 'data_query', 0)), table_configurations: AS_AWS_RETURNS_IT }],
        },
      ],
    };
    const again = await session.plan(dir, {
      state: awsState('cost-export-test', [{ type: 'aws_bcmdataexports_export', name: 'cost_export', attributes: applied }]),
      label: 'applied-export',
    });
    const exp = again.changes.find((c) => c.address === 'aws_bcmdataexports_export.cost_export')!;
    // A key AWS returns that the configuration lacks (or another value) would be a replacement: table_configurations forces one.
    expect(exp.actions).toEqual(['no-op']);
  });
});
