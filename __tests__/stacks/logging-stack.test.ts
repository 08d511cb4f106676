import 'cdktf/lib/testing/adapters/jest'; // types of the cdktf jest matchers
import { BedrockModelInvocationLoggingConfiguration } from '@cdktf/provider-aws/lib/bedrock-model-invocation-logging-configuration';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { PROD, minimalMatrix, synthMatrix } from '../helpers';
import { asObject, at, type PolicyStatement } from '../../review/terraform-json';

const BUCKET = `bedrock-invocation-logs-${PROD}-us-east-1`;

describe('logging stack with the defaults', () => {
  const s = synthMatrix(minimalMatrix());

  test('the provider is pinned to the account and region and tags everything', () => {
    expect(s.json).toHaveProviderWithProperties(AwsProvider, {
      region: 'us-east-1',
      allowed_account_ids: [PROD],
      default_tags: [{ tags: expect.objectContaining({ 'managed-by': 'bedrock-governance', environment: 'default' }) }],
    });
  });

  test('KMS key: rotation, 30-day deletion window, alias, prevent_destroy', () => {
    expect(s.json).toHaveResourceWithProperties(KmsKey, {
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(s.json).toHaveResourceWithProperties(KmsAlias, {
      name: 'alias/bedrock-invocation-logs',
      target_key_id: '${aws_kms_key.invocation_logs.key_id}',
    });
  });

  test('bucket: deterministic name, never force-destroyed, prevent_destroy', () => {
    expect(s.json).toHaveResourceWithProperties(S3Bucket, {
      bucket: BUCKET,
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  test('bucket: ACLs disabled and all public access blocked', () => {
    expect(s.json).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: 'BucketOwnerEnforced' } });
    expect(s.json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test('bucket: SSE-KMS with the bucket key, and versioning', () => {
    expect(s.json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [
        {
          bucket_key_enabled: true,
          apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.invocation_logs.arn}' },
        },
      ],
    });
    expect(s.json).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
  });

  test('bucket: lifecycle aborts multipart uploads and expires noncurrent versions, and never expires logs by default', () => {
    const rule = asObject(at(s.resource('aws_s3_bucket_lifecycle_configuration', 'invocation_logs'), 'rule', 0));
    expect(rule).toMatchObject({
      status: 'Enabled',
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
      transition: [{ days: 90, storage_class: 'GLACIER_IR' }],
    });
    expect(rule.expiration).toBeUndefined();
    expect(s.json).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      depends_on: ['aws_s3_bucket_versioning.invocation_logs'],
    });
  });

  test('log group: KMS-encrypted, retention, skip_destroy, prevent_destroy', () => {
    expect(s.json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/bedrock/model-invocation-logs',
      kms_key_id: '${aws_kms_key.invocation_logs.arn}',
      retention_in_days: 365,
      skip_destroy: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  test('role: prevent_destroy', () => {
    expect(s.json).toHaveResourceWithProperties(IamRole, {
      name: 'bedrock-invocation-logging-us-east-1',
      lifecycle: { prevent_destroy: true },
    });
  });

  test('the synthesized policies are the policy functions applied to the stack values', () => {
    expect(s.policy('aws_s3_bucket_policy', 'invocation_logs').Statement[0].Resource).toEqual([
      `arn:aws:s3:::${BUCKET}/invocation-logs/AWSLogs/${PROD}/BedrockModelInvocationLogs/*`,
      `arn:aws:s3:::${BUCKET}/large-data/AWSLogs/${PROD}/BedrockModelInvocationLogs/*`,
    ]);
    expect(s.policy('aws_kms_key', 'invocation_logs').Statement.map((x: PolicyStatement) => x.Sid)).toEqual([
      'AccountRootAdministersKey',
      'AllowBedrockGenerateDataKey',
      'AllowCloudWatchLogsForInvocationLogGroup',
    ]);
    expect(s.policy('aws_iam_role', 'invocation_logging', 'assume_role_policy').Statement[0].Principal).toEqual({
      Service: 'bedrock.amazonaws.com',
    });
    expect(s.policy('aws_iam_role_policy', 'invocation_logging').Statement[0].Resource).toBe(
      `arn:aws:logs:us-east-1:${PROD}:log-group:/bedrock/model-invocation-logs:log-stream:aws/bedrock/modelinvocations`,
    );
  });

  test('logging configuration: both destinations, all four flags explicit, role and large-data delivery set', () => {
    expect(s.json).toHaveResourceWithProperties(BedrockModelInvocationLoggingConfiguration, {
      logging_config: {
        text_data_delivery_enabled: true,
        image_data_delivery_enabled: true,
        embedding_data_delivery_enabled: true,
        video_data_delivery_enabled: true,
        s3_config: { bucket_name: '${aws_s3_bucket.invocation_logs.id}', key_prefix: 'invocation-logs' },
        cloudwatch_config: {
          log_group_name: '${aws_cloudwatch_log_group.invocation_logs.name}',
          role_arn: '${aws_iam_role.invocation_logging.arn}',
          large_data_delivery_s3_config: { bucket_name: '${aws_s3_bucket.invocation_logs.id}', key_prefix: 'large-data' },
        },
      },
    });
  });

  test('logging configuration waits for the bucket policy, the key and the role policy', () => {
    const dependsOn = s.resource('aws_bedrock_model_invocation_logging_configuration', 'this').depends_on;
    expect(dependsOn).toEqual(
      expect.arrayContaining([
        'aws_s3_bucket_policy.invocation_logs',
        'aws_kms_key.invocation_logs',
        'aws_iam_role_policy.invocation_logging',
      ]),
    );
  });

  test('outputs: bucket, key, log group and role ARNs', () => {
    expect(Object.keys(s.tf.output ?? {}).sort()).toEqual(['bucket_arn', 'kms_key_arn', 'log_group_arn', 'role_arn']);
    expect(s.tf.output?.role_arn.value).toBe('${aws_iam_role.invocation_logging.arn}');
  });
});

describe('logging stack options', () => {
  test('S3 only: no log group, no role, no CloudWatch key grant, a single policy prefix', () => {
    const s = synthMatrix(minimalMatrix({ logging: { destinations: ['s3'] } }));
    expect(s.resources('aws_cloudwatch_log_group')).toEqual({});
    expect(s.resources('aws_iam_role')).toEqual({});
    const config = s.resource('aws_bedrock_model_invocation_logging_configuration', 'this');
    expect(at(config, 'logging_config', 'cloudwatch_config')).toBeUndefined();
    expect(at(config, 'logging_config', 's3_config')).toBeDefined();
    expect(s.policy('aws_kms_key', 'invocation_logs').Statement).toHaveLength(2);
    expect(s.policy('aws_s3_bucket_policy', 'invocation_logs').Statement[0].Resource).toEqual([
      `arn:aws:s3:::${BUCKET}/invocation-logs/AWSLogs/${PROD}/BedrockModelInvocationLogs/*`,
    ]);
    expect(Object.keys(s.tf.output ?? {}).sort()).toEqual(['bucket_arn', 'kms_key_arn']);
  });

  test('CloudWatch only: the bucket stays for large data, and the policy covers exactly that prefix', () => {
    const s = synthMatrix(minimalMatrix({ logging: { destinations: ['cloudwatch'], largeDataKeyPrefix: 'big' } }));
    const config = s.resource('aws_bedrock_model_invocation_logging_configuration', 'this');
    expect(at(config, 'logging_config', 's3_config')).toBeUndefined();
    expect(at(config, 'logging_config', 'cloudwatch_config', 'large_data_delivery_s3_config', 'key_prefix')).toBe('big');
    expect(s.policy('aws_s3_bucket_policy', 'invocation_logs').Statement[0].Resource).toEqual([
      `arn:aws:s3:::${BUCKET}/big/AWSLogs/${PROD}/BedrockModelInvocationLogs/*`,
    ]);
  });

  test('delivery flags, prefix, retention and lifecycle come from the matrix', () => {
    const s = synthMatrix(
      minimalMatrix({
        logging: {
          delivery: { image: false, video: false },
          s3KeyPrefix: 'bedrock/logs',
          logRetentionDays: 30,
          lifecycle: { transitions: [], expirationDays: 400, noncurrentVersionExpirationDays: 10, abortIncompleteMultipartUploadDays: 2 },
        },
      }),
    );
    const lc = asObject(s.resource('aws_bedrock_model_invocation_logging_configuration', 'this').logging_config);
    expect([
      lc.text_data_delivery_enabled,
      lc.image_data_delivery_enabled,
      lc.embedding_data_delivery_enabled,
      lc.video_data_delivery_enabled,
    ]).toEqual([true, false, true, false]);
    expect(at(lc, 's3_config', 'key_prefix')).toBe('bedrock/logs');
    expect(s.resource('aws_cloudwatch_log_group', 'invocation_logs').retention_in_days).toBe(30);
    const rule = asObject(at(s.resource('aws_s3_bucket_lifecycle_configuration', 'invocation_logs'), 'rule', 0));
    expect(rule.expiration).toEqual([{ days: 400 }]);
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 10 }]);
    expect(rule.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 2 }]);
  });

  test('bring your own key: no key is created and the key ARN is used everywhere', () => {
    const arn = `arn:aws:kms:us-east-1:${PROD}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const s = synthMatrix(minimalMatrix({ logging: { kmsKeyArn: arn } }));
    // Only the alarm topic's own key: the brought key's policy is its owner's, and may not let CloudWatch in.
    expect(Object.keys(s.resources('aws_kms_key'))).toEqual(['alarms']);
    expect(Object.keys(s.resources('aws_kms_alias'))).toEqual(['alarms']);
    expect(s.resource('aws_cloudwatch_log_group', 'invocation_logs').kms_key_id).toBe(arn);
    expect(s.tf.output?.kms_key_arn.value).toBe(arn);
  });

  test('ARNs use the partition of the region', () => {
    const s = synthMatrix({ accounts: [{ id: PROD, regions: ['us-gov-west-1'] }] });
    const bucketPolicy = s.policy('aws_s3_bucket_policy', 'invocation_logs');
    expect(at(bucketPolicy, 'Statement', 0, 'Resource', 0)).toMatch(/^arn:aws-us-gov:s3:::/);
    expect(at(bucketPolicy, 'Statement', 0, 'Condition', 'ArnLike', 'aws:SourceArn')).toBe(
      `arn:aws-us-gov:bedrock:us-gov-west-1:${PROD}:*`,
    );
    expect(at(s.policy('aws_kms_key', 'invocation_logs'), 'Statement', 0, 'Principal', 'AWS')).toBe(`arn:aws-us-gov:iam::${PROD}:root`);
  });
});
