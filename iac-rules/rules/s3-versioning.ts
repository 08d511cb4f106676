import { Rule, block } from '../rule';

/** Versioning keeps an overwritten or deleted log object recoverable. */
export const s3Versioning: Rule = {
  id: 'CKV_AWS_21',
  standards: ['CKV_AWS_21', 'Security Hub S3.14'],
  title: 'S3 buckets have versioning enabled',
  resourceTypes: ['aws_s3_bucket'],
  check(bucket, stack) {
    const v = stack.referring('aws_s3_bucket_versioning', 'bucket', bucket);
    return v.some((x) => block(x.attrs.versioning_configuration)?.status === 'Enabled')
      ? undefined
      : 'has no aws_s3_bucket_versioning with status "Enabled"';
  },
};
