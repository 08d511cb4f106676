import { resolveMatrix, minimalMatrix, synth, PROD } from '../helpers';
import { logBucketPolicy, invocationLogKeyPattern } from '../../policies/log-bucket-policy';
import { logKeyPolicy } from '../../policies/log-key-policy';
import { loggingRolePolicy, loggingRoleTrustPolicy } from '../../policies/logging-role-policies';
import type { Target } from '../../policies/document';

const target: Target = { partition: 'aws', region: 'eu-west-1', accountId: PROD };
const confusedDeputy = {
  StringEquals: { 'aws:SourceAccount': PROD },
  ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:eu-west-1:${PROD}:*` },
};

describe('bucket policy', () => {
  const doc = logBucketPolicy({ target, bucketName: 'logs', prefixes: ['b', 'a', 'b'] });

  test('Bedrock may only PutObject under the log key space of each prefix, with both confused-deputy conditions', () => {
    expect(doc.Statement[0]).toEqual({
      Sid: 'AllowBedrockInvocationLogDelivery',
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: [
        `arn:aws:s3:::logs/a/AWSLogs/${PROD}/BedrockModelInvocationLogs/*`,
        `arn:aws:s3:::logs/b/AWSLogs/${PROD}/BedrockModelInvocationLogs/*`,
      ],
      Condition: confusedDeputy,
    });
  });

  test('every request without TLS is denied, for every principal, on the bucket and its objects', () => {
    expect(doc.Statement[1]).toEqual({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::logs', 'arn:aws:s3:::logs/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  test('an empty prefix means the bucket root', () => {
    expect(invocationLogKeyPattern('', PROD)).toBe(`AWSLogs/${PROD}/BedrockModelInvocationLogs/*`);
  });
});

describe('key policy', () => {
  test('root administers, Bedrock only generates data keys, Logs only for the log group', () => {
    const doc = logKeyPolicy({ target, logGroupName: '/bedrock/x' });
    expect(doc.Statement).toEqual([
      {
        Sid: 'AccountRootAdministersKey',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${PROD}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'AllowBedrockGenerateDataKey',
        Effect: 'Allow',
        Principal: { Service: 'bedrock.amazonaws.com' },
        Action: 'kms:GenerateDataKey',
        Resource: '*',
        Condition: confusedDeputy,
      },
      {
        Sid: 'AllowCloudWatchLogsForInvocationLogGroup',
        Effect: 'Allow',
        Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:eu-west-1:${PROD}:log-group:/bedrock/x` } },
      },
    ]);
  });

  test('China regions use the amazonaws.com.cn service principal for Logs', () => {
    const doc = logKeyPolicy({ target: { partition: 'aws-cn', region: 'cn-north-1', accountId: PROD }, logGroupName: 'g' });
    expect(doc.Statement[2].Principal).toEqual({ Service: 'logs.cn-north-1.amazonaws.com.cn' });
  });
});

describe('logging role', () => {
  test('trusts only Bedrock, for this account and region', () => {
    expect(loggingRoleTrustPolicy(target).Statement).toEqual([
      {
        Sid: 'AllowBedrockAssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'bedrock.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: confusedDeputy,
      },
    ]);
  });

  test('may only create and write the invocation log stream', () => {
    expect(loggingRolePolicy({ target, logGroupName: 'g' }).Statement).toEqual([
      {
        Sid: 'WriteInvocationLogStream',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:aws:logs:eu-west-1:${PROD}:log-group:g:log-stream:aws/bedrock/modelinvocations`,
      },
    ]);
  });
});

test('each synthesized policy is exactly the policy function output for that stack', () => {
  const [stack] = resolveMatrix(minimalMatrix({ accounts: [{ id: PROD, regions: ['eu-west-1'] }] })).stacks;
  const s = synth(stack);
  const t: Target = { partition: stack.partition, region: stack.region, accountId: stack.accountId };
  const logGroupName = stack.names.logGroup;
  expect(s.policy('aws_s3_bucket_policy', 'invocation_logs')).toEqual(
    logBucketPolicy({ target: t, bucketName: stack.names.bucket, prefixes: ['invocation-logs', 'large-data'] }),
  );
  expect(s.policy('aws_kms_key', 'invocation_logs')).toEqual(logKeyPolicy({ target: t, logGroupName }));
  expect(s.policy('aws_iam_role', 'invocation_logging', 'assume_role_policy')).toEqual(loggingRoleTrustPolicy(t));
  expect(s.policy('aws_iam_role_policy', 'invocation_logging')).toEqual(loggingRolePolicy({ target: t, logGroupName }));
});
