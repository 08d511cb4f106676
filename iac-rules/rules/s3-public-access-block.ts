import { Rule } from '../rule';

const FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

/** Invocation logs hold prompts and responses: no bucket may ever be made public. */
export const s3PublicAccessBlock: Rule = {
  id: 'CKV2_AWS_6',
  standards: ['CKV2_AWS_6', 'Security Hub S3.8'],
  title: 'S3 buckets have a public access block with all four settings on',
  resourceTypes: ['aws_s3_bucket'],
  check(bucket, stack) {
    const blocks = stack.referring('aws_s3_bucket_public_access_block', 'bucket', bucket);
    if (!blocks.length) return 'has no aws_s3_bucket_public_access_block';
    const off = FLAGS.filter((f) => !blocks.some((b) => b.attrs[f] === true));
    return off.length ? `its public access block does not set ${off.join(', ')} to true` : undefined;
  },
};
