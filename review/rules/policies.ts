/**
 * Policies checked for widening: resource policies (bucket, key, topic, VPC
 * endpoint, observability sink), trust policies, the logging and deploy roles' own
 * policies and the organization policies (SCPs, RCPs). Tenant invoke policies
 * (aws_iam_policy) are left out: they follow the tenant's models by design; their
 * statement diff still shows what widens and narrows.
 * Widening, narrowing and "cannot decide" come from sets (review/policy-diff.ts):
 * a narrowing is not dangerous; a change the sets cannot decide is its own cause.
 */
import { policyUndecided, policyWidening } from '../policy-diff';
import { DangerRule, RuleInput } from './types';

export const POLICY_FIELDS: Record<string, string> = {
  aws_s3_bucket_policy: 'policy',
  aws_kms_key: 'policy',
  aws_iam_role: 'assume_role_policy',
  aws_iam_role_policy: 'policy',
  aws_sns_topic_policy: 'policy',
  aws_organizations_policy: 'content',
  aws_vpc_endpoint: 'policy',
  aws_oam_sink_policy: 'policy',
};

/** The policy attribute of a changed resource, before and after; undefined when it did not change. */
function policyOf(i: RuleInput): [unknown, unknown] | undefined {
  const field = POLICY_FIELDS[i.type];
  if (!field || i.before === undefined || i.after === undefined) return undefined;
  if (JSON.stringify(i.before[field]) === JSON.stringify(i.after[field])) return undefined;
  return [i.before[field], i.after[field]];
}

export const policyWidened: DangerRule = {
  cause: 'policy-widened',
  title: 'Policy widened',
  when: 'a bucket, key, topic, endpoint, trust, logging- or deploy-role policy, or an organization policy (SCPs, RCP) lets more requests through, computed from the sets of actions, resources, principals and condition values: an Allow statement, principal, action or resource that no old pattern covers, a condition removed or matching more values; a Deny removed or covering less. A narrowing is not dangerous',
  check(i) {
    const p = policyOf(i);
    return p ? policyWidening(p[0], p[1]) : [];
  },
};

export const policyUndecidable: DangerRule = {
  cause: 'policy-changed',
  title: 'Policy changed in a way the review cannot decide',
  when: "one of those policies changes where sets cannot tell widening from narrowing: a condition's operator, a numeric, date, Bool or Null condition value, an Action turned NotAction, a document that does not parse. Review it by hand",
  check(i) {
    const p = policyOf(i);
    if (!p) return [];
    // Reported once: a change that also widens is already a widening.
    return policyWidening(p[0], p[1]).length ? [] : policyUndecided(p[0], p[1]);
  },
};
