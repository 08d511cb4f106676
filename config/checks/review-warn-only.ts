import { DEFAULT_ENVIRONMENT } from '../deployment';
import type { MatrixIssue } from '../errors';
import type { MatrixCheck } from './check';

/**
 * deployment.review.warnOnly.environments must name environments the matrix has
 * (an account's environment, or "bootstrap" and "management" for those stacks):
 * a typo would silently keep a sandbox's data loss failing the check, or worse,
 * look as if prod were covered.
 */
export const reviewWarnOnly: MatrixCheck = ({ matrix }) => {
  const listed = matrix.deployment?.review?.warnOnly?.environments ?? [];
  const known = [...new Set([...matrix.accounts.map((a) => a.environment ?? DEFAULT_ENVIRONMENT), 'bootstrap', 'management'])];
  const issues: MatrixIssue[] = [];
  listed.forEach((env, i) => {
    if (!known.includes(env))
      issues.push({
        path: `deployment.review.warnOnly.environments[${i}]`,
        value: env,
        allowed: `an environment of the matrix: ${known.join(', ')}`,
      });
  });
  return issues;
};
