/**
 * deployment.backend.github (S3 backend): the bootstrap stacks create the GitHub role, so it needs the role's name
 * (githubRoleName), bootstrap stacks (deployment.bootstrap) and a deploy role for the role to assume.
 */
import type { MatrixIssue } from '../errors';
import type { MatrixCheck } from './check';

export const githubRole: MatrixCheck = ({ matrix }) => {
  const d = matrix.deployment;
  const b = d?.backend;
  if (!d || b?.type !== 's3' || !b.github) return [];
  const issues: MatrixIssue[] = [];
  if (!b.githubRoleName)
    issues.push({
      path: 'deployment.backend.githubRoleName',
      value: undefined,
      allowed: `the name of the IAM role that the bootstrap stacks create for deployment.backend.github (repository ${b.github.repository}), e.g. "bedrock-governance-github"`,
    });
  if (!d.bootstrap)
    issues.push({
      path: 'deployment.bootstrap',
      value: undefined,
      allowed: 'a bootstrap block (e.g. {}): the bootstrap stacks create the GitHub role and OIDC provider of deployment.backend.github',
    });
  if (d.assumeRole === false)
    issues.push({
      path: 'deployment.assumeRole',
      value: false,
      allowed:
        'true (the default) with deployment.backend.github: the GitHub role may only assume the deploy role, which makes the changes',
    });
  return issues;
};
