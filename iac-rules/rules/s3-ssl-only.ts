import { asList } from '../../policies/document';
import { Rule, policyOf, refTo } from '../rule';

/** Every request to the bucket, by anyone, must use TLS. */
export const s3SslOnly: Rule = {
  id: 'S3.5',
  standards: ['Security Hub S3.5'],
  title: 'S3 bucket policies deny s3:* without TLS (aws:SecureTransport false) to every principal',
  resourceTypes: ['aws_s3_bucket'],
  check(bucket, stack) {
    const policies = stack.referring('aws_s3_bucket_policy', 'bucket', bucket);
    const denies = policies.some((p) =>
      (policyOf(p.attrs.policy)?.Statement ?? []).some(
        (s) =>
          s.Effect === 'Deny' &&
          (s.Principal === '*' || s.Principal?.AWS === '*') &&
          asList(s.Action).some((a: string) => a === 's3:*' || a === '*') &&
          asList(s.Resource).some((r: string) => r.endsWith('/*')) &&
          [s.Condition?.Bool?.['aws:SecureTransport'], s.Condition?.BoolIfExists?.['aws:SecureTransport']].includes('false'),
      ),
    );
    return denies
      ? undefined
      : `has no bucket policy that denies s3:* without TLS (aws:SecureTransport = false) to every principal (${refTo(bucket, 'id')})`;
  },
};
