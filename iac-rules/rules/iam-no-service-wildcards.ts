import { asList } from '../../policies/document';
import { Rule, policyOf } from '../rule';

/** Identity policies name actions: "*" or "<service>:*" grants whatever the service adds later. */
export const iamNoServiceWildcards: Rule = {
  id: 'IAM.21',
  standards: ['Security Hub IAM.21'],
  title: 'IAM identity policies allow no "*" or "<service>:*" actions',
  resourceTypes: ['aws_iam_policy', 'aws_iam_role_policy'],
  check(policy) {
    const doc = policyOf(policy.attrs.policy);
    if (!doc) return 'has no JSON policy';
    const wild = doc.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) =>
      asList<string>(s.Action).filter((a) => a === '*' || /^[a-z0-9-]+:\*$/i.test(a)),
    );
    return wild.length ? `allows ${[...new Set(wild)].join(', ')}` : undefined;
  },
};
