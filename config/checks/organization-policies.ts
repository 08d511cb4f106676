import type { MatrixIssue } from '../errors';
import { ORG_POLICY_MAX_CHARS, dataPerimeterRcp, policyChars, protectLoggingScps } from '../../policies/organization-policies';
import type { MatrixCheck } from './check';

/** The SCPs and the RCP must each fit in 5,120 characters. */
export const organizationPolicies: MatrixCheck = ({ config }) => {
  const m = config.management;
  if (!m) return [];
  const issues: MatrixIssue[] = [];
  const { protectLoggingScp, dataPerimeterRcp: rcp } = m.guardrails;
  const too = (path: string, chars: number, what: string, fix: string) =>
    issues.push({ path, value: `${chars} characters`, allowed: `${what} of at most ${ORG_POLICY_MAX_CHARS} characters (an AWS Organizations limit): ${fix}` });
  if (protectLoggingScp)
    protectLoggingScps({ chain: m.chain, deployRoleName: m.deployRoleName, breakGlassRoleArns: protectLoggingScp.breakGlassRoleArns, bootstrapAdminRoleName: m.bootstrapAdminRoleName }).forEach((doc, i) => {
      const chars = policyChars(doc);
      if (chars > ORG_POLICY_MAX_CHARS)
        too(`guardrails.protectLoggingScp (SCP ${i + 1} of 2)`, chars, 'an SCP', 'list fewer breakGlassRoleArns, or use fewer distinct logging.bucketNamePrefix, key prefix and logGroupName values');
    });
  if (rcp) {
    const chars = policyChars(dataPerimeterRcp({ chain: m.chain, organizationId: rcp.organizationId }));
    if (chars > ORG_POLICY_MAX_CHARS) too('guardrails.dataPerimeterRcp', chars, 'an RCP', 'use fewer distinct logging.bucketNamePrefix values');
  }
  return issues;
};
