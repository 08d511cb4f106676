/**
 * The management-account stack: cost-allocation tags, budgets, anomaly detection,
 * the CUR 2.0 export and the organization policies, with the logging chain of
 * every logging stack that the policies protect.
 */
import { resolveCostExport } from '../cost-export';
import { deployRoleName, providerIdentity, resolveBackend } from '../deployment';
import type { MatrixIssue } from '../errors';
import type { CostAllocationKeys, LoggingChain, ManagementConfig, StackConfig } from '../model';
import { ALARM_KEY_ALIAS, ALARM_TOPIC_NAME, LOG_DELIVERY_ALARM_PREFIX, MANAGED_BY, MANAGED_BY_TAG, managementStackName } from '../naming';
import type { Matrix } from '../schema';
import { memberAdminRoles } from './bootstraps';

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

/** The management stack, when the matrix names a management account; `issues` gets the cost export's resolution problems. */
export function resolveManagement(
  matrix: Matrix,
  tagKeys: CostAllocationKeys,
  stacks: StackConfig[],
  issues: MatrixIssue[],
): ManagementConfig | undefined {
  const accountId = matrix.managementAccountId;
  if (!accountId) return undefined;
  const stackName = managementStackName(accountId);
  const tenants = matrix.tenants ?? [];
  const naming = { stack: stackName, accountId, accountName: 'management', environment: 'management', region: 'us-east-1' };
  const management: ManagementConfig = {
    stackName,
    matrixPath: 'managementAccountId',
    accountId,
    identity: providerIdentity(matrix.deployment, 'aws', accountId),
    backend: resolveBackend(matrix.deployment?.backend, naming),
    deployRoleName: deployRoleName(matrix.deployment),
    organizationPolicies: matrix.organizationPolicies ?? {},
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
    tags: { ...matrix.tags, [MANAGED_BY_TAG]: MANAGED_BY, stack: stackName, environment: 'management' },
  };
  if (matrix.costExport) {
    const { settings, issues: exportIssues } = resolveCostExport(matrix.costExport, accountId, tagKeys.tenant);
    management.costExport = settings;
    issues.push(...exportIssues);
  }
  return management;
}
