import type { MatrixCheck } from './check';

/** With bootstrap on and a management account, its admin role must be named; an account entry of the management account cannot name another. */
export const bootstrapRoles: MatrixCheck = ({ matrix }) => {
  const b = matrix.deployment?.bootstrap;
  const mgmt = matrix.managementAccountId;
  if (b?.oidcProvider && b.oidcProvider !== 'create' && matrix.deployment?.backend?.type !== 'tfc')
    return [
      {
        path: 'deployment.bootstrap.oidcProvider',
        value: b.oidcProvider,
        allowed: 'only with a "tfc" backend: without Terraform Cloud there is no OIDC provider to import or reference',
      },
    ];
  if (!b || !mgmt) return [];
  if (!b.managementAccountRoleName)
    return [
      {
        path: 'deployment.bootstrap.managementAccountRoleName',
        value: undefined,
        allowed: `the name of an administrator role in the management account ${mgmt} that deploys its bootstrap stack (required with deployment.bootstrap and managementAccountId; there is no default, as OrganizationAccountAccessRole exists only in member accounts that AWS Organizations created)`,
      },
    ];
  const i = matrix.accounts.findIndex(
    (a) => a.id === mgmt && a.adminRoleName !== undefined && a.adminRoleName !== b.managementAccountRoleName,
  );
  return i < 0
    ? []
    : [
        {
          path: `accounts[${i}].adminRoleName`,
          value: matrix.accounts[i].adminRoleName,
          allowed: `no adminRoleName on the management account, or the same as deployment.bootstrap.managementAccountRoleName ("${b.managementAccountRoleName}")`,
        },
      ];
};
