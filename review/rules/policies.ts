/**
 * Policies checked for widening: resource policies (bucket, key, topic), trust
 * policies, the logging role's own policy and the organization policies. Tenant invoke policies
 * (aws_iam_policy) are left out: they follow the tenant's models by design.
 */
import { policyWidening } from '../policy-diff';
import { DangerRule } from './types';

export const POLICY_FIELDS: Record<string, string> = {
  aws_s3_bucket_policy: 'policy',
  aws_kms_key: 'policy',
  aws_iam_role: 'assume_role_policy',
  aws_iam_role_policy: 'policy',
  aws_sns_topic_policy: 'policy',
  aws_organizations_policy: 'content',
};

export const policyWidened: DangerRule = {
  cause: 'policy-widened',
  title: 'Policy widened',
  when: 'a bucket, key, topic, trust or logging-role policy, or an organization policy (SCPs, RCP, tag policy) gains an Allow statement, principal, action or resource, or a wildcard, or loses or changes a condition, or a Deny is removed or narrowed',
  check(i) {
    const field = POLICY_FIELDS[i.type];
    if (!field || i.before === undefined || i.after === undefined) return [];
    if (JSON.stringify(i.before[field]) === JSON.stringify(i.after[field])) return [];
    return policyWidening(i.before[field], i.after[field]);
  },
};
