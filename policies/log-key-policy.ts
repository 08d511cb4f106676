import { BEDROCK_SERVICE, PolicyDocument, Statement, Target, bedrockSourceConditions, logGroupArn } from './document';
import { dnsSuffixOf } from '../config/rules';

/**
 * Key policy of the invocation-log key:
 * - the account root administers the key (so IAM policies in the account decide who reads logs);
 * - Bedrock may only generate data keys, for this account and region (S3 delivery with SSE-KMS);
 * - CloudWatch Logs of this region may use the key only for the invocation log group.
 */
export function logKeyPolicy(input: { target: Target; logGroupName?: string }): PolicyDocument {
  const { target, logGroupName } = input;
  const statements: Statement[] = [
    {
      Sid: 'AccountRootAdministersKey',
      Effect: 'Allow',
      Principal: { AWS: `arn:${target.partition}:iam::${target.accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'AllowBedrockGenerateDataKey',
      Effect: 'Allow',
      Principal: { Service: BEDROCK_SERVICE },
      Action: 'kms:GenerateDataKey',
      Resource: '*',
      Condition: bedrockSourceConditions(target),
    },
  ];
  if (logGroupName !== undefined)
    statements.push({
      Sid: 'AllowCloudWatchLogsForInvocationLogGroup',
      Effect: 'Allow',
      Principal: { Service: `logs.${target.region}.${dnsSuffixOf(target.region)}` },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn(target, logGroupName) } },
    });
  return { Version: '2012-10-17', Statement: statements };
}
