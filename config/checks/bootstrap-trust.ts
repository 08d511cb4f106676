/**
 * A bootstrap stack's deploy role trusts someone: Terraform Cloud through OIDC, the account's GitHub OIDC role
 * (an S3 backend's githubRoleName), or bootstrap.trustedPrincipalArns.
 */
import type { MatrixCheck } from './check';

export const bootstrapTrust: MatrixCheck = ({ matrix }) => {
  const d = matrix.deployment;
  const githubRole = d?.backend?.type === 's3' && d.backend.githubRoleName;
  return d?.bootstrap && d.backend?.type !== 'tfc' && !githubRole && !d.bootstrap.trustedPrincipalArns?.length
    ? [
        {
          path: 'deployment.bootstrap',
          value: d.bootstrap,
          allowed:
            'someone to trust: a "tfc" backend (Terraform Cloud OIDC), an "s3" backend\'s githubRoleName (GitHub OIDC) or bootstrap.trustedPrincipalArns',
        },
      ]
    : [];
};
