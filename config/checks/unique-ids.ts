/**
 * IDs and names that must be unique: account IDs and names, model aliases, tenant
 * IDs (also regardless of case: IAM policy names ignore case, so Acme and acme would
 * collide) and the regions of each account.
 */
import type { MatrixIssue } from '../errors';
import { regionEntries } from '../resolvers/logging-stacks';
import type { MatrixCheck } from './check';

function duplicates<T>(items: T[], key: (t: T) => string, path: (i: number) => string, what: string): MatrixIssue[] {
  const issues: MatrixIssue[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else issues.push({ path: path(i), value: k, allowed: `${what} that appears only once (it is also at ${path(first)})` });
  });
  return issues;
}

export const uniqueIds: MatrixCheck = ({ matrix }) => {
  const tenants = matrix.tenants ?? [];
  const named = matrix.accounts.flatMap((a, i) => (a.name ? [{ name: a.name, i }] : []));
  const issues = [
    ...duplicates(
      matrix.accounts,
      (a) => a.id,
      (i) => `accounts[${i}].id`,
      'an account ID',
    ),
    ...duplicates(
      named,
      (a) => a.name,
      (k) => `accounts[${named[k].i}].name`,
      'an account name',
    ),
    ...duplicates(
      matrix.models ?? [],
      (m) => m.alias,
      (i) => `models[${i}].alias`,
      'a model alias',
    ),
    ...duplicates(
      tenants,
      (t) => t.id,
      (i) => `tenants[${i}].id`,
      'a tenant ID',
    ),
  ];
  tenants.forEach((t, i) => {
    const j = tenants.findIndex((o) => o.id !== t.id && o.id.toLowerCase() === t.id.toLowerCase());
    if (j >= 0 && j < i)
      issues.push({
        path: `tenants[${i}].id`,
        value: t.id,
        allowed: `a tenant ID that differs from tenants[${j}].id ("${tenants[j].id}") in more than case: IAM policy names ignore case`,
      });
  });
  matrix.accounts.forEach((account, ai) =>
    issues.push(
      ...duplicates(
        regionEntries(account),
        (r) => r.region,
        (ri) => `accounts[${ai}].regions[${ri}]`,
        'a region',
      ),
    ),
  );
  return issues;
};
