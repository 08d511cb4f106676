/**
 * The Terraform addresses of stateful resources are a contract with every
 * deployed account: if one changes, Terraform plans to destroy the old resource
 * (and its logs) and create a new one. This test pins them, written out by hand,
 * so a refactor that moves them fails here instead of in a user's plan.
 * Do not "update" it: move resources with `moved` blocks instead.
 */
import { Testing } from 'cdktf';
import { EXAMPLE_MATRIX } from '../../config/example-matrix';
import { ManagementStack } from '../../stacks/management-stack';
import { resolveMatrix, synth } from '../helpers';

const STATEFUL_TYPES = ['aws_s3_bucket', 'aws_kms_key', 'aws_cloudwatch_log_group', 'aws_iam_role'];

const PINNED = [
  'aws_cloudwatch_log_group.invocation_logs',
  'aws_iam_role.invocation_logging',
  // The alarm topic's key: not log data, but a key's deletion is never routine either.
  'aws_kms_key.alarms',
  'aws_kms_key.invocation_logs',
  // The usage workgroup's query results (analytics.athena): their own bucket, never the log bucket.
  'aws_s3_bucket.athena_results',
  'aws_s3_bucket.invocation_logs',
];

describe.each(resolveMatrix(EXAMPLE_MATRIX).stacks.map((s) => [s.stackName, s] as const))('%s', (_name, stack) => {
  const s = synth(stack);
  const stateful = STATEFUL_TYPES.flatMap((type) => Object.keys(s.resources(type)).map((name) => `${type}.${name}`)).sort();

  test('stateful resources keep their pinned addresses', () => {
    expect(stateful).toEqual(PINNED);
  });

  test('every stateful resource carries prevent_destroy', () => {
    for (const address of stateful) {
      const [type, name] = address.split('.');
      expect({ address, lifecycle: s.resource(type, name).lifecycle }).toEqual({ address, lifecycle: { prevent_destroy: true } });
    }
  });
});

describe('management stack', () => {
  const config = resolveMatrix(EXAMPLE_MATRIX).management!;
  const tf = JSON.parse(Testing.synth(new ManagementStack(Testing.app(), config)));

  test('the budget-alert key keeps its pinned address and prevent_destroy', () => {
    expect(Object.keys(tf.resource.aws_kms_key)).toEqual(['budget_alerts']);
    expect(tf.resource.aws_kms_key.budget_alerts.lifecycle).toEqual({ prevent_destroy: true });
  });
});
