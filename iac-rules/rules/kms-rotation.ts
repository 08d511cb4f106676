import { Rule } from '../rule';

/** Yearly rotation limits what one leaked key version exposes. */
export const kmsRotation: Rule = {
  id: 'CKV_AWS_7',
  standards: ['CKV_AWS_7', 'Security Hub KMS.4'],
  title: 'KMS keys rotate automatically',
  resourceTypes: ['aws_kms_key'],
  check(key) {
    return key.attrs.enable_key_rotation === true ? undefined : 'does not set enable_key_rotation = true';
  },
};
