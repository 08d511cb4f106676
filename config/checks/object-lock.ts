/**
 * S3 Object Lock on the log bucket: logs do not expire before their retention ends
 * (with Object Lock, a lifecycle expiration only adds a delete marker while the version
 * is locked, hiding logs S3 must still keep), and COMPLIANCE mode, which nobody can
 * shorten, takes the written confirmation.
 */
import { COMPLIANCE_CONFIRMATION } from '../logging';
import type { MatrixIssue } from '../errors';
import { eachStack } from './check';

export const objectLock = eachStack(({ logging, matrixPath }) => {
  const lock = logging.objectLock;
  if (!lock) return [];
  const issues: MatrixIssue[] = [];
  const { expirationDays } = logging.lifecycle;
  if (expirationDays !== undefined && expirationDays < lock.days)
    issues.push({
      path: `${matrixPath} (logging.lifecycle.expirationDays)`,
      value: expirationDays,
      allowed: `at least logging.objectLock.days (${lock.days}): logs cannot expire before their Object Lock retention ends`,
    });
  if (lock.mode === 'COMPLIANCE' && lock.confirmCompliance !== COMPLIANCE_CONFIRMATION)
    issues.push({
      path: `${matrixPath} (logging.objectLock.confirmCompliance)`,
      value: lock.confirmCompliance,
      allowed: `confirmCompliance: "${COMPLIANCE_CONFIRMATION}" with mode COMPLIANCE: nobody, not even the root user, can shorten or remove a COMPLIANCE retention of ${lock.days} days`,
    });
  if (lock.mode === 'GOVERNANCE' && lock.confirmCompliance !== undefined)
    issues.push({
      path: `${matrixPath} (logging.objectLock.confirmCompliance)`,
      value: lock.confirmCompliance,
      allowed: 'no confirmCompliance with mode GOVERNANCE (it confirms COMPLIANCE only)',
    });
  return issues;
});
