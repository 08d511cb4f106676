import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import type { StackConfig } from '../../config/model';
import type { Target } from '../../policies/document';
import { logBucketPolicy } from '../../policies/log-bucket-policy';
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
    const name = STATEFUL.bucket;
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: stack.names.bucket,
      forceDestroy: false,
      // Object Lock is switched on at creation. object_lock_enabled is ForceNew in provider 5.100
      // (internal/service/s3/bucket.go): setting it on an existing bucket plans a replacement,
      // which prevent_destroy refuses and the plan review flags. Enable it in place first
      // (docs/tamper-proofing.md): the provider then reads it back as true and plans no change.
      objectLockEnabled: stack.logging.objectLock ? true : undefined,
      lifecycle: { preventDestroy: true },
    });
    this.bucket.overrideLogicalId(name);
    const bucket = this.bucket.id;

    const ownership = new S3BucketOwnershipControls(this, 'ownership', {
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    ownership.overrideLogicalId(name);

    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    publicAccess.overrideLogicalId(name);

    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [{ bucketKeyEnabled: true, applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyArn } }],
    });
    this.encryption.overrideLogicalId(name);

    const versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    });
    versioning.overrideLogicalId(name);

    const lock = stack.logging.objectLock;
    if (lock)
      // PutObjectLockConfiguration needs versioning on (internal/service/s3/bucket_object_lock_configuration.go
      // sends ObjectLockEnabled=Enabled with the default retention rule).
      new S3BucketObjectLockConfigurationA(this, 'object-lock', {
        bucket,
        objectLockEnabled: 'Enabled',
        rule: { defaultRetention: { mode: lock.mode, days: lock.days } },
        dependsOn: [versioning],
      }).overrideLogicalId(name);

    const lc = stack.logging.lifecycle;
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [
        {
          id: 'invocation-log-retention',
          status: 'Enabled',
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: lc.abortIncompleteMultipartUploadDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: lc.noncurrentVersionExpirationDays }],
          transition: lc.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
          expiration: lc.expirationDays === undefined ? undefined : [{ days: lc.expirationDays }],
        },
      ],
      dependsOn: [versioning],
    }).overrideLogicalId(name);

    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket,
      policy: JSON.stringify(logBucketPolicy({ target, bucketName: stack.names.bucket, prefixes: deliveryPrefixes(stack) })),
      // A policy written before the public access block could be refused as public.
      dependsOn: [publicAccess, ownership],
    });
    this.policy.overrideLogicalId(name);
  }
}
