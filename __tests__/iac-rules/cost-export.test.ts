/**
 * The IaC rule suite covers the cost-export bucket and key of the management
 * stack: as built they pass every rule, and each hardening taken away is caught
 * on that bucket or key.
 */
import { TerraformResource, TerraformStack, Testing } from 'cdktf';
import { checkStack } from '../../iac-rules';
import { ManagementStack } from '../../stacks/management-stack';
import { resolveMatrix } from '../helpers';

const matrix = { managementAccountId: '999999999999', accounts: [{ id: '111111111111', regions: ['us-east-1'] }], costExport: {} };

/** Finds the cost-export resource of a type. */
type Find = (type: string) => TerraformResource;

function management(tweak?: (find: Find) => void): TerraformStack {
  const stack = new ManagementStack(Testing.app(), resolveMatrix(matrix).management!);
  const find = (type: string) =>
    stack.node
      .findAll()
      .find(
        (c) =>
          (c as Partial<TerraformResource>).terraformResourceType === type && (c as TerraformResource).friendlyUniqueId === 'cost_export',
      ) as TerraformResource;
  tweak?.(find);
  return stack;
}
const found = (stack: TerraformStack) => checkStack(stack).map((v) => `${v.rule.id} ${v.resource}`);

test('the cost-export bucket and key pass every rule as built', () => {
  const stack = management();
  expect(stack.node.findAll().some((c) => (c as Partial<TerraformResource>).terraformResourceType === 'aws_bcmdataexports_export')).toBe(
    true,
  );
  expect(found(stack)).toEqual([]);
});

test.each([
  [
    'versioning suspended',
    (f: Find) => f('aws_s3_bucket_versioning').addOverride('versioning_configuration.status', 'Suspended'),
    'CKV_AWS_21 aws_s3_bucket.cost_export',
  ],
  [
    'SSE-S3 instead of KMS',
    (f: Find) =>
      f('aws_s3_bucket_server_side_encryption_configuration').addOverride(
        'rule.0.apply_server_side_encryption_by_default.sse_algorithm',
        'AES256',
      ),
    'CKV_AWS_145 aws_s3_bucket.cost_export',
  ],
  [
    'ACLs enabled',
    (f: Find) => f('aws_s3_bucket_ownership_controls').addOverride('rule.object_ownership', 'ObjectWriter'),
    'aws_s3_bucket.cost_export',
  ],
  [
    'public policies allowed',
    (f: Find) => f('aws_s3_bucket_public_access_block').addOverride('block_public_policy', false),
    'aws_s3_bucket.cost_export',
  ],
  [
    'no TLS-only statement',
    (f: Find) => f('aws_s3_bucket_policy').addOverride('policy', JSON.stringify({ Version: '2012-10-17', Statement: [] })),
    'aws_s3_bucket.cost_export',
  ],
  ['key without rotation', (f: Find) => f('aws_kms_key').addOverride('enable_key_rotation', false), 'aws_kms_key.cost_export'],
  ['key deletable', (f: Find) => f('aws_kms_key').addOverride('lifecycle.prevent_destroy', false), 'aws_kms_key.cost_export'],
])('%s is caught on the cost-export bucket or key', (_, tweak, expected) => {
  const v = found(management(tweak));
  expect(v).toHaveLength(1);
  expect(v[0]).toMatch(new RegExp(`${expected.replace(/\./g, '\\.')}$`));
});
