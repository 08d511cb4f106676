/**
 * The logging stacks: one per account and region entry, with the logging options
 * merged (matrix < account < region), the names derived, and the tenants placed
 * there turned into inference profiles and invoke policies.
 */
import { resolveAnalytics } from '../analytics';
import { resolveGuardrail } from '../bedrock-guardrails';
import { providerIdentity, resolveBackend } from '../deployment';
import type { MatrixIssue } from '../errors';
import { DEFAULT_EVALUATION_EXPIRATION_DAYS, mergeEvaluation } from '../evaluation';
import { resolveNetwork } from '../network';
import { DEFAULT_LOGGING, mergeLogging } from '../logging';
import type { CostAllocationKeys, ProfileConfig, StackConfig } from '../model';
import {
  LOG_KEY_ALIAS,
  MANAGED_BY,
  MANAGED_BY_TAG,
  athenaResultsBucketName,
  evaluationBucketName,
  evaluationRoleName,
  logBucketName,
  loggingRoleName,
  loggingStackName,
  tenantPolicyName,
} from '../naming';
import * as rules from '../rules';
import type { Matrix, Model, Tenant } from '../schema';

type Account = Matrix['accounts'][number];

/** The region entries of an account, each as an object. */
export const regionEntries = (account: Account) => account.regions.map((r) => (typeof r === 'string' ? { region: r } : r));

const adoptOf = (entry: object): string[] => ('adopt' in entry && Array.isArray(entry.adopt) ? entry.adopt : []);

/** Whether a tenant's placement (every filter given) matches this account and region. */
export function isPlaced(t: Tenant, account: Account, region: string): boolean {
  const p = t.placement;
  if (!p) return true;
  if (p.accounts && !p.accounts.includes(account.id) && !(account.name && p.accounts.includes(account.name))) return false;
  if (p.environments && !p.environments.includes(account.environment ?? 'default')) return false;
  if (p.regions && !p.regions.includes(region)) return false;
  return true;
}

/** Resolves every logging stack; `issues` gets what stops a profile from resolving (a geography that does not fit). */
export function resolveLoggingStacks(matrix: Matrix, tagKeys: CostAllocationKeys, issues: MatrixIssue[]): StackConfig[] {
  const models = matrix.models ?? [];
  const tenants = matrix.tenants ?? [];
  const stacks: StackConfig[] = [];
  const matrixLogging = mergeLogging(DEFAULT_LOGGING, matrix.logging);
  matrix.accounts.forEach((account, ai) => {
    const accountLogging = mergeLogging(matrixLogging, account.logging);
    regionEntries(account).forEach((entry, ri) => {
      const path = `accounts[${ai}].regions[${ri}]`;
      const logging = mergeLogging(accountLogging, 'logging' in entry ? entry.logging : undefined);
      const region = entry.region;
      const stackName = loggingStackName(account.id, region);
      const environment = account.environment ?? 'default';
      const tags = {
        ...matrix.tags,
        ...account.tags,
        ...('tags' in entry ? entry.tags : undefined),
        [MANAGED_BY_TAG]: MANAGED_BY,
        stack: stackName,
        environment,
      };
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
        analytics: resolveAnalytics(matrix.analytics, matrix.rateCard, logging.destinations, {
          partition,
          region,
          accountId: account.id,
          accountName: naming.accountName,
          environment,
        }),
        tags,
        names: {
          bucket: logBucketName(logging.bucketNamePrefix, account.id, region),
          logGroup: logging.logGroupName,
          role: loggingRoleName(region),
          keyAlias: LOG_KEY_ALIAS,
          athenaResultsBucket: athenaResultsBucketName(account.id, region),
        },
        profiles: [],
        tenantPolicies: [],
        bedrockGuardrails: [],
        adopt: { loggingConfiguration: adoptOf(entry).includes('loggingConfiguration'), logGroup: adoptOf(entry).includes('logGroup') },
      };
      for (const [ti, t] of tenants.entries()) {
        if (!isPlaced(t, account, region)) continue;
        for (const alias of t.models ?? []) {
          const model = models.find((m) => m.alias === alias);
          if (!model) continue; // checks/tenant-models.ts reports it
          const profile = resolveProfile(stack, t, ti, model, tagKeys, issues);
          if (profile) stack.profiles.push(profile);
        }
        if ((t.models ?? []).length && t.invokePolicy !== false)
          stack.tenantPolicies.push({
            tenant: t.id,
            name: tenantPolicyName(t.id, region),
            ...(t.guardrail ? { guardrail: t.guardrail } : {}),
          });
      }
      stack.profiles.sort((a, b) => a.logicalId.localeCompare(b.logicalId));
      stack.tenantPolicies.sort((a, b) => a.tenant.localeCompare(b.tenant));
      const usedGuardrails = new Set(stack.tenantPolicies.flatMap((p) => (p.guardrail ? [p.guardrail] : [])));
      stack.bedrockGuardrails = (matrix.bedrockGuardrails ?? [])
        .flatMap((g, gi, all) =>
          usedGuardrails.has(g.name) && all.findIndex((x) => x.name === g.name) === gi ? [resolveGuardrail(g, gi)] : [],
        )
        .sort((a, b) => a.name.localeCompare(b.name));
      const evaluation = mergeEvaluation(matrix.evaluation, account.evaluation, 'evaluation' in entry ? entry.evaluation : undefined);
      if (evaluation)
        stack.evaluation = {
          bucket: evaluationBucketName(account.id, region),
          role: evaluationRoleName(region),
          expirationDays: evaluation.expirationDays ?? DEFAULT_EVALUATION_EXPIRATION_DAYS,
          // Unknown aliases and a stack without judge models are reported by checks/evaluation.ts.
          judgeModels: (evaluation.judgeModels ?? []).flatMap((alias) => {
            const model = models.find((m) => m.alias === alias);
            const source = model && modelSource(stack, model, `${path}: evaluation.judgeModels ("${alias}")`, issues);
            return source ? [{ alias, arns: source.underlyingArns }] : [];
          }),
        };
      const network = 'network' in entry && entry.network ? entry.network : account.network;
      const networkPath = 'network' in entry && entry.network ? `${path}.network` : `accounts[${ai}].network`;
      const resolvedNetwork = resolveNetwork(network, networkPath, matrix.organizationPolicies?.dataPerimeterRcp?.organizationId, issues);
      if (resolvedNetwork) stack.network = resolvedNetwork;
      if (network === account.network && account.network && account.regions.length > 1)
        issues.push({
          path: `accounts[${ai}].network`,
          value: account.network.vpcId,
          allowed: `network on each region entry: a VPC is in one region, and this account has ${account.regions.length}`,
        });
      stacks.push(stack);
    });
  });
  return stacks;
}

/** Where a profile's problems are reported: the tenant and the model. */
export const profilePath = (ti: number, tenant: string, model: string) => `tenants[${ti}] (tenant "${tenant}", model "${model}")`;

/**
 * What a model of the matrix is in one stack: the ARN a profile copies from (the
 * foundation model, or the system cross-region profile of the model's or the
 * region's geography) and what invoking it needs (that ARN, and the models behind a
 * system profile). Undefined when the geography does not fit the stack's region
 * (reported in `issues` under `where`).
 */
export function modelSource(
  stack: StackConfig,
  model: Model,
  where: string,
  issues: MatrixIssue[],
): { copyFrom: string; underlyingArns: string[] } | undefined {
  const { partition, region, accountId, matrixPath: stackPath } = stack;
  const { geography, modelId } = rules.splitGeography(model.source);
  const foundationArn = (r: string) => `arn:${partition}:bedrock:${r}::foundation-model/${modelId}`;
  const systemProfile = (geo: string) => {
    const arn = `arn:${partition}:bedrock:${region}:${accountId}:inference-profile/${geo}.${modelId}`;
    // A cross-region profile routes to the model in any region of its geography.
    return { copyFrom: arn, underlyingArns: [arn, foundationArn('*')] };
  };
  if (geography) {
    if (model.crossRegion)
      issues.push({
        path: where,
        value: model.source,
        allowed: 'crossRegion only with a foundation model ID (this source is already a cross-region profile)',
      });
    if (!rules.GEOGRAPHIES[geography].fits(region)) {
      issues.push({
        path: `${where} in ${stackPath}`,
        value: model.source,
        allowed: `a source whose geography fits ${region}: the "${geography}." profiles are available from ${rules.GEOGRAPHIES[geography].regions} only; limit the tenant with placement.regions, or use another model`,
      });
      return undefined;
    }
    return systemProfile(geography);
  }
  if (model.crossRegion) {
    const geo = rules.geographyFor(region);
    if (!geo) {
      issues.push({
        path: `${where} in ${stackPath}`,
        value: region,
        allowed:
          'a region with a cross-region geography (us-*, us-gov-*, eu-*, ap-*); elsewhere give a system profile ID, or limit the tenant with placement.regions',
      });
      return undefined;
    }
    return systemProfile(geo);
  }
  return { copyFrom: foundationArn(region), underlyingArns: [foundationArn(region)] };
}

/**
 * A tenant's profile of one model in one stack: what it copies from (the foundation
 * model, or the system cross-region profile of the model's or the region's
 * geography) and what the tenant must be allowed to invoke behind it. Undefined
 * when the geography does not fit the stack's region (reported in `issues`).
 */
function resolveProfile(
  stack: StackConfig,
  t: Tenant,
  ti: number,
  model: Model,
  keys: CostAllocationKeys,
  issues: MatrixIssue[],
): ProfileConfig | undefined {
  const source = modelSource(stack, model, profilePath(ti, t.id, model.alias), issues);
  if (!source) return undefined;
  const { copyFrom, underlyingArns } = source;
  const tags: Record<string, string> = {
    ...t.tags,
    [keys.tenant]: t.id,
    ...(t.costCenter ? { [keys.costCenter]: t.costCenter } : {}),
    ...(t.owner ? { [keys.owner]: t.owner } : {}),
    'bedrock-model': model.alias,
  };
  return {
    tenant: t.id,
    model: model.alias,
    logicalId: `${rules.tenantLogicalId(t.id)}__${model.alias}`,
    name: `${t.id}-${model.alias}`,
    description: `Tenant ${t.id} model ${model.alias}`,
    copyFrom,
    underlyingArns,
    tags,
  };
}
