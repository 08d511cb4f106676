import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import type { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import type { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { Construct } from 'constructs';
import type { StackConfig } from '../../config/model';
import type { Target } from '../../policies/document';
import { logBucketPolicy } from '../../policies/log-bucket-policy';
import { privateBucket } from '../private-bucket';
import { STATEFUL } from './stateful';

/** The prefixes Bedrock writes to in this stack: the S3 destination and the large-data prefix of the CloudWatch destination. */
export function deliveryPrefixes(stack: StackConfig): string[] {
  const { destinations, s3KeyPrefix, largeDataKeyPrefix } = stack.logging;
  return [...(destinations.includes('s3') ? [s3KeyPrefix] : []), ...(destinations.includes('cloudwatch') ? [largeDataKeyPrefix] : [])];
}

/**
 * The invocation-log bucket: private (ACLs disabled, public access blocked),
 * SSE-KMS with a bucket key, versioned, with a lifecycle, and a policy that
 * admits only Bedrock log delivery and only over TLS.
 */
export class LogBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;

  constructor(scope: Construct, id: string, stack: StackConfig, target: Target, keyArn: string) {
    super(scope, id);
    const lc = stack.logging.lifecycle;
    ({
      bucket: this.bucket,
      encryption: this.encryption,
      policy: this.policy,
    } = privateBucket(this, {
      logicalId: STATEFUL.bucket,
      bucketName: stack.names.bucket,
      keyArn,
      policy: JSON.stringify(logBucketPolicy({ target, bucketName: stack.names.bucket, prefixes: deliveryPrefixes(stack) })),
      lifecycleRule: {
        id: 'invocation-log-retention',
        status: 'Enabled',
        filter: [{}],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: lc.abortIncompleteMultipartUploadDays }],
        noncurrentVersionExpiration: [{ noncurrentDays: lc.noncurrentVersionExpirationDays }],
        transition: lc.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
        expiration: lc.expirationDays === undefined ? undefined : [{ days: lc.expirationDays }],
      },
      objectLock: stack.logging.objectLock,
    }));
  }
}
