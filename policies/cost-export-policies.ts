import { denyInsecureTransport } from './document';
import type { PolicyDocument, Statement } from './document';

/**
 * The service principals that deliver a CUR 2.0 export, and the ARNs they act for.
 * AWS Data Exports user guide, "Setting up an Amazon S3 bucket for data exports"
 * (https://docs.aws.amazon.com/cur/latest/userguide/dataexports-s3-bucket.html): both
 * billingreports.amazonaws.com and bcm-data-exports.amazonaws.com, s3:PutObject and
 * s3:GetBucketPolicy, aws:SourceAccount = the account, aws:SourceArn in
 * arn:aws:cur:us-east-1:<account>:definition/* and arn:aws:bcm-data-exports:us-east-1:<account>:export/*.
 * Data Exports is served from us-east-1 only (API endpoint bcm-data-exports.us-east-1.api.aws).
 */
export const DATA_EXPORTS_SERVICES = ['bcm-data-exports.amazonaws.com', 'billingreports.amazonaws.com'];

export const dataExportsSourceConditions = (accountId: string): Statement['Condition'] => ({
  StringEquals: { 'aws:SourceAccount': accountId },
  ArnLike: {
    'aws:SourceArn': [`arn:aws:cur:us-east-1:${accountId}:definition/*`, `arn:aws:bcm-data-exports:us-east-1:${accountId}:export/*`],
  },
});

/**
 * Bucket policy of the cost-export bucket: the Data Exports principals, acting for
 * this account's exports only, may check the policy and write under the export
 * prefix; every request without TLS is denied.
 */
export function costExportBucketPolicy(input: { accountId: string; bucketName: string; s3Prefix: string }): PolicyDocument {
  const bucketArn = `arn:aws:s3:::${input.bucketName}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowDataExportsToCheckBucketPolicy',
        Effect: 'Allow',
        Principal: { Service: DATA_EXPORTS_SERVICES },
        Action: 's3:GetBucketPolicy',
        Resource: bucketArn,
        Condition: dataExportsSourceConditions(input.accountId),
      },
      {
        Sid: 'AllowDataExportsDelivery',
        Effect: 'Allow',
        Principal: { Service: DATA_EXPORTS_SERVICES },
        Action: 's3:PutObject',
        // The whole bucket, as the Data Exports guide grants it: the service may write more than the data prefix (a test object).
        Resource: `${bucketArn}/*`,
        Condition: dataExportsSourceConditions(input.accountId),
      },
      denyInsecureTransport(bucketArn),
    ],
  };
}

/**
 * Key policy of the cost-export bucket's key: the account root administers it (IAM
 * policies decide who reads the bill), and the Data Exports principals may generate
 * data keys for their deliveries, for this account's exports only. (Whether Data
 * Exports writes to SSE-KMS buckets with such a grant is not stated in the Data
 * Exports guide: docs/cost.md says so.)
 */
export function costExportKeyPolicy(accountId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountRootAdministersKey',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'AllowDataExportsEncrypt',
        Effect: 'Allow',
        Principal: { Service: DATA_EXPORTS_SERVICES },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: '*',
        Condition: dataExportsSourceConditions(accountId),
      },
    ],
  };
}
