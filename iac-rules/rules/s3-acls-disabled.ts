import { Rule, block } from '../rule';

/** With ACLs disabled, the bucket policy alone decides access; no object can be shared by ACL. */
export const s3AclsDisabled: Rule = {
  id: 'CKV2_AWS_65',
  standards: ['CKV2_AWS_65', 'Security Hub S3.12'],
  title: 'S3 buckets disable ACLs (object ownership BucketOwnerEnforced)',
  resourceTypes: ['aws_s3_bucket'],
  check(bucket, stack) {
    const controls = stack.referring('aws_s3_bucket_ownership_controls', 'bucket', bucket);
    if (!controls.some((c) => block(c.attrs.rule)?.object_ownership === 'BucketOwnerEnforced'))
      return 'has no aws_s3_bucket_ownership_controls with object_ownership = "BucketOwnerEnforced"';
    return undefined;
  },
};
