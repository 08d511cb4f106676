/**
 * Selective synth: build only the stacks of some accounts, environments or regions.
 * Every stack kind answers the same three questions: the management stack is
 * account "management" (or its ID), environment "management", region us-east-1;
 * bootstrap stacks are environment "bootstrap".
 */
import { MatrixError, MatrixIssue } from './errors';
import type { AppConfig } from './model';

export interface StackFilter {
  accounts?: string[];
  environments?: string[];
  regions?: string[];
}

export const FILTER_ENV = { accounts: 'SYNTH_ACCOUNTS', environments: 'SYNTH_ENVIRONMENTS', regions: 'SYNTH_REGIONS' } as const;
export const FILTER_FLAGS = { accounts: '--account', environments: '--environment', regions: '--region' } as const;

interface Facets {
  accounts: string[];
  environment: string;
  region: string;
}

function list(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
}

export function filterFromEnv(env: NodeJS.ProcessEnv): StackFilter {
  return {
    accounts: list(env[FILTER_ENV.accounts]),
    environments: list(env[FILTER_ENV.environments]),
    regions: list(env[FILTER_ENV.regions]),
  };
}

/** Merges two filters: a key set in `over` wins. */
export function mergeFilters(base: StackFilter, over: StackFilter): StackFilter {
  return {
    accounts: over.accounts ?? base.accounts,
    environments: over.environments ?? base.environments,
    regions: over.regions ?? base.regions,
  };
}

export function isEmpty(f: StackFilter): boolean {
  return !f.accounts && !f.environments && !f.regions;
}

/** The subset of the app config that the filter selects; unknown filter values are errors. */
export function selectStacks(config: AppConfig, filter: StackFilter): AppConfig {
  if (isEmpty(filter)) return config;
  const facets = (f: Facets) =>
    (!filter.accounts || filter.accounts.some((a) => f.accounts.includes(a))) &&
    (!filter.environments || filter.environments.includes(f.environment)) &&
    (!filter.regions || filter.regions.includes(f.region));

  const all: Facets[] = [
    ...config.stacks.map((s) => ({ accounts: [s.accountId, s.accountName], environment: s.environment, region: s.region })),
    ...(config.management
      ? [{ accounts: [config.management.accountId, 'management'], environment: 'management', region: config.management.region }]
      : []),
    ...config.monitoring.map((m) => ({ accounts: [m.accountId, 'monitoring'], environment: 'monitoring', region: m.region })),
    ...config.bootstraps.map((b) => ({ accounts: [b.accountId, b.accountName], environment: 'bootstrap', region: b.region })),
  ];
  const issues: MatrixIssue[] = [];
  const check = (key: keyof StackFilter, known: string[]) =>
    filter[key]?.forEach((v) => {
      if (!known.includes(v))
        issues.push({ path: `${FILTER_FLAGS[key]} / ${FILTER_ENV[key]}`, value: v, allowed: `one of ${[...new Set(known)].join(', ')}` });
    });
  check(
    'accounts',
    all.flatMap((f) => f.accounts),
  );
  check(
    'environments',
    all.map((f) => f.environment),
  );
  check(
    'regions',
    all.map((f) => f.region),
  );
  if (issues.length) throw new MatrixError('--account/--environment/--region or SYNTH_* variables', issues, 'stack filter');

  const selected: AppConfig = {
    ...config,
    stacks: config.stacks.filter((s) => facets({ accounts: [s.accountId, s.accountName], environment: s.environment, region: s.region })),
    management:
      config.management &&
      facets({ accounts: [config.management.accountId, 'management'], environment: 'management', region: config.management.region })
        ? config.management
        : undefined,
    monitoring: config.monitoring.filter((m) =>
      facets({ accounts: [m.accountId, 'monitoring'], environment: 'monitoring', region: m.region }),
    ),
    bootstraps: config.bootstraps.filter((b) =>
      facets({ accounts: [b.accountId, b.accountName], environment: 'bootstrap', region: b.region }),
    ),
  };
  if (!selected.stacks.length && !selected.management && !selected.monitoring.length && !selected.bootstraps.length)
    throw new MatrixError(
      '--account/--environment/--region or SYNTH_* variables',
      [{ path: 'filter', value: filter, allowed: 'a combination of filters that selects at least one stack' }],
      'stack filter',
    );
  return selected;
}

/**
 * Rollout order: the bootstrap stacks (deploy roles), then the monitoring stacks
 * (matrix observability), then each environment in deployment.waves order, then
 * the management stack (its cost-allocation tags can only be activated once the
 * workloads' tags exist in billing data). The monitoring stacks go before every
 * logging stack of their region, not after: each logging stack's OAM link reads
 * its sink's ARN from the monitoring stack's state (output sink_arn), which exists
 * only once that stack is applied (docs/observability.md).
 */
export function rolloutWaves(config: AppConfig): { wave: string; stacks: string[] }[] {
  const waves: { wave: string; stacks: string[] }[] = [];
  if (config.bootstraps.length) waves.push({ wave: 'bootstrap', stacks: config.bootstraps.map((b) => b.stackName) });
  if (config.monitoring.length) waves.push({ wave: 'monitoring', stacks: config.monitoring.map((m) => m.stackName) });
  for (const env of config.rollout.environments)
    waves.push({ wave: env, stacks: config.stacks.filter((s) => s.environment === env).map((s) => s.stackName) });
  if (config.management) waves.push({ wave: 'management', stacks: [config.management.stackName] });
  return waves;
}

/** Each stack's account and partition (bootstrap, monitoring, logging and management stacks). */
export function stackAccounts(config: AppConfig): Map<string, { accountId: string; partition: string }> {
  const all = [...config.bootstraps, ...config.monitoring, ...config.stacks, ...(config.management ? [config.management] : [])];
  return new Map(all.map((s) => [s.stackName, { accountId: s.accountId, partition: s.partition }]));
}

/** One job of the generated workflows: the stacks of one account and the role it assumes through GitHub OIDC ("" for all, and none). */
export interface PipelineJob {
  account: string;
  role: string;
}

/**
 * The jobs that plan or apply a set of stacks in the generated workflows. With an S3 backend: one per account,
 * each assuming that account's role deployment.backend.githubRoleName through GitHub OIDC (one role per account,
 * so no job holds credentials for another account's stacks). Otherwise one job for all of them, with no AWS
 * role: Terraform Cloud's runs get their credentials from the workspace (TFC_AWS_RUN_ROLE_ARN).
 */
export function pipelineJobs(config: AppConfig, stacks: readonly string[], source = 'matrix'): PipelineJob[] {
  if (config.deployment.backend !== 's3') return [{ account: '', role: '' }];
  const role = config.deployment.githubRoleName;
  if (!role)
    throw new MatrixError(source, [
      {
        path: 'deployment.backend.githubRoleName',
        value: undefined,
        allowed:
          'an IAM role name: with an S3 backend the deploy workflow assumes, through GitHub OIDC, the role arn:<partition>:iam::<account>:role/<githubRoleName> in each account for its stacks (docs/rollout.md)',
      },
    ]);
  const accounts = stackAccounts(config);
  const jobs = new Map<string, PipelineJob>();
  for (const s of stacks) {
    const a = accounts.get(s);
    if (a && !jobs.has(a.accountId))
      jobs.set(a.accountId, { account: a.accountId, role: `arn:${a.partition}:iam::${a.accountId}:role/${role}` });
  }
  return [...jobs.values()].sort((x, y) => (x.account < y.account ? -1 : x.account > y.account ? 1 : 0));
}

/** The stacks of `stacks` in account `account` ("" for all). */
export function stacksOfAccount(config: AppConfig, stacks: readonly string[], account: string): string[] {
  if (!account) return [...stacks];
  const accounts = stackAccounts(config);
  return stacks.filter((s) => accounts.get(s)?.accountId === account);
}
