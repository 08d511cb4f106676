/**
 * How stacks reach their accounts and keep their state: the deploy role each
 * provider assumes, the backend of each stack (local, Terraform Cloud or S3),
 * the bootstrap stacks that create the deploy role, and the rollout waves.
 */
import { distance, type MatrixIssue } from './errors';
import * as rules from './rules';
import type { Backend, Deployment, Matrix } from './schema';

export const DEFAULT_DEPLOY_ROLE = 'bedrock-governance-deploy';
export const DEFAULT_ADMIN_ROLE = 'OrganizationAccountAccessRole';
export const DEFAULT_WORKSPACE_TEMPLATE = '{stack}';
export const DEFAULT_STATE_KEY_TEMPLATE = 'bedrock-governance/{stack}/terraform.tfstate';
export const DEFAULT_WAVE_ORDER = ['dev', 'staging', 'prod'];
export const TFC_HOSTNAME = 'app.terraform.io';

/** The identity a stack's provider uses. */
export interface ProviderIdentity {
  assumeRole?: { roleArn: string; sessionName?: string; externalId?: string };
}

export type ResolvedBackend =
  | { type: 'local' }
  | { type: 'tfc'; organization: string; project?: string; workspace: string; hostname?: string }
  | { type: 's3'; bucket: string; region: string; key: string; roleArn?: string };

/** The values a workspace-name or state-key template can use. */
export interface StackNaming {
  stack: string;
  accountId: string;
  accountName: string;
  environment: string;
  region: string;
}

export function render(template: string, naming: StackNaming): string {
  return template.replace(/\{(\w+)\}/g, (_, field: keyof StackNaming) => naming[field]);
}

export function deployRoleName(d: Deployment | undefined): string {
  return d?.roleName ?? DEFAULT_DEPLOY_ROLE;
}

export function providerIdentity(d: Deployment | undefined, partition: string, accountId: string, roleName = deployRoleName(d)): ProviderIdentity {
  if (d?.assumeRole === false) return {};
  return {
    assumeRole: {
      roleArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
      sessionName: d?.sessionName,
      externalId: d?.externalId,
    },
  };
}

export function resolveBackend(backend: Backend | undefined, naming: StackNaming): ResolvedBackend {
  switch (backend?.type) {
    case undefined:
    case 'local':
      return { type: 'local' };
    case 'tfc':
      return {
        type: 'tfc',
        organization: backend.organization,
        project: backend.project,
        hostname: backend.hostname,
        workspace: render(backend.workspaceTemplate ?? DEFAULT_WORKSPACE_TEMPLATE, naming),
      };
    case 's3':
      return {
        type: 's3',
        bucket: backend.bucket,
        region: backend.region,
        roleArn: backend.roleArn,
        key: render(backend.keyTemplate ?? DEFAULT_STATE_KEY_TEMPLATE, naming),
      };
  }
}

/** Workspace names and state keys must be valid and unique, or two stacks would share state. */
export function checkBackends(stacks: { matrixPath: string; backend: ResolvedBackend }[]): MatrixIssue[] {
  const issues: MatrixIssue[] = [];
  const seen = new Map<string, string>();
  for (const s of stacks) {
    const b = s.backend;
    if (b.type === 'local') continue;
    const id = b.type === 'tfc' ? b.workspace : b.key;
    const field = b.type === 'tfc' ? 'deployment.backend.workspaceTemplate' : 'deployment.backend.keyTemplate';
    if (b.type === 'tfc' && !rules.TFC_WORKSPACE.test(id))
      issues.push({ path: `${s.matrixPath} (${field})`, value: id, allowed: 'a Terraform Cloud workspace name of at most 90 letters, digits, - and _' });
    const other = seen.get(id);
    if (other)
      issues.push({
        path: `${s.matrixPath} (${field})`,
        value: id,
        allowed: `a name unique to each stack (${other} has it too): add {accountId} and {region}, or use {stack}`,
      });
    else seen.set(id, s.matrixPath);
  }
  return issues;
}

/** The bootstrap stack of one account: the deploy role and who may assume it. */
export interface BootstrapConfig {
  stackName: string;
  accountId: string;
  /** The account's name, or "management" for a management account that hosts no workloads. */
  accountName: string;
  partition: string;
  region: string;
  identity: ProviderIdentity;
  backend: ResolvedBackend;
  matrixPath: string;
  tags: Record<string, string>;
  deployRoleName: string;
  oidc?: { hostname: string; organization: string; project?: string; workspaces: string[] };
  /** deployment.bootstrap.oidcProvider: create the OIDC provider, import it, or reference the existing one. */
  oidcProvider: 'create' | 'import' | 'existing';
  trustedPrincipalArns: string[];
  /** What the deploy role may manage in this account. */
  scope: { regions: string[]; bucketNames: string[]; logGroupNames: string[]; workloads: boolean; management: boolean };
}

export function bootstrapStackName(accountId: string): string {
  return `bedrock-bootstrap-${accountId}`;
}

/** The environments of the matrix in rollout order (checkWaves has made sure each is in it). */
export function environmentsInOrder(matrix: Matrix): string[] {
  const present = new Set(matrix.accounts.map((a) => a.environment ?? DEFAULT_ENVIRONMENT));
  return waveOrder(matrix).filter((e) => present.has(e));
}

/** The wave of the accounts that name no environment (their environment is "default"). */
export const DEFAULT_ENVIRONMENT = 'default';

/** The wave order of the matrix: deployment.waves, or dev, staging, prod and then the accounts without an environment. */
export function waveOrder(matrix: Matrix): string[] {
  return matrix.deployment?.waves ?? [...DEFAULT_WAVE_ORDER, DEFAULT_ENVIRONMENT];
}

/** The wave nearest to `env` by edit distance (ties: the earlier wave). */
export function nearestWave(env: string, waves: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const w of waves) {
    const d = distance(env.toLowerCase(), w.toLowerCase());
    if (d < bestD) [best, bestD] = [w, d];
  }
  return best;
}

/**
 * Every environment of the matrix must be a wave of the rollout order
 * (deployment.waves, or the default dev, staging, prod), so a typo cannot
 * reorder or skip a rollout: one issue per environment outside it, at the first
 * account that names it, with the nearest wave.
 */
export function checkWaves(matrix: Matrix): MatrixIssue[] {
  const explicit = matrix.deployment?.waves;
  const order = waveOrder(matrix);
  const shown = explicit ?? DEFAULT_WAVE_ORDER;
  const seen = new Set<string>();
  const issues: MatrixIssue[] = [];
  matrix.accounts.forEach((a, i) => {
    const env = a.environment ?? DEFAULT_ENVIRONMENT;
    if (order.includes(env) || seen.has(env)) return;
    seen.add(env);
    const where = explicit ? 'deployment.waves' : 'the default waves (deployment.waves is not set)';
    issues.push({
      path: a.environment === undefined ? `accounts[${i}] (no environment)` : `accounts[${i}].environment`,
      value: env,
      allowed: `an environment in the rollout order, ${where}: ${shown.join(', ')}; "${env}" is in no wave (nearest: "${nearestWave(env, shown)}"). Correct it, or list it in deployment.waves`,
    });
  });
  return issues;
}
