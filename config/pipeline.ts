/**
 * The config pipeline: a schema-valid matrix in, the resolved AppConfig and every
 * problem found out, all at once. One resolver per stack kind (resolvers/), then
 * every cross-field check (checks/), each returning its own problems.
 *
 * A matrix that fails the schema still gets its cross-field problems reported in
 * the same run (partialIssues), wherever the fields a check reads are valid.
 */
import type { z } from 'zod';
import { environmentsInOrder, waveOrder } from './deployment';
import { closest, type MatrixIssue } from './errors';
import { CHECKS } from './checks';
import type { MatrixCheck } from './checks';
import { resolveApprovedModels } from './approved-models';
import { resolveInferencePaths } from './inference-paths';
import { DEFAULT_TAG_KEYS, type AppConfig, type CostAllocationKeys } from './model';
import { deployRoleName } from './deployment';
import { resolveBootstraps } from './resolvers/bootstraps';
import { resolveLoggingStacks } from './resolvers/logging-stacks';
import { resolveManagement } from './resolvers/management';
import { resolveMonitoring } from './resolvers/monitoring';
import { Matrix } from './schema';

/** The resolvers alone: the config, and what stops a part of it from resolving. */
function resolveConfig(matrix: Matrix): { config: AppConfig; issues: MatrixIssue[] } {
  const issues: MatrixIssue[] = [];
  const tagKeys: CostAllocationKeys = { ...DEFAULT_TAG_KEYS, ...matrix.costAllocationTagKeys };
  const stacks = resolveLoggingStacks(matrix, tagKeys, issues);
  const management = resolveManagement(matrix, tagKeys, stacks, issues);
  // organizationPolicies.loggedInferenceOnly / apiKeys: the SCPs' input, and the stacks that watch unlogged bedrock-mantle traffic.
  const { paths, mantleAccounts } = resolveInferencePaths(matrix, issues);
  if (management && (paths.loggedInferenceOnly || paths.apiKeys)) management.inferencePaths = paths;
  // organizationPolicies.approvedModels: one SCP per entry (config/approved-models.ts).
  const approvedModels = resolveApprovedModels(matrix, issues);
  if (management && approvedModels) management.approvedModels = approvedModels;
  // organizationPolicies.requirePrivateNetwork: the SCP admits the VPCs of every network entry (checks/private-network.ts refuses none).
  const privateNetwork = matrix.organizationPolicies?.requirePrivateNetwork;
  const vpcIds = [...new Set(stacks.flatMap((s) => (s.network ? [s.network.vpcId] : [])))].sort();
  if (management && privateNetwork && vpcIds.length) management.privateNetwork = { targetIds: privateNetwork.targetIds, vpcIds };
  const perHour = matrix.organizationPolicies?.loggedInferenceOnly?.unloggedInferencesPerHour ?? 0;
  for (const s of stacks)
    if (mantleAccounts.has(s.accountId)) s.unloggedMantle = { inferencesPerHour: perHour, ...mantleAccounts.get(s.accountId) };
  const monitoring = resolveMonitoring(matrix, stacks);
  const d = matrix.deployment;
  const config: AppConfig = {
    stacks,
    management,
    monitoring,
    bootstraps: resolveBootstraps(matrix, stacks, management, monitoring),
    deployment: {
      roleName: deployRoleName(d),
      backend: d?.backend?.type ?? 'local',
      assumeRole: d?.assumeRole !== false,
      reviewWarnOnly: d?.review?.warnOnly?.environments ?? [],
      ...(d?.backend?.type === 's3' && d.backend.githubRoleName ? { githubRoleName: d.backend.githubRoleName } : {}),
      ...(d?.backend ? { backendSpec: d.backend } : {}),
    },
    rollout: { waves: waveOrder(matrix), environments: environmentsInOrder(matrix) },
    models: (matrix.models ?? []).map((m) => ({ alias: m.alias, source: m.source })),
    rateCard: matrix.rateCard ?? [],
    tagKeys,
  };
  return { config, issues };
}

/** A problem found in several stacks (a tenant's profile name) is reported once. */
const unique = (issues: MatrixIssue[]) =>
  issues.filter((i, n) => issues.findIndex((j) => j.path === i.path && j.allowed === i.allowed) === n);

export function resolveMatrix(matrix: Matrix): { config: AppConfig; issues: MatrixIssue[] } {
  const { config, issues } = resolveConfig(matrix);
  for (const check of CHECKS) issues.push(...check({ matrix, config }));
  return { config, issues: unique(issues) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Thrown when a check reaches for the resolved config of a matrix whose resolution read a field that failed the schema. */
class Unresolved extends Error {}

/**
 * The cross-field problems of a matrix that failed the schema, so that one run
 * reports everything it can. Every top-level field that parses on its own is kept;
 * a field with a schema problem anywhere inside it (or named by a misspelt key's
 * did-you-mean: "tenant" for "tenants") is left out. The resolvers and each check
 * then run on what is left, and each one's problems count only if it read none of
 * the fields left out (every read is recorded), so nothing is reported that a
 * fixed field could change; a check that reads the resolved config counts only
 * when the resolution read none either.
 */
export function partialIssues(input: unknown, error: z.ZodError, checks: readonly MatrixCheck[] = CHECKS): MatrixIssue[] {
  if (!isObject(input)) return [];
  const fields = Object.keys(Matrix.shape);
  const left = new Set<string>();
  for (const issue of error.issues) {
    if (issue.path.length) left.add(String(issue.path[0]));
    else if (issue.code === 'unrecognized_keys')
      for (const key of issue.keys) {
        const meant = closest(key, fields);
        if (meant) left.add(meant);
      }
    else return [];
  }
  const kept: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(Matrix.shape as Record<string, z.ZodTypeAny>)) {
    if (left.has(key) || !(key in input)) continue;
    const parsed = schema.safeParse(input[key]);
    if (parsed.success) kept[key] = parsed.data;
    else left.add(key);
  }
  /** The kept fields, recording every top-level field read. */
  const tracked = () => {
    const read = new Set<string>();
    const matrix = new Proxy(kept, {
      get: (target, key) => {
        if (typeof key === 'string') read.add(key);
        return Reflect.get(target, key);
      },
    }) as unknown as Matrix;
    return { matrix, readLeftOut: () => [...read].some((k) => left.has(k)) };
  };

  const issues: MatrixIssue[] = [];
  let config: AppConfig | undefined;
  const resolution = tracked();
  try {
    const resolved = resolveConfig(resolution.matrix);
    if (!resolution.readLeftOut()) {
      config = resolved.config;
      issues.push(...resolved.issues);
    }
  } catch {
    // The resolvers read a field that was left out (accounts, when it failed the schema).
  }
  const unresolved = new Proxy({} as AppConfig, {
    get: () => {
      throw new Unresolved();
    },
  });
  for (const check of checks) {
    const t = tracked();
    try {
      const found = check({ matrix: t.matrix, config: config ?? unresolved });
      if (!t.readLeftOut()) issues.push(...found);
    } catch {
      // The check read a field that was left out, or the config that could not be resolved.
    }
  }
  return unique(issues);
}
