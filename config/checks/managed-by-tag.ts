/**
 * The managed-by tag is the app's: every resource gets managed-by = bedrock-governance through the
 * provider's default_tags, and the deploy role creates and changes keys, guardrails and inference
 * profiles only with it (policies/deploy-role-policies.ts). A profile's own tags override default
 * tags, so a tenant tag or a cost-allocation key named managed-by would make the profile's create
 * fail at apply with AccessDenied.
 */
import { MANAGED_BY, MANAGED_BY_TAG } from '../naming';
import type { MatrixIssue } from '../errors';
import type { MatrixCheck } from './check';

const allowed = `another tag key: the app sets ${MANAGED_BY_TAG} = ${MANAGED_BY} on every resource, and the deploy role manages only inference profiles that carry it`;

export const managedByTag: MatrixCheck = ({ matrix }) => {
  const issues: MatrixIssue[] = [];
  (matrix.tenants ?? []).forEach((t, i) => {
    if (t.tags && MANAGED_BY_TAG in t.tags)
      issues.push({ path: `tenants[${i}].tags.${MANAGED_BY_TAG}`, value: t.tags[MANAGED_BY_TAG], allowed });
  });
  for (const [k, v] of Object.entries(matrix.costAllocationTagKeys ?? {}))
    if (v === MANAGED_BY_TAG) issues.push({ path: `costAllocationTagKeys.${k}`, value: v, allowed });
  return issues;
};
