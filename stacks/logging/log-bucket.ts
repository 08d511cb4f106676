import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import type { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import type { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { Construct } from 'constructs';
import type { ObjectLock } from '../../config/logging';
import type { LoggingSettings } from '../../config/model';
import type { Target } from '../../policies/document';
import { logBucketPolicy } from '../../policies/log-bucket-policy';
import { privateBucket } from '../private-bucket';
import type { LogKey } from './log-key';
import { STATEFUL } from './stateful';

/** The prefixes Bedrock writes to in a stack: the S3 destination and the large-data prefix of the CloudWatch destination. */
export function deliveryPrefixes(logging: Pick<LoggingSettings, 'destinations' | 's3KeyPrefix' | 'largeDataKeyPrefix'>): string[] {
  const { destinations, s3KeyPrefix, largeDataKeyPrefix } = logging;
  return [...(destinations.includes('s3') ? [s3KeyPrefix] : []), ...(destinations.includes('cloudwatch') ? [largeDataKeyPrefix] : [])];
}

export interface LogBucketProps {
  /** The account and region whose Bedrock may deliver to the bucket. */
  readonly target: Target;
  readonly bucketName: string;
  /** The key every object is encrypted with by default. */
  readonly key: LogKey;
  /** The key prefixes Bedrock delivers to (deliveryPrefixes): the bucket policy admits writes there only. */
  readonly deliveryPrefixes: string[];
  /** logging.lifecycle, resolved. */
  readonly lifecycle: LoggingSettings['lifecycle'];
  /** S3 Object Lock with a default retention; unset: none. */
  readonly objectLock?: ObjectLock;
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
  /** The key that encrypts the bucket's objects. */
  readonly key: LogKey;
  /** The bucket's name, known at synth (bucket.bucket is a reference). */
  readonly bucketName: string;

  constructor(scope: Construct, id: string, props: LogBucketProps) {
    super(scope, id);
    const { target, bucketName, key, lifecycle: lc } = props;
    this.key = key;
    this.bucketName = bucketName;
    ({
      bucket: this.bucket,
      encryption: this.encryption,
      policy: this.policy,
    } = privateBucket(this, {
      logicalId: STATEFUL.bucket,
      bucketName,
      keyArn: key.arn,
      policy: JSON.stringify(logBucketPolicy({ target, bucketName, prefixes: props.deliveryPrefixes })),
      lifecycleRule: {
        id: 'invocation-log-retention',
        status: 'Enabled',
        filter: [{}],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: lc.abortIncompleteMultipartUploadDays }],
        noncurrentVersionExpiration: [{ noncurrentDays: lc.noncurrentVersionExpirationDays }],
        transition: lc.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
        expiration: lc.expirationDays === undefined ? undefined : [{ days: lc.expirationDays }],
      },
      objectLock: props.objectLock,
    }));
  }
}
