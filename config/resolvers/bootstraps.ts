/**
 * The bootstrap stacks: one per account (the management account included) when
 * the matrix has deployment.bootstrap, each creating the deploy role that the
 * account's other stacks assume, scoped to what those stacks manage.
 */
import {
  DEFAULT_ADMIN_ROLE,
  DEFAULT_STATE_KEY_TEMPLATE,
  TFC_HOSTNAME,
  deployRoleName,
  providerIdentity,
  render,
  resolveBackend,
} from '../deployment';
import type { BootstrapConfig, GithubRoleConfig, ManagementConfig, MonitoringConfig, StackConfig } from '../model';
import { MANAGED_BY, MANAGED_BY_TAG, bootstrapStackName } from '../naming';
import type { Matrix } from '../schema';

const IAM_HOME_REGION: Record<string, string> = { aws: 'us-east-1', 'aws-us-gov': 'us-gov-west-1', 'aws-cn': 'cn-north-1' };

/**
 * The role that deploys an account's bootstrap stack. OrganizationAccountAccessRole exists
 * only in member accounts that AWS Organizations created, not in the management account and
 * not in invited accounts (AWS Organizations user guide, "Accessing member accounts"): the
 * management account's role is deployment.bootstrap.managementAccountRoleName (required,
 * checked by checks/bootstrap-roles.ts), an account's own adminRoleName comes next, then the
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
export function memberAdminRoles(matrix: Matrix): string | string[] | undefined {
  if (!matrix.deployment?.bootstrap) return undefined;
  const names = [
    ...new Set(matrix.accounts.filter((a) => a.id !== matrix.managementAccountId).map((a) => bootstrapAdminRole(matrix, a.id))),
  ].sort();
  return names.length === 1 ? names[0] : names.length ? names : (matrix.deployment.bootstrap.adminRoleName ?? DEFAULT_ADMIN_ROLE);
}

export function resolveBootstraps(
  matrix: Matrix,
  stacks: StackConfig[],
  management: ManagementConfig | undefined,
  monitoring: MonitoringConfig[] = [],
): BootstrapConfig[] {
  const d = matrix.deployment;
  if (!d?.bootstrap) return [];
  const backend = d.backend?.type === 'tfc' ? d.backend : undefined;
  // With an S3 backend and githubRoleName, the deploy role of each account trusts that account's GitHub OIDC role.
  const githubRole = d.backend?.type === 's3' ? d.backend.githubRoleName : undefined;
  if (!backend && !githubRole && !d.bootstrap.trustedPrincipalArns?.length) return []; // reported by checks/bootstrap-trust.ts
  const accountIds = [
    ...new Set([...stacks.map((s) => s.accountId), ...(management ? [management.accountId] : []), ...monitoring.map((m) => m.accountId)]),
  ];
  return accountIds.map((accountId) => {
    // In region order, so the order the matrix lists regions in changes nothing.
    const own = stacks.filter((s) => s.accountId === accountId).sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
    const isManagement = management?.accountId === accountId;
    const ownMonitoring = monitoring.filter((m) => m.accountId === accountId);
    const partition = own[0]?.partition ?? ownMonitoring[0]?.partition ?? 'aws';
    const workspaces = [...own, ...(isManagement ? [management!] : []), ...ownMonitoring].flatMap((s) =>
      s.backend.type === 'tfc' ? [s.backend.workspace] : [],
    );
    const stackName = bootstrapStackName(accountId);
    // IAM is global: the provider talks to the partition's home region, whatever regions the account uses.
    const region = IAM_HOME_REGION[partition];
    const naming = {
      stack: stackName,
      accountId,
      accountName: own[0]?.accountName ?? (isManagement ? 'management' : 'monitoring'),
      environment: 'bootstrap',
      region,
    };
    return {
      stackName,
      matrixPath: 'deployment.bootstrap',
      accountId,
      accountName: naming.accountName,
      partition,
      region,
      backend: resolveBackend(d.backend, naming),
      tags: { ...matrix.tags, [MANAGED_BY_TAG]: MANAGED_BY, stack: stackName, environment: 'bootstrap' },
      // Bootstrap always goes through an admin role: the deploy role does not exist yet.
      identity: providerIdentity({ ...d, assumeRole: true }, partition, accountId, bootstrapAdminRole(matrix, accountId)),
      deployRoleName: deployRoleName(d),
      oidc: backend && {
        hostname: backend.hostname ?? TFC_HOSTNAME,
        organization: backend.organization,
        project: backend.project,
        workspaces: workspaces.sort(),
      },
      trustedPrincipalArns: [
        ...(githubRole ? [`arn:${partition}:iam::${accountId}:role/${githubRole}`] : []),
        ...(d.bootstrap!.trustedPrincipalArns ?? []),
      ],
      oidcProvider: d.bootstrap!.oidcProvider ?? 'create',
      ...(d.backend?.type === 's3' && d.backend.github && githubRole
        ? {
            github: githubRoleConfig(d.backend, githubRole, accountId, {
              environments: [
                ...own.map((s) => s.environment),
                ...(isManagement ? ['management'] : []),
                ...(ownMonitoring.length ? ['monitoring'] : []),
              ],
              readKeys: own.flatMap((s) => (s.observabilityLink?.backend.type === 's3' ? [s.observabilityLink.backend.key] : [])),
            }),
          }
        : {}),
      scope: {
        regions: [...new Set([...own.map((s) => s.region), ...ownMonitoring.map((m) => m.region)])].sort(),
        bucketNames: own.map((s) => s.names.bucket),
        athenaResultsBucketNames: own.filter((s) => s.analytics.athena).map((s) => s.names.athenaResultsBucket),
        logGroupNames: [...new Set(own.filter((s) => s.logging.destinations.includes('cloudwatch')).map((s) => s.names.logGroup))],
        ...(own.some((s) => s.evaluation) ? { evaluation: true } : {}),
        ...(own.some((s) => s.network)
          ? {
              network: {
                vpcIds: [...new Set(own.flatMap((s) => (s.network ? [s.network.vpcId] : [])))].sort(),
                subnetIds: [...new Set(own.flatMap((s) => s.network?.subnetIds ?? []))].sort(),
                securityGroupIds: [...new Set(own.flatMap((s) => s.network?.securityGroupIds ?? []))].sort(),
              },
            }
          : {}),
        workloads: own.length > 0,
        management: isManagement,
        ...(ownMonitoring.length ? { monitoring: true } : {}),
        ...(own.some((s) => s.observabilityLink)
          ? { observabilityLinks: own.find((s) => s.observabilityLink)!.observabilityLink!.monitoringAccountId }
          : {}),
        quicksight: own.some((s) => s.analytics.quicksight !== undefined),
        costExportBucket: isManagement ? management!.costExport?.bucket : undefined,
      },
    };
  });
}

/** The workflow branch that deploys (deploy.yml runs on pushes to main). */
export const DEPLOY_BRANCH = 'main';
/** The GitHub environment of the decommission job (deploy.yml). */
export const DECOMMISSION_ENVIRONMENT = 'decommission';

/**
 * The GitHub role of one account (deployment.backend.github). It trusts exactly the `sub` claims of the generated
 * workflows' jobs that assume it (GitHub's default subject format, repo:<owner>/<repo>:<context>):
 *  - repo:R:ref:refs/heads/main: the plan jobs of deploy-wave.yml (deploy.yml runs on pushes to main; no environment);
 *  - repo:R:environment:<wave>: the apply jobs, each in the GitHub environment named like its wave, for the waves of
 *    this account's stacks (its environments, "management", "monitoring"), and "decommission" (the decommission job);
 *  - repo:R:pull_request: the plans of pull-request.yml's diff jobs.
 * Not "repo:R:*": a workflow of another branch, or a job in another environment, gets nothing. The pull-request
 * subject is as strong as the others (one role plans and applies), so who can open a pull request from a branch of
 * the repository can use the role: protect the repository, not only the environments (docs/rollout.md).
 */
function githubRoleConfig(
  backend: {
    bucket: string;
    keyTemplate?: string;
    roleArn?: string;
    github?: { repository: string; oidcProvider?: GithubRoleConfig['oidcProvider'] };
  },
  roleName: string,
  accountId: string,
  uses: { environments: string[]; readKeys: string[] },
): GithubRoleConfig {
  const repo = `repo:${backend.github!.repository}`;
  const environments = [...new Set([...uses.environments, DECOMMISSION_ENVIRONMENT])].sort();
  // The state keys of every stack of this account, whatever its name: every stack name carries the account ID
  // (config/naming.ts), so the key template with "*" for the other fields matches them and no other account's.
  const key = render(backend.keyTemplate ?? DEFAULT_STATE_KEY_TEMPLATE, {
    stack: `*${accountId}*`,
    accountId,
    accountName: '*',
    environment: '*',
    region: '*',
  }).replace(/\*+/g, '*');
  return {
    repository: backend.github!.repository,
    roleName,
    oidcProvider: backend.github!.oidcProvider ?? 'create',
    subjects: [`${repo}:ref:refs/heads/${DEPLOY_BRANCH}`, `${repo}:pull_request`, ...environments.map((e) => `${repo}:environment:${e}`)],
    state: backend.roleArn
      ? { roleArn: backend.roleArn }
      : { bucket: backend.bucket, keys: [key], readKeys: [...new Set(uses.readKeys)].sort() },
  };
}
