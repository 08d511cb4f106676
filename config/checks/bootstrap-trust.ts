/** A bootstrap stack's deploy role trusts someone: Terraform Cloud through OIDC, or bootstrap.trustedPrincipalArns. */
import type { MatrixCheck } from './check';

export const bootstrapTrust: MatrixCheck = ({ matrix }) => {
  const d = matrix.deployment;
  return d?.bootstrap && d.backend?.type !== 'tfc' && !d.bootstrap.trustedPrincipalArns?.length
    ? [
        {
          path: 'deployment.bootstrap',
          value: d.bootstrap,
          allowed: 'someone to trust: a "tfc" backend (Terraform Cloud OIDC) or bootstrap.trustedPrincipalArns',
        },
      ]
    : [];
};
