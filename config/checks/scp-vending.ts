/**
 * organizationPolicies.protectLoggingScp lets only the deploy role, the break-glass roles and, with
 * deployment.bootstrap, the bootstrap admin role create the roles it exempts. Without either a
 * bootstrap or an account-vending role, an account that joins a target later can never get its
 * deploy role: nobody there may create it (issue 23, item 5; docs/tamper-proofing.md, "A new account").
 */
import { deployRoleName } from '../deployment';
import type { MatrixCheck } from './check';

export const scpVending: MatrixCheck = ({ matrix }) => {
  const scp = matrix.organizationPolicies?.protectLoggingScp;
  if (!scp || matrix.deployment?.bootstrap || scp.accountVendingRoleArns?.length) return [];
  return [
    {
      path: 'organizationPolicies.protectLoggingScp.accountVendingRoleArns',
      value: undefined,
      allowed: `the role your account factory creates roles with (e.g. ["arn:aws:iam::*:role/AWSControlTowerExecution"]), or deployment.bootstrap: without either, no principal of an account that joins ${scp.targetIds.join(', ')} later may create the deploy role "${deployRoleName(matrix.deployment)}", as the SCP lets only the exempt roles create it`,
    },
  ];
};
