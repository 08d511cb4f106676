import { asList } from '../../policies/document';
import { Rule, block, field } from '../rule';

/** Logs are encrypted with a customer managed KMS key, so key policy and CloudTrail govern every read. */
export const s3KmsEncryption: Rule = {
  id: 'CKV_AWS_145',
  standards: ['CKV_AWS_145', 'Security Hub S3.17'],
  title: 'S3 buckets are encrypted by default with a KMS key',
  resourceTypes: ['aws_s3_bucket'],
  check(bucket, stack) {
    const configs = stack.referring('aws_s3_bucket_server_side_encryption_configuration', 'bucket', bucket);
    const kms = configs.some((c) =>
      asList(c.attrs.rule).some((r) => {
        const d = block(field(r, 'apply_server_side_encryption_by_default'));
        return (
          typeof d?.sse_algorithm === 'string' &&
          ['aws:kms', 'aws:kms:dsse'].includes(d.sse_algorithm) &&
          typeof d?.kms_master_key_id === 'string' &&
          d.kms_master_key_id !== ''
        );
      }),
    );
    return kms ? undefined : 'has no default encryption with sse_algorithm "aws:kms" and a kms_master_key_id';
  },
};
