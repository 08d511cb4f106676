/**
 * The monitoring stacks (matrix observability, config/observability.ts): one per region of the
 * monitoring account, each with the OAM sink the logging stacks of its region link to. Sets each
 * linking logging stack's observabilityLink.
 */
import { providerIdentity, resolveBackend } from '../deployment';
import type { MonitoringConfig, StackConfig } from '../model';
import { DEFAULT_ORG_THROTTLES_PER_5_MIN } from '../observability';
import { MANAGED_BY, MANAGED_BY_TAG, OAM_SINK_NAME, monitoringStackName, organizationDashboardName } from '../naming';
import * as rules from '../rules';
import type { Matrix } from '../schema';

/** The model IDs of a stack's AWS/Bedrock metrics: its profiles' foundation models or system profiles. */
const modelIdsOf = (stack: StackConfig) => [...new Set(stack.profiles.map((p) => p.copyFrom.split('/').pop()!))].sort();

/** The logging stacks that link to a sink: every stack of another account in a region of the observability. */
export function linkingStacks(matrix: Matrix, stacks: StackConfig[]): StackConfig[] {
  const o = matrix.observability;
  if (!o) return [];
  const regions = o.regions ?? [...new Set(stacks.map((s) => s.region))];
  // The monitoring account sees its own metrics and log groups without a link (a link to a sink of the same account is refused).
  return stacks.filter((s) => s.accountId !== o.monitoringAccountId && regions.includes(s.region));
}

/** The regions of the monitoring stacks: observability.regions, else every region some other account's logging stack is in. */
export function monitoringRegions(matrix: Matrix, stacks: StackConfig[]): string[] {
  const o = matrix.observability;
  if (!o) return [];
  return [...new Set(o.regions ?? linkingStacks(matrix, stacks).map((s) => s.region))].sort();
}

export function resolveMonitoring(matrix: Matrix, stacks: StackConfig[]): MonitoringConfig[] {
  const o = matrix.observability;
  if (!o) return [];
  const accountId = o.monitoringAccountId;
  const linking = linkingStacks(matrix, stacks);
  const account = matrix.accounts.find((a) => a.id === accountId);
  const accountName = account?.name ?? 'monitoring';
  return monitoringRegions(matrix, stacks).map((region) => {
    const stackName = monitoringStackName(accountId, region);
    const partition = rules.partitionOf(region);
    const naming = { stack: stackName, accountId, accountName, environment: 'monitoring', region };
    const backend = resolveBackend(matrix.deployment?.backend, naming);
    const sources = linking.filter((s) => s.region === region).sort((a, b) => a.accountId.localeCompare(b.accountId));
    for (const s of sources) s.observabilityLink = { monitoringStackName: stackName, monitoringAccountId: accountId, backend };
    return {
      stackName,
      matrixPath: 'observability',
      accountId,
      region,
      partition,
      identity: providerIdentity(matrix.deployment, partition, accountId),
      backend,
      tags: { ...matrix.tags, ...account?.tags, [MANAGED_BY_TAG]: MANAGED_BY, stack: stackName, environment: 'monitoring' },
      sinkName: OAM_SINK_NAME,
      dashboardName: organizationDashboardName(region),
      organizationId: o.organizationId ?? matrix.organizationPolicies?.dataPerimeterRcp?.organizationId,
      sources: sources.map((s) => ({
        accountId: s.accountId,
        accountName: s.accountName,
        stackName: s.stackName,
        modelIds: modelIdsOf(s),
        destinations: s.logging.destinations,
      })),
      alarmTopicArn: o.alarmTopicArn,
      throttlesPer5Min: o.throttlesPer5Min ?? DEFAULT_ORG_THROTTLES_PER_5_MIN,
    };
  });
}
