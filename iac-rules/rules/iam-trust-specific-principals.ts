import { asList } from '../../policies/document';
import { Rule, policyOf } from '../rule';

/** A role's trust names who may assume it: never everyone, never every service. */
export const iamTrustSpecificPrincipals: Rule = {
  id: 'CKV_AWS_60',
  standards: ['CKV_AWS_60', 'CKV_AWS_61'],
  title: 'IAM role trust policies allow no "*" principal (any account, service or federated identity)',
  resourceTypes: ['aws_iam_role'],
  check(role) {
    const doc = policyOf(role.attrs.assume_role_policy);
    if (!doc) return 'has no JSON assume_role_policy';
    const open = doc.Statement.filter(
      (s) =>
        s.Effect === 'Allow' &&
        (s.Principal === '*' || [s.Principal?.AWS, s.Principal?.Service, s.Principal?.Federated].some((p) => asList(p).includes('*'))),
    );
    return open.length ? `trust statement ${open.map((s) => s.Sid ?? '(no Sid)').join(', ')} allows any principal ("*")` : undefined;
  },
};
