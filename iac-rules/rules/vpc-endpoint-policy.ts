import { Rule, policyOf } from '../rule';

/**
 * An interface endpoint without a policy gets AWS's default, full access for every principal, of any
 * account, through it (Amazon VPC user guide, "Control access to VPC endpoints using endpoint policies").
 * The app's endpoints carry one that admits only principals of the organization (aws:PrincipalOrgID).
 */
export const vpcEndpointPolicy: Rule = {
  id: 'VPCE_POLICY',
  // No Checkov or Security Hub control matches exactly: the ID is this app's.
  standards: ['VPCE_POLICY (AWS data perimeter: endpoint policies admit only the organization)'],
  title: 'VPC endpoints carry an endpoint policy whose every Allow is limited to the organization (aws:PrincipalOrgID)',
  resourceTypes: ['aws_vpc_endpoint'],
  check(endpoint) {
    const policy = policyOf(endpoint.attrs.policy);
    if (!policy) return 'has no endpoint policy: AWS then allows every principal, of any account, every action through the endpoint';
    const open = policy.Statement.filter((s) => s.Effect === 'Allow' && !s.Condition?.StringEquals?.['aws:PrincipalOrgID']);
    return open.length
      ? `endpoint policy statement(s) ${open.map((s, i) => s.Sid ?? `#${i}`).join(', ')} allow without StringEquals aws:PrincipalOrgID (anyone with the endpoint's network path)`
      : undefined;
  },
};
