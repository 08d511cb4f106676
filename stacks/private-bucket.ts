import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { Construct } from 'constructs';
import type { ObjectLock } from '../config/logging';

export interface PrivateBucketProps {
  /** The Terraform name of the bucket and of each of its settings (pinned, as stateful addresses are). */
  logicalId: string;
  bucketName: string;
  /** The KMS key every object is encrypted with by default. */
  keyArn: string;
  /** The bucket policy (JSON), written after the public access block and the ownership controls. */
  policy: string;
  /** The one lifecycle rule. */
  lifecycleRule: S3BucketLifecycleConfigurationRule;
  /** S3 Object Lock with a default retention; unset: none. */
  objectLock?: ObjectLock;
}

/**
 * A bucket that keeps data: private (ACLs disabled, public access blocked), SSE-KMS with a
 * bucket key, versioned, with a lifecycle and a policy, and prevent_destroy. The resources
 * are created in `scope` itself, with the construct IDs each bucket of the app has always
 * had, so their paths and addresses stay as they were. What passes the IaC rules
 * (iac-rules/rules/s3-*.ts) is built once, here.
 */
export function privateBucket(scope: Construct, p: PrivateBucketProps) {
  const bucketResource = new S3Bucket(scope, 'bucket', {
    bucket: p.bucketName,
    forceDestroy: false,
    // Object Lock is switched on at creation. object_lock_enabled is ForceNew in provider 5.100
    // (internal/service/s3/bucket.go): setting it on an existing bucket plans a replacement,
    // which prevent_destroy refuses and the plan review flags. Enable it in place first
    // (docs/tamper-proofing.md): the provider then reads it back as true and plans no change.
    objectLockEnabled: p.objectLock ? true : undefined,
    lifecycle: { preventDestroy: true },
  });
  bucketResource.overrideLogicalId(p.logicalId);
  const bucket = bucketResource.id;

  const ownership = new S3BucketOwnershipControls(scope, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
  ownership.overrideLogicalId(p.logicalId);

  const publicAccess = new S3BucketPublicAccessBlock(scope, 'public-access', {
    bucket,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  publicAccess.overrideLogicalId(p.logicalId);

  const encryption = new S3BucketServerSideEncryptionConfigurationA(scope, 'encryption', {
    bucket,
    rule: [{ bucketKeyEnabled: true, applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: p.keyArn } }],
  });
  encryption.overrideLogicalId(p.logicalId);

  const versioning = new S3BucketVersioningA(scope, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
  versioning.overrideLogicalId(p.logicalId);

  if (p.objectLock)
    // PutObjectLockConfiguration needs versioning on (internal/service/s3/bucket_object_lock_configuration.go
    // sends ObjectLockEnabled=Enabled with the default retention rule).
    new S3BucketObjectLockConfigurationA(scope, 'object-lock', {
      bucket,
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: p.objectLock.mode, days: p.objectLock.days } },
      dependsOn: [versioning],
    }).overrideLogicalId(p.logicalId);

  new S3BucketLifecycleConfiguration(scope, 'lifecycle', { bucket, rule: [p.lifecycleRule], dependsOn: [versioning] }).overrideLogicalId(
    p.logicalId,
  );

  const policy = new S3BucketPolicy(scope, 'policy', {
    bucket,
    policy: p.policy,
    // A policy written before the public access block could be refused as public.
    dependsOn: [publicAccess, ownership],
  });
  policy.overrideLogicalId(p.logicalId);
  return { bucket: bucketResource, encryption, policy };
}
