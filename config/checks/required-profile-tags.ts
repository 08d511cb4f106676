/** Every profile carries the tag keys of requiredProfileTags, from the tenant or from the stack's default tags. */
import type { MatrixIssue } from '../errors';
import { eachStack } from './check';

export const requiredProfileTags = eachStack((stack, { matrix, config }) => {
  const issues: MatrixIssue[] = [];
  const tenants = matrix.tenants ?? [];
  const keys = config.tagKeys;
  for (const key of matrix.requiredProfileTags ?? [])
    for (const p of stack.profiles)
      if (!(key in p.tags) && !(key in stack.tags))
        issues.push({
          path: `tenants[${tenants.findIndex((t) => t.id === p.tenant)}]`,
          value: p.tenant,
          allowed: `a tenant whose profiles carry the tag "${key}" (requiredProfileTags): set it in the tenant's tags${key === keys.costCenter ? ' or costCenter' : key === keys.owner ? ' or owner' : ''}, or in matrix/account tags`,
        });
  return issues;
});
