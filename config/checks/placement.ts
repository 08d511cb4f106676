/** Every account, environment and region a tenant's placement names exists in the matrix. */
import type { MatrixIssue } from '../errors';
import type { MatrixCheck } from './check';

export const placement: MatrixCheck = ({ matrix }) => {
  const issues: MatrixIssue[] = [];
  const accountRefs = matrix.accounts.flatMap((a) => (a.name ? [a.id, a.name] : [a.id]));
  const environments = [...new Set(matrix.accounts.map((a) => a.environment ?? 'default'))];
  const regions = [...new Set(matrix.accounts.flatMap((a) => a.regions.map((r) => (typeof r === 'string' ? r : r.region))))];
  (matrix.tenants ?? []).forEach((t, ti) => {
    const check = (list: string[] | undefined, known: string[], key: string, what: string) =>
      list?.forEach((v, i) => {
        if (!known.includes(v))
          issues.push({ path: `tenants[${ti}].placement.${key}[${i}]`, value: v, allowed: `${what} of the matrix: ${known.join(', ')}` });
      });
    check(t.placement?.accounts, accountRefs, 'accounts', 'an account ID or name');
    check(t.placement?.environments, environments, 'environments', 'an environment');
    check(t.placement?.regions, regions, 'regions', 'a region');
  });
  return issues;
};
