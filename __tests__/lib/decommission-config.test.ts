/** What decommissioning keeps: every type that holds data (resource-type contract), and what protects it. */
import { decommissionConfig, keptType } from '../../lib/decommission-config';
import { RESOURCE_TYPES } from '../../lib/resource-types';

test('every type that holds data is kept; identities and everything else are destroyed', () => {
  for (const t of Object.values(RESOURCE_TYPES)) if (t.holds === 'data') expect([t.type, keptType(t.type)]).toEqual([t.type, true]);
  expect(keptType('aws_s3_bucket_public_access_block')).toBe(true);
  expect(keptType('aws_cloudwatch_log_data_protection_policy')).toBe(true);
  for (const t of ['aws_iam_role', 'aws_bedrock_model_invocation_logging_configuration', 'aws_bedrock_inference_profile', 'aws_sns_topic'])
    expect([t, keptType(t)]).toEqual([t, false]);
});

test('the configuration keeps backend and provider, drops every resource, and forgets the kept ones', () => {
  const tf = {
    terraform: { backend: { local: { path: '/x.tfstate' } }, required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
    provider: { aws: [{ region: 'eu-west-1' }] },
    data: { aws_caller_identity: { me: {} } },
    output: { arn: { value: 'x' } },
    resource: {
      aws_s3_bucket: { invocation_logs: { bucket: 'b', lifecycle: { prevent_destroy: true } } },
      aws_iam_role: { invocation_logging: {} },
    },
  };
  const { config, kept, destroyed } = decommissionConfig(tf);
  expect(config).toEqual({
    terraform: tf.terraform,
    provider: tf.provider,
    removed: [{ from: 'aws_s3_bucket.invocation_logs', lifecycle: { destroy: false } }],
  });
  expect(kept).toEqual(['aws_s3_bucket.invocation_logs']);
  expect(destroyed).toEqual(['aws_iam_role.invocation_logging']);
});
