/**
 * Turns a schema-valid matrix into one fully resolved config per account x region:
 * defaults applied, options merged (matrix < account < region), names derived,
 * and the checks that need more than one field at a time.
 */
import {
  BootstrapConfig,
  ProviderIdentity,
  ResolvedBackend,
  TFC_HOSTNAME,
  DEFAULT_ADMIN_ROLE,
  bootstrapStackName,
  checkBackends,
  checkWaves,
  deployRoleName,
  providerIdentity,
  resolveBackend,
} from './deployment';
import { AnalyticsSettings, checkAnalytics, resolveAnalytics } from './analytics';
import { GuardrailConfig, checkGuardrails, resolveGuardrail } from './bedrock-guardrails';
import type { MatrixIssue } from './errors';
import * as rules from './rules';
import { CostExportSettings, resolveCostExport } from './cost-export';
import type { Lifecycle, LoggingOptions, Matrix, Model, ObjectLock, Tags, Tenant } from './schema';
import { COMPLIANCE_CONFIRMATION } from './schema';
import { type LoggingChain, ORG_POLICY_MAX_CHARS, dataPerimeterRcp, policyChars, protectLoggingScps } from '../policies/organization-policies';

export type Destination = 's3' | 'cloudwatch';

export interface LoggingSettings {
  destinations: Destination[];
  delivery: { text: boolean; image: boolean; embedding: boolean; video: boolean };
  s3KeyPrefix: string;
  largeDataKeyPrefix: string;
  logRetentionDays: number;
  logGroupName: string;
  bucketNamePrefix: string;
  lifecycle: Required<Pick<Lifecycle, 'transitions' | 'noncurrentVersionExpirationDays' | 'abortIncompleteMultipartUploadDays'>> &
    Pick<Lifecycle, 'expirationDays'>;
  kmsKeyArn?: string;
  /** S3 Object Lock on the log bucket; unset: none. */
  objectLock?: ObjectLock;
}

/** Safe defaults: both destinations, every delivery flag on, logs kept forever in S3 and a year in CloudWatch. */
export const DEFAULT_LOGGING: LoggingSettings = {
  destinations: ['s3', 'cloudwatch'],
  delivery: { text: true, image: true, embedding: true, video: true },
  s3KeyPrefix: 'invocation-logs',
  largeDataKeyPrefix: 'large-data',
  logRetentionDays: 365,
  logGroupName: '/bedrock/model-invocation-logs',
  bucketNamePrefix: 'bedrock-invocation-logs',
  lifecycle: {
    transitions: [{ days: 90, storageClass: 'GLACIER_IR' }],
    noncurrentVersionExpirationDays: 90,
    abortIncompleteMultipartUploadDays: 7,
  },
};

export const MANAGED_BY = 'bedrock-governance';

/** One application inference profile: a tenant's use of a model in one stack. */
export interface ProfileConfig {
  tenant: string;
  model: string;
  /** Terraform name: from the tenant ID and model alias only, so reordering lists changes no address. */
  logicalId: string;
  name: string;
  description: string;
  /** model_source.copy_from: a foundation model or a system-defined cross-region profile ARN. */
  copyFrom: string;
  /** What the tenant must also be allowed to invoke behind the profile. */
  underlyingArns: string[];
  tags: Record<string, string>;
}

export interface TenantPolicyConfig {
  tenant: string;
  name: string;
  /** The Bedrock guardrail every invocation of the tenant must use (its name in `bedrockGuardrails`). */
  guardrail?: string;
}

export interface CostAllocationKeys {
  tenant: string;
  costCenter: string;
  owner: string;
}

export interface ManagementConfig {
  stackName: string;
  matrixPath: string;
  accountId: string;
  identity: ProviderIdentity;
  backend: ResolvedBackend;
  deployRoleName: string;
  guardrails: NonNullable<Matrix['guardrails']>;
  /** The logging chain of every logging stack, by resource names: what the SCPs and the RCP protect. */
  chain: LoggingChain;
  /** The role(s) that apply the member accounts' bootstrap stacks, when the matrix has deployment.bootstrap: they write the deploy role. */
  bootstrapAdminRoleName?: string | string[];
  /** Cost Explorer and Budgets are global services served from us-east-1. */
  region: 'us-east-1';
  partition: 'aws';
  tagKeys: CostAllocationKeys;
  /** costAllocationTags.activate (default false): whether this stack manages the tags' activation (docs/cost-allocation-tags.md). */
  activateCostAllocationTags: boolean;
  budgets: { tenant: string; amountUsd: number; emails: string[] }[];
  anomalyMonitor?: { thresholdUsd: number; emails: string[]; tenants: string[] };
  /** The CUR 2.0 export and its analytics (matrix costExport). */
  costExport?: CostExportSettings;
  tags: Record<string, string>;
}

export interface StackConfig {
  /** cdktf stack name, also the Terraform working directory: derived from IDs only, so renames never orphan state. */
  stackName: string;
  /** Where this stack comes from in the matrix, for error messages. */
  matrixPath: string;
  accountId: string;
  accountName: string;
  environment: string;
  region: string;
  partition: ReturnType<typeof rules.partitionOf>;
  identity: ProviderIdentity;
  backend: ResolvedBackend;
  logging: LoggingSettings;
  /** Usage analytics and monitoring of this stack (config/analytics.ts). */
  analytics: AnalyticsSettings;
  /** Tags applied to every resource through the provider's default_tags. */
  tags: Record<string, string>;
  names: { bucket: string; logGroup: string; role: string; keyAlias: string };
  /** Inference profiles of the tenants placed here, sorted by logical ID. */
  profiles: ProfileConfig[];
  /** Tenants that get an invoke-only-your-profiles IAM policy in this stack. */
  tenantPolicies: TenantPolicyConfig[];
  /** Bedrock guardrails used by the tenant policies of this stack, sorted by name. */
  bedrockGuardrails: GuardrailConfig[];
  /** Existing resources the stack imports instead of creating (the region entry's adopt). */
  adopt: { loggingConfiguration: boolean; logGroup: boolean };
}

export interface AppConfig {
  matrix: Matrix;
  stacks: StackConfig[];
  management?: ManagementConfig;
  /** Present when deployment.bootstrap is set: one per account, the management account included. */
  bootstraps: BootstrapConfig[];
}

export const DEFAULT_TAG_KEYS: CostAllocationKeys = { tenant: 'tenant', costCenter: 'cost-center', owner: 'owner' };

export function managementStackName(accountId: string): string {
  return `bedrock-management-${accountId}`;
}

export function loggingStackName(accountId: string, region: string): string {
  return `bedrock-logging-${accountId}-${region}`;
}

function merge(base: LoggingSettings, over: LoggingOptions | undefined): LoggingSettings {
  if (!over) return base;
  return {
    ...base,
    ...over,
    delivery: { ...base.delivery, ...over.delivery },
    lifecycle: { ...base.lifecycle, ...over.lifecycle },
  } as LoggingSettings;
}

function duplicates<T>(items: T[], key: (t: T) => string, path: (i: number) => string, what: string, out: MatrixIssue[]) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else out.push({ path: path(i), value: k, allowed: `${what} that appears only once (it is also at ${path(first)})` });
  });
}

/** Resolves the matrix; returns the stacks and every problem found, all at once. */
export function resolve(matrix: Matrix): { config: AppConfig; issues: MatrixIssue[] } {
  const issues: MatrixIssue[] = [];
  const models = matrix.models ?? [];
  const tenants = matrix.tenants ?? [];

  duplicates(matrix.accounts, (a) => a.id, (i) => `accounts[${i}].id`, 'an account ID', issues);
  const named = matrix.accounts.flatMap((a, i) => (a.name ? [{ name: a.name, i }] : []));
  duplicates(named, (a) => a.name, (k) => `accounts[${named[k].i}].name`, 'an account name', issues);
  duplicates(models, (m) => m.alias, (i) => `models[${i}].alias`, 'a model alias', issues);
  duplicates(tenants, (t) => t.id, (i) => `tenants[${i}].id`, 'a tenant ID', issues);
  // IAM names (the tenant's invoke policy) are unique regardless of case: Acme and acme would collide.
  tenants.forEach((t, i) => {
    const j = tenants.findIndex((o) => o.id !== t.id && o.id.toLowerCase() === t.id.toLowerCase());
    if (j >= 0 && j < i)
      issues.push({ path: `tenants[${i}].id`, value: t.id, allowed: `a tenant ID that differs from tenants[${j}].id ("${tenants[j].id}") in more than case: IAM policy names ignore case` });
  });
  const aliases = models.map((m) => m.alias);
  tenants.forEach((t, ti) =>
    (t.models ?? []).forEach((alias, mi) => {
      if (!aliases.includes(alias))
        issues.push({
          path: `tenants[${ti}].models[${mi}]`,
          value: alias,
          allowed: aliases.length ? `a model alias defined in models: ${aliases.join(', ')}` : 'a model alias defined in models (there are none)',
        });
    }),
  );

  const tagKeys: CostAllocationKeys = { ...DEFAULT_TAG_KEYS, ...matrix.costAllocationTagKeys };
  const quota = matrix.profileQuotaPerRegion ?? rules.DEFAULT_PROFILE_QUOTA;
  issues.push(...checkPlacement(matrix));
  issues.push(...checkGuardrails(matrix.bedrockGuardrails ?? [], tenants));
  issues.push(...checkAnalytics(matrix.analytics, matrix.rateCard, tenants.map((t) => t.id), models.map((m) => m.alias)));

  const stacks: StackConfig[] = [];
  const matrixLogging = merge(DEFAULT_LOGGING, matrix.logging);
  matrix.accounts.forEach((account, ai) => {
    const accountLogging = merge(matrixLogging, account.logging);
    const regions = account.regions.map((r) => (typeof r === 'string' ? { region: r } : r));
    duplicates(regions, (r) => r.region, (ri) => `accounts[${ai}].regions[${ri}]`, 'a region', issues);
    regions.forEach((entry, ri) => {
      const path = `accounts[${ai}].regions[${ri}]`;
      const logging = merge(accountLogging, 'logging' in entry ? entry.logging : undefined);
      const region = entry.region;
      const stackName = loggingStackName(account.id, region);
      const environment = account.environment ?? 'default';
      const tags: Tags = {
        ...matrix.tags,
        ...account.tags,
        ...('tags' in entry ? entry.tags : undefined),
        'managed-by': MANAGED_BY,
        stack: stackName,
        environment,
      };
      const placed = tenants.map((t, ti) => ({ t, ti })).filter(({ t }) => isPlaced(t, account, region));
      const partition = rules.partitionOf(region);
      const naming = { stack: stackName, accountId: account.id, accountName: account.name ?? account.id, environment, region };
      const stack: StackConfig = {
        stackName,
        matrixPath: path,
        accountId: account.id,
        accountName: naming.accountName,
        environment,
        region,
        partition,
        identity: providerIdentity(matrix.deployment, partition, account.id),
        backend: resolveBackend(matrix.deployment?.backend, naming),
        logging,
        analytics: resolveAnalytics(matrix.analytics, matrix.rateCard, logging.destinations, { accountId: account.id, partition }),
        tags,
        names: {
          bucket: `${logging.bucketNamePrefix}-${account.id}-${region}`,
          logGroup: logging.logGroupName,
          role: `bedrock-invocation-logging-${region}`,
          keyAlias: 'alias/bedrock-invocation-logs',
        },
        profiles: [],
        tenantPolicies: [],
        bedrockGuardrails: [],
        adopt: { loggingConfiguration: adoptOf(entry).includes('loggingConfiguration'), logGroup: adoptOf(entry).includes('logGroup') },
      };
      for (const { t, ti } of placed) {
        for (const alias of t.models ?? []) {
          const model = models.find((m) => m.alias === alias);
          if (!model) continue; // reported above
          const profile = resolveProfile(stack, t, ti, model, tagKeys, path, issues);
          if (profile) stack.profiles.push(profile);
        }
        if ((t.models ?? []).length && t.invokePolicy !== false)
          stack.tenantPolicies.push({ tenant: t.id, name: `bedrock-invoke-${t.id}-${region}`, ...(t.guardrail ? { guardrail: t.guardrail } : {}) });
      }
      stack.profiles.sort((a, b) => a.logicalId.localeCompare(b.logicalId));
      stack.tenantPolicies.sort((a, b) => a.tenant.localeCompare(b.tenant));
      const usedGuardrails = new Set(stack.tenantPolicies.flatMap((p) => (p.guardrail ? [p.guardrail] : [])));
      stack.bedrockGuardrails = (matrix.bedrockGuardrails ?? [])
        .filter((g, gi, all) => usedGuardrails.has(g.name) && all.findIndex((x) => x.name === g.name) === gi)
        .map(resolveGuardrail)
        .sort((a, b) => a.name.localeCompare(b.name));
      if (stack.profiles.length > quota)
        issues.push({
          path,
          value: `${stack.profiles.length} inference profiles`,
          allowed: `at most profileQuotaPerRegion = ${quota} application inference profiles in ${account.id} ${region} (raise the Service Quotas limit L-40EC9882 first, then profileQuotaPerRegion)`,
        });
      for (const key of matrix.requiredProfileTags ?? [])
        for (const p of stack.profiles)
          if (!(key in p.tags) && !(key in tags))
            issues.push({
              path: `tenants[${tenants.findIndex((t) => t.id === p.tenant)}]`,
              value: p.tenant,
              allowed: `a tenant whose profiles carry the tag "${key}" (requiredProfileTags): set it in the tenant's tags${key === tagKeys.costCenter ? ' or costCenter' : key === tagKeys.owner ? ' or owner' : ''}, or in matrix/account tags`,
            });
      issues.push(...checkStack(stack));
      stacks.push(stack);
    });
  });
  const management = resolveManagement(matrix, tagKeys, stacks);
  if (management) issues.push(...checkOrganizationPolicies(management));
  if (matrix.costExport && !management)
    issues.push({ path: 'costExport', value: matrix.costExport, allowed: 'a matrix with managementAccountId: the export of the bill runs in the management (payer) account' });
  if (matrix.costExport && management) {
    const { settings, issues: exportIssues } = resolveCostExport(matrix.costExport, management.accountId, tagKeys.tenant);
    management.costExport = settings;
    issues.push(...exportIssues);
  }
  const bootstraps = resolveBootstraps(matrix, stacks, management);
  issues.push(...checkBackends([...stacks, ...(management ? [management] : []), ...bootstraps]), ...checkWaves(matrix), ...checkBootstrapRoles(matrix));
  const d = matrix.deployment;
  if (d?.bootstrap && d.backend?.type !== 'tfc' && !d.bootstrap.trustedPrincipalArns?.length)
    issues.push({
      path: 'deployment.bootstrap',
      value: d.bootstrap,
      allowed: 'someone to trust: a "tfc" backend (Terraform Cloud OIDC) or bootstrap.trustedPrincipalArns',
    });
  // A requiredProfileTags problem is reported once per tenant, not once per profile.
  const unique = issues.filter((i, n) => issues.findIndex((j) => j.path === i.path && j.allowed === i.allowed) === n);
  return { config: { matrix, stacks, management, bootstraps }, issues: unique };
}

const IAM_HOME_REGION: Record<string, string> = { aws: 'us-east-1', 'aws-us-gov': 'us-gov-west-1', 'aws-cn': 'cn-north-1' };

/**
 * The role that deploys an account's bootstrap stack. OrganizationAccountAccessRole exists
 * only in member accounts that AWS Organizations created, not in the management account and
 * not in invited accounts (AWS Organizations user guide, "Accessing member accounts"): the
 * management account's role is deployment.bootstrap.managementAccountRoleName (required,
 * checked by checkBootstrapRoles), an account's own adminRoleName comes next, then the
 * matrix-wide bootstrap.adminRoleName, then OrganizationAccountAccessRole.
 */
export function bootstrapAdminRole(matrix: Matrix, accountId: string): string {
  const b = matrix.deployment?.bootstrap;
  if (accountId === matrix.managementAccountId && b?.managementAccountRoleName) return b.managementAccountRoleName;
  return matrix.accounts.find((a) => a.id === accountId)?.adminRoleName ?? b?.adminRoleName ?? DEFAULT_ADMIN_ROLE;
}

/**
 * The admin roles that bootstrap member accounts (SCPs do not apply to the management account): one
 * name when every account uses the same (as before accounts[].adminRoleName), else the sorted list.
 */
function memberAdminRoles(matrix: Matrix): string | string[] | undefined {
  if (!matrix.deployment?.bootstrap) return undefined;
  const names = [...new Set(matrix.accounts.filter((a) => a.id !== matrix.managementAccountId).map((a) => bootstrapAdminRole(matrix, a.id)))].sort();
  return names.length === 1 ? names[0] : names.length ? names : (matrix.deployment.bootstrap.adminRoleName ?? DEFAULT_ADMIN_ROLE);
}

/** With bootstrap on and a management account, its admin role must be named; an account entry of the management account cannot name another. */
export function checkBootstrapRoles(matrix: Matrix): MatrixIssue[] {
  const b = matrix.deployment?.bootstrap;
  const mgmt = matrix.managementAccountId;
  if (b?.oidcProvider && b.oidcProvider !== 'create' && matrix.deployment?.backend?.type !== 'tfc')
    return [{ path: 'deployment.bootstrap.oidcProvider', value: b.oidcProvider, allowed: 'only with a "tfc" backend: without Terraform Cloud there is no OIDC provider to import or reference' }];
  if (!b || !mgmt) return [];
  if (!b.managementAccountRoleName)
    return [
      {
        path: 'deployment.bootstrap.managementAccountRoleName',
        value: undefined,
        allowed: `the name of an administrator role in the management account ${mgmt} that deploys its bootstrap stack (required with deployment.bootstrap and managementAccountId; there is no default, as OrganizationAccountAccessRole exists only in member accounts that AWS Organizations created)`,
      },
    ];
  const i = matrix.accounts.findIndex((a) => a.id === mgmt && a.adminRoleName !== undefined && a.adminRoleName !== b.managementAccountRoleName);
  return i < 0
    ? []
    : [
        {
          path: `accounts[${i}].adminRoleName`,
          value: matrix.accounts[i].adminRoleName,
          allowed: `no adminRoleName on the management account, or the same as deployment.bootstrap.managementAccountRoleName ("${b.managementAccountRoleName}")`,
        },
      ];
}

function resolveBootstraps(matrix: Matrix, stacks: StackConfig[], management: ManagementConfig | undefined): BootstrapConfig[] {
  const d = matrix.deployment;
  if (!d?.bootstrap) return [];
  const backend = d.backend?.type === 'tfc' ? d.backend : undefined;
  if (!backend && !d.bootstrap.trustedPrincipalArns?.length) return []; // reported by checkBootstrap
  const accountIds = [...new Set([...stacks.map((s) => s.accountId), ...(management ? [management.accountId] : [])])];
  return accountIds.map((accountId) => {
    // In region order, so the order the matrix lists regions in changes nothing.
    const own = stacks.filter((s) => s.accountId === accountId).sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
    const isManagement = management?.accountId === accountId;
    const partition = own[0]?.partition ?? 'aws';
    const workspaces = [...own, ...(isManagement ? [management!] : [])].flatMap((s) => (s.backend.type === 'tfc' ? [s.backend.workspace] : []));
    const stackName = bootstrapStackName(accountId);
    // IAM is global: the provider talks to the partition's home region, whatever regions the account uses.
    const region = IAM_HOME_REGION[partition];
    const naming = { stack: stackName, accountId, accountName: own[0]?.accountName ?? 'management', environment: 'bootstrap', region };
    return {
      stackName,
      matrixPath: 'deployment.bootstrap',
      accountId,
      accountName: naming.accountName,
      partition,
      region,
      backend: resolveBackend(d.backend, naming),
      tags: { ...matrix.tags, 'managed-by': MANAGED_BY, stack: stackName, environment: 'bootstrap' },
      // Bootstrap always goes through an admin role: the deploy role does not exist yet.
      identity: providerIdentity({ ...d, assumeRole: true }, partition, accountId, bootstrapAdminRole(matrix, accountId)),
      deployRoleName: deployRoleName(d),
      oidc: backend && {
        hostname: backend.hostname ?? TFC_HOSTNAME,
        organization: backend.organization,
        project: backend.project,
        workspaces: workspaces.sort(),
      },
      trustedPrincipalArns: d.bootstrap!.trustedPrincipalArns ?? [],
      oidcProvider: d.bootstrap!.oidcProvider ?? 'create',
      scope: {
        regions: own.map((s) => s.region),
        bucketNames: own.map((s) => s.names.bucket),
        logGroupNames: [...new Set(own.filter((s) => s.logging.destinations.includes('cloudwatch')).map((s) => s.names.logGroup))],
        workloads: own.length > 0,
        management: isManagement,
        quicksight: own.some((s) => s.analytics.quicksight !== undefined),
        costExportBucket: isManagement ? management!.costExport?.bucket : undefined,
      },
    };
  });
}

function isPlaced(t: Tenant, account: Matrix['accounts'][number], region: string): boolean {
  const p = t.placement;
  if (!p) return true;
  if (p.accounts && !p.accounts.includes(account.id) && !(account.name && p.accounts.includes(account.name))) return false;
  if (p.environments && !p.environments.includes(account.environment ?? 'default')) return false;
  if (p.regions && !p.regions.includes(region)) return false;
  return true;
}

function checkPlacement(matrix: Matrix): MatrixIssue[] {
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
}

/** Suggests a valid profile name: invalid characters and repeated separators removed, cut to 64. */
export function suggestProfileName(name: string): string {
  return name
    .replace(/[^0-9a-zA-Z _-]/g, '-')
    .replace(/[ _-]{2,}/g, (m) => m[0])
    .replace(/^[ _-]+/, '')
    .slice(0, rules.PROFILE_NAME_MAX)
    .replace(/[ _-]+$/, '');
}

function resolveProfile(
  stack: StackConfig,
  t: Tenant,
  ti: number,
  model: Model,
  keys: CostAllocationKeys,
  stackPath: string,
  issues: MatrixIssue[],
): ProfileConfig | undefined {
  const where = `tenants[${ti}] (tenant "${t.id}", model "${model.alias}")`;
  const { partition, region, accountId } = stack;
  const { geography, modelId } = rules.splitGeography(model.source);
  let copyFrom: string;
  let underlyingArns: string[];
  const foundationArn = (r: string) => `arn:${partition}:bedrock:${r}::foundation-model/${modelId}`;
  const systemProfile = (geo: string) => {
    const arn = `arn:${partition}:bedrock:${region}:${accountId}:inference-profile/${geo}.${modelId}`;
    // A cross-region profile routes to the model in any region of its geography.
    return { copyFrom: arn, underlyingArns: [arn, foundationArn('*')] };
  };
  if (geography) {
    if (model.crossRegion)
      issues.push({ path: where, value: model.source, allowed: 'crossRegion only with a foundation model ID (this source is already a cross-region profile)' });
    if (!rules.GEOGRAPHIES[geography].fits(region)) {
      issues.push({
        path: `${where} in ${stackPath}`,
        value: model.source,
        allowed: `a source whose geography fits ${region}: the "${geography}." profiles are available from ${rules.GEOGRAPHIES[geography].regions} only; limit the tenant with placement.regions, or use another model`,
      });
      return undefined;
    }
    ({ copyFrom, underlyingArns } = systemProfile(geography));
  } else if (model.crossRegion) {
    const geo = rules.geographyFor(region);
    if (!geo) {
      issues.push({
        path: `${where} in ${stackPath}`,
        value: region,
        allowed: 'a region with a cross-region geography (us-*, us-gov-*, eu-*, ap-*); elsewhere give a system profile ID, or limit the tenant with placement.regions',
      });
      return undefined;
    }
    ({ copyFrom, underlyingArns } = systemProfile(geo));
  } else {
    copyFrom = foundationArn(region);
    underlyingArns = [copyFrom];
  }

  const name = `${t.id}-${model.alias}`;
  if (name.length > rules.PROFILE_NAME_MAX || !rules.PROFILE_NAME.test(name))
    issues.push({
      path: where,
      value: name,
      allowed: `an inference profile name of 1-${rules.PROFILE_NAME_MAX} characters matching ([0-9a-zA-Z][ _-]?)+ (no repeated separators), e.g. "${suggestProfileName(name)}": rename the tenant or the model alias`,
    });
  const description = `Tenant ${t.id} model ${model.alias}`;
  if (description.length > rules.PROFILE_DESCRIPTION_MAX || !rules.PROFILE_DESCRIPTION.test(description))
    issues.push({ path: where, value: description, allowed: 'a profile description of at most 200 characters matching ([0-9a-zA-Z:.][ _-]?)+' });

  const tags: Record<string, string> = {
    ...t.tags,
    [keys.tenant]: t.id,
    ...(t.costCenter ? { [keys.costCenter]: t.costCenter } : {}),
    ...(t.owner ? { [keys.owner]: t.owner } : {}),
    'bedrock-model': model.alias,
  };
  const total = new Set([...Object.keys(tags), ...Object.keys(stack.tags)]).size;
  if (total > rules.TAGS_PER_RESOURCE_MAX)
    issues.push({ path: `${where} in ${stackPath}`, value: `${total} tags`, allowed: `at most ${rules.TAGS_PER_RESOURCE_MAX} tags per profile, counting the stack's default tags` });
  return { tenant: t.id, model: model.alias, logicalId: `${rules.tenantLogicalId(t.id)}__${model.alias}`, name, description, copyFrom, underlyingArns, tags };
}

/** Names the logging stacks give the links of the chain (see stacks/logging/ and stacks/analytics/alarms.ts). */
export const LOG_DELIVERY_ALARM_PREFIX = 'bedrock-log-delivery-';
export const ALARM_TOPIC_NAME = 'bedrock-alarms';
export const ALARM_KEY_ALIAS = 'alias/bedrock-alarms';

/** The chain of every logging stack, by resource names, for the organization policies. */
export function loggingChain(stacks: StackConfig[], partition: string): LoggingChain {
  const distinct = (l: string[]) => [...new Set(l)].sort();
  return {
    partition,
    bucketNamePrefixes: distinct(stacks.map((s) => s.logging.bucketNamePrefix)),
    deliveryKeyPrefixes: distinct(stacks.flatMap((s) => [s.logging.s3KeyPrefix, s.logging.largeDataKeyPrefix])),
    logGroupNames: distinct(stacks.map((s) => s.names.logGroup)),
    loggingRoleNames: distinct(stacks.map((s) => s.names.role)),
    keyAliases: distinct([...stacks.map((s) => s.names.keyAlias), ALARM_KEY_ALIAS]),
    alarmNamePrefix: LOG_DELIVERY_ALARM_PREFIX,
    alarmTopicName: ALARM_TOPIC_NAME,
  };
}

/** The SCPs and the RCP must each fit in 5,120 characters. */
function checkOrganizationPolicies(m: ManagementConfig): MatrixIssue[] {
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
}

function resolveManagement(matrix: Matrix, tagKeys: CostAllocationKeys, stacks: StackConfig[]): ManagementConfig | undefined {
  const accountId = matrix.managementAccountId;
  if (!accountId) return undefined;
  const stackName = managementStackName(accountId);
  const tenants = matrix.tenants ?? [];
  const naming = { stack: stackName, accountId, accountName: 'management', environment: 'management', region: 'us-east-1' };
  return {
    stackName,
    matrixPath: 'managementAccountId',
    accountId,
    identity: providerIdentity(matrix.deployment, 'aws', accountId),
    backend: resolveBackend(matrix.deployment?.backend, naming),
    deployRoleName: deployRoleName(matrix.deployment),
    guardrails: matrix.guardrails ?? {},
    chain: loggingChain(stacks, 'aws'),
    bootstrapAdminRoleName: memberAdminRoles(matrix),
    region: 'us-east-1',
    partition: 'aws',
    tagKeys,
    activateCostAllocationTags: matrix.costAllocationTags?.activate ?? false,
    budgets: tenants
      .filter((t) => t.monthlyBudgetUsd !== undefined)
      .map((t) => ({ tenant: t.id, amountUsd: t.monthlyBudgetUsd!, emails: t.alertEmails ?? [] }))
      .sort((a, b) => a.tenant.localeCompare(b.tenant)),
    anomalyMonitor: matrix.costAnomalyMonitor && { ...matrix.costAnomalyMonitor, tenants: tenants.map((t) => t.id).sort() },
    tags: { ...matrix.tags, 'managed-by': MANAGED_BY, stack: stackName, environment: 'management' },
  };
}

const adoptOf = (entry: object): string[] => ('adopt' in entry && Array.isArray(entry.adopt) ? entry.adopt : []);

function checkStack(s: StackConfig): MatrixIssue[] {
  const issues: MatrixIssue[] = [];
  const { logging } = s;
  if (s.adopt.logGroup && !logging.destinations.includes('cloudwatch'))
    issues.push({
      path: `${s.matrixPath}.adopt`,
      value: 'logGroup',
      allowed: `"logGroup" only where "cloudwatch" is a logging destination (this stack's destinations: ${logging.destinations.join(', ')}): without it the stack has no log group to adopt`,
    });
  if (!rules.BUCKET_NAME.test(s.names.bucket))
    issues.push({
      path: s.matrixPath,
      value: s.names.bucket,
      allowed: 'a log bucket name of at most 63 characters (logging.bucketNamePrefix + "-<account>-<region>"): shorten logging.bucketNamePrefix',
    });
  if (logging.kmsKeyArn) {
    const [, , , keyRegion, keyAccount] = logging.kmsKeyArn.split(':');
    if (keyRegion !== s.region || keyAccount !== s.accountId)
      issues.push({
        path: `${s.matrixPath} (logging.kmsKeyArn)`,
        value: logging.kmsKeyArn,
        allowed: `a KMS key in the stack's own account and region (${s.accountId}, ${s.region}): S3 and CloudWatch Logs only use keys from their own region`,
      });
  }
  const { transitions, expirationDays } = logging.lifecycle;
  if (expirationDays !== undefined) {
    const last = Math.max(0, ...transitions.map((t) => t.days));
    if (expirationDays <= last)
      issues.push({
        path: `${s.matrixPath} (logging.lifecycle.expirationDays)`,
        value: expirationDays,
        allowed: `more days than the last transition (${last})`,
      });
  }
  const lock = logging.objectLock;
  if (lock) {
    // With Object Lock, a lifecycle expiration only adds a delete marker while the version is
    // locked; expiring before the retention ends would hide logs S3 must still keep.
    if (expirationDays !== undefined && expirationDays < lock.days)
      issues.push({
        path: `${s.matrixPath} (logging.lifecycle.expirationDays)`,
        value: expirationDays,
        allowed: `at least logging.objectLock.days (${lock.days}): logs cannot expire before their Object Lock retention ends`,
      });
    if (lock.mode === 'COMPLIANCE' && lock.confirmCompliance !== COMPLIANCE_CONFIRMATION)
      issues.push({
        path: `${s.matrixPath} (logging.objectLock.confirmCompliance)`,
        value: lock.confirmCompliance,
        allowed: `confirmCompliance: "${COMPLIANCE_CONFIRMATION}" with mode COMPLIANCE: nobody, not even the root user, can shorten or remove a COMPLIANCE retention of ${lock.days} days`,
      });
    if (lock.mode === 'GOVERNANCE' && lock.confirmCompliance !== undefined)
      issues.push({ path: `${s.matrixPath} (logging.objectLock.confirmCompliance)`, value: lock.confirmCompliance, allowed: 'no confirmCompliance with mode GOVERNANCE (it confirms COMPLIANCE only)' });
  }
  if (Object.keys(s.tags).length > rules.TAGS_PER_RESOURCE_MAX)
    issues.push({
      path: `${s.matrixPath} (tags)`,
      value: Object.keys(s.tags).length,
      allowed: `at most ${rules.TAGS_PER_RESOURCE_MAX} tags per resource, counting matrix, account and region tags and the 3 the app adds`,
    });
  return issues;
}

