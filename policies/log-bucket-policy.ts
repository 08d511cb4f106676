import { BEDROCK_SERVICE, PolicyDocument, Target, bedrockSourceConditions, denyInsecureTransport } from './document';

/** The key space Bedrock writes under a prefix: <prefix>/AWSLogs/<account>/BedrockModelInvocationLogs/. */
export function invocationLogKeyPattern(prefix: string, accountId: string): string {
  return `${prefix ? `${prefix}/` : ''}AWSLogs/${accountId}/BedrockModelInvocationLogs/*`;
}

/**
 * Bucket policy of the invocation-log bucket: Bedrock may put objects only under
 * the log prefixes it is configured with (the S3 destination and the large-data
 * prefix), for this account and region only; every request without TLS is denied.
 */
export function logBucketPolicy(input: { target: Target; bucketName: string; prefixes: string[] }): PolicyDocument {
  const { target, bucketName } = input;
  const bucketArn = `arn:${target.partition}:s3:::${bucketName}`;
  const prefixes = [...new Set(input.prefixes)].sort();
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowBedrockInvocationLogDelivery',
        Effect: 'Allow',
        Principal: { Service: BEDROCK_SERVICE },
        Action: 's3:PutObject',
        Resource: prefixes.map((p) => `${bucketArn}/${invocationLogKeyPattern(p, target.accountId)}`),
        Condition: bedrockSourceConditions(target),
      },
      denyInsecureTransport(bucketArn),
    ],
  };
}
