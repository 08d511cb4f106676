/**
 * The config pipeline: a schema-valid matrix in, the resolved AppConfig and every
 * problem found out, all at once. One resolver per stack kind (resolvers/), then
 * every cross-field check (checks/), each returning its own problems.
 */
import { environmentsInOrder, waveOrder } from './deployment';
import type { MatrixIssue } from './errors';
import { CHECKS } from './checks';
import { DEFAULT_TAG_KEYS, type AppConfig, type CostAllocationKeys } from './model';
import { deployRoleName } from './deployment';
import { resolveBootstraps } from './resolvers/bootstraps';
import { resolveLoggingStacks } from './resolvers/logging-stacks';
import { resolveManagement } from './resolvers/management';
import type { Matrix } from './schema';

export function resolveMatrix(matrix: Matrix): { config: AppConfig; issues: MatrixIssue[] } {
  const issues: MatrixIssue[] = [];
  const tagKeys: CostAllocationKeys = { ...DEFAULT_TAG_KEYS, ...matrix.costAllocationTagKeys };
  const stacks = resolveLoggingStacks(matrix, tagKeys, issues);
  const management = resolveManagement(matrix, tagKeys, stacks, issues);
  const d = matrix.deployment;
  const config: AppConfig = {
    stacks,
    management,
    bootstraps: resolveBootstraps(matrix, stacks, management),
    deployment: { roleName: deployRoleName(d), backend: d?.backend?.type ?? 'local', assumeRole: d?.assumeRole !== false, reviewWarnOnly: d?.review?.warnOnly?.environments ?? [] },
    rollout: { waves: waveOrder(matrix), environments: environmentsInOrder(matrix) },
    models: (matrix.models ?? []).map((m) => ({ alias: m.alias, source: m.source })),
    rateCard: matrix.rateCard ?? [],
    tagKeys,
  };
  for (const check of CHECKS) issues.push(...check({ matrix, config }));
  // A problem found in several stacks (a tenant's profile name) is reported once.
  const unique = issues.filter((i, n) => issues.findIndex((j) => j.path === i.path && j.allowed === i.allowed) === n);
  return { config, issues: unique };
}
