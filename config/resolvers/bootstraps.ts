/**
 * The bootstrap stacks: one per account (the management account included) when
 * the matrix has deployment.bootstrap, each creating the deploy role that the
 * account's other stacks assume, scoped to what those stacks manage.
 */
import { DEFAULT_ADMIN_ROLE, TFC_HOSTNAME, deployRoleName, providerIdentity, resolveBackend } from '../deployment';
import type { BootstrapConfig, ManagementConfig, MonitoringConfig, StackConfig } from '../model';
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
