import { Rule } from '../rule';

/** Invocation logs in CloudWatch are encrypted with a customer managed key, as in S3. */
export const logGroupKms: Rule = {
  id: 'CKV_AWS_158',
  standards: ['CKV_AWS_158'],
  title: 'CloudWatch log groups are encrypted with a KMS key',
  resourceTypes: ['aws_cloudwatch_log_group'],
  check(group) {
    return typeof group.attrs.kms_key_id === 'string' && group.attrs.kms_key_id !== '' ? undefined : 'has no kms_key_id';
  },
};
