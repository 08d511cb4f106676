/**
 * Cross-account observability (config/observability.ts): every region of observability.regions has a
 * logging stack of another account to link to its sink, and no account uses the environment
 * "monitoring", the name of the monitoring stacks' wave.
 */
import type { MatrixIssue } from '../errors';
import { linkingStacks } from '../resolvers/monitoring';
import type { MatrixCheck } from './check';

export const observability: MatrixCheck = ({ matrix, config }) => {
  const o = matrix.observability;
  if (!o) return [];
  const issues: MatrixIssue[] = [];
  const linked = new Set(linkingStacks(matrix, config.stacks).map((s) => s.region));
  const candidates = [...new Set(config.stacks.filter((s) => s.accountId !== o.monitoringAccountId).map((s) => s.region))].sort();
  (o.regions ?? []).forEach((region, i) => {
    if (!linked.has(region))
      issues.push({
        path: `observability.regions[${i}]`,
        value: region,
        allowed: candidates.length
          ? `a region where an account other than the monitoring account (${o.monitoringAccountId}) has a logging stack: ${candidates.join(', ')}`
          : `a region where an account other than the monitoring account (${o.monitoringAccountId}) has a logging stack (there is none: add an account)`,
      });
  });
  if (!o.regions && !candidates.length)
    issues.push({
      path: 'observability.monitoringAccountId',
      value: o.monitoringAccountId,
      allowed: 'a monitoring account with other accounts to watch: the matrix has no logging stack of another account',
    });
  matrix.accounts.forEach((a, i) => {
    if (a.environment === 'monitoring')
      issues.push({
        path: `accounts[${i}].environment`,
        value: a.environment,
        allowed: 'an environment other than "monitoring": with observability, that is the wave of the monitoring stacks',
      });
  });
  return issues;
};
