import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
import { CeAnomalyMonitor } from '@cdktf/provider-aws/lib/ce-anomaly-monitor';
import { CeAnomalySubscription } from '@cdktf/provider-aws/lib/ce-anomaly-subscription';
import { CeCostAllocationTag } from '@cdktf/provider-aws/lib/ce-cost-allocation-tag';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { ManagementConfig } from '../config/model';
import { BUDGET_TOPIC_NAME, budgetName } from '../config/naming';
import { budgetAlertsKeyPolicy, budgetAlertsTopicPolicy } from '../policies/budget-alerts-policies';
import { DEFAULT_TAG_ENFORCED_FOR, dataPerimeterRcp, protectLoggingScps, tenantTagPolicy } from '../policies/organization-policies';
import { tenantLogicalId } from '../config/rules';
import { GovernanceStack, configureStack } from './base';
import { CostExportResources } from './management/cost-export';
import { ApprovedModelPolicies } from './management/approved-models';
import { PrivateNetworkPolicy } from './management/private-network';
import { InferencePathPolicies } from './management/inference-paths';

/** Budget alerts: 80 % and 100 % of actual spend, and 100 % of forecast spend. */
export const BUDGET_NOTIFICATIONS = [
  { notificationType: 'ACTUAL', threshold: 80 },
  { notificationType: 'ACTUAL', threshold: 100 },
  { notificationType: 'FORECASTED', threshold: 100 },
] as const;

/** The Cost Explorer filter value of a cost-allocation tag: user:<key>$<value>. */
export const tagKeyValue = (key: string, value: string) => `user:${key}$${value}`;

/** Terraform logical ID of a cost-allocation tag activation: tenant, cost_center, owner (pinned by a test). */
export const costAllocationTagId = (role: string) => role.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The anomaly monitor's specification, written exactly as the provider reads it
 * back, so the force-new `monitor_specification` never differs from state.
 * resourceAnomalyMonitorRead (internal/service/ce/anomaly_monitor.go) sets it to
 * json.Marshal(types.Expression) passed through structure.NormalizeJsonString: every
 * Expression key (And, CostCategories, Dimensions, Not, Or, Tags), null where
 * unused, keys sorted, no spaces. Without the null keys the monitor is replaced
 * on every apply (terraform-provider-aws issue #39885).
 */
export function anomalyMonitorSpecification(tagKey: string, values: readonly string[]): string {
  const expression = {
    And: null,
    CostCategories: null,
    Dimensions: null,
    Not: null,
    Or: null,
    Tags: { Key: tagKey, MatchOptions: ['EQUALS'], Values: [...values] },
  };
  return JSON.stringify(expression);
}

/**
 * What only the management (payer) account can do: activate the cost-allocation
 * tags, and watch each tenant's Bedrock spend with a budget and, optionally,
 * Cost Anomaly Detection.
 */
export class ManagementStack extends GovernanceStack {
  constructor(
    scope: Construct,
    readonly config: ManagementConfig,
  ) {
    super(scope, config.stackName);
    const { accountId, tagKeys } = config;

    configureStack(this, config);

    // Activation fails until the key has appeared in billing data (about 24 h after the first tagged use),
    // so it waits for costAllocationTags.activate (docs/cost-allocation-tags.md). Destroying an
    // aws_ce_cost_allocation_tag deactivates the tag (provider 5.100, internal/service/ce/cost_allocation_tag.go:
    // Delete calls UpdateCostAllocationTagsStatus with Inactive): prevent_destroy guards it, and with
    // activate false the addresses get `removed { lifecycle { destroy = false } }` blocks, so turning the
    // switch off (or upgrading from a version that always activated) forgets the resources and leaves
    // the tags active. Terraform accepts a removed block for an address that is not in state.
    const removed: object[] = [];
    for (const [role, key] of Object.entries(tagKeys)) {
      const id = costAllocationTagId(role);
      if (config.activateCostAllocationTags)
        new CeCostAllocationTag(this, `tag-${role}`, {
          tagKey: key,
          status: 'Active',
          lifecycle: { preventDestroy: true },
        }).overrideLogicalId(id);
      else removed.push({ from: `aws_ce_cost_allocation_tag.${id}`, lifecycle: { destroy: false } });
    }
    // cdktf 0.21 has no construct for Terraform's removed block (Terraform >= 1.7): a raw override.
    if (removed.length) this.addOverride('removed', removed);

    const key = new KmsKey(this, 'alerts-key', {
      description: 'Encrypts the Bedrock tenant budget alert topic',
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(budgetAlertsKeyPolicy(accountId, { costExportAlarm: !!config.costExport })),
      lifecycle: { preventDestroy: true },
    });
    key.overrideLogicalId('budget_alerts');
    new KmsAlias(this, 'alerts-alias', { name: 'alias/bedrock-budget-alerts', targetKeyId: key.keyId }).overrideLogicalId('budget_alerts');

    const topic = new SnsTopic(this, 'alerts-topic', { name: BUDGET_TOPIC_NAME, kmsMasterKeyId: key.arn });
    topic.overrideLogicalId('budget_alerts');
    new SnsTopicPolicy(this, 'alerts-topic-policy', {
      arn: topic.arn,
      policy: JSON.stringify(budgetAlertsTopicPolicy({ accountId, topicArn: topic.arn, costExportAlarm: !!config.costExport })),
    }).overrideLogicalId('budget_alerts');

    for (const b of config.budgets) {
      new BudgetsBudget(this, `budget-${tenantLogicalId(b.tenant)}`, {
        name: budgetName(b.tenant),
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        limitAmount: b.amountUsd.toFixed(2),
        limitUnit: 'USD',
        costFilter: [{ name: 'TagKeyValue', values: [tagKeyValue(tagKeys.tenant, b.tenant)] }],
        notification: BUDGET_NOTIFICATIONS.map((n) => ({
          ...n,
          comparisonOperator: 'GREATER_THAN',
          thresholdType: 'PERCENTAGE',
          subscriberSnsTopicArns: [topic.arn],
          subscriberEmailAddresses: b.emails.length ? b.emails : undefined,
        })),
      }).overrideLogicalId(`tenant_${tenantLogicalId(b.tenant)}`);
    }

    const anomaly = config.anomalyMonitor;
    if (anomaly) {
      const monitor = new CeAnomalyMonitor(this, 'anomaly-monitor', {
        name: 'bedrock-tenant-spend',
        monitorType: 'CUSTOM',
        monitorSpecification: anomalyMonitorSpecification(tagKeys.tenant, anomaly.tenants),
      });
      monitor.overrideLogicalId('bedrock_tenants');
      new CeAnomalySubscription(this, 'anomaly-subscription', {
        name: 'bedrock-tenant-spend',
        frequency: 'DAILY',
        monitorArnList: [monitor.arn],
        subscriber: anomaly.emails.map((address) => ({ type: 'EMAIL', address })),
        thresholdExpression: {
          dimension: {
            key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE',
            matchOptions: ['GREATER_THAN_OR_EQUAL'],
            values: [String(anomaly.thresholdUsd)],
          },
        },
      }).overrideLogicalId('bedrock_tenants');
    }

    if (config.costExport)
      new CostExportResources(this, 'cost-export', {
        target: { partition: config.partition, accountId },
        settings: config.costExport,
        alarmTopic: topic,
      });

    this.organizationPolicies();

    new TerraformOutput(this, 'budget_alerts_topic_arn', { value: topic.arn, description: 'SNS topic of the tenant budget alerts' });
  }

  /** Optional organization policies, each attached to the targets the matrix names. */
  private organizationPolicies(): void {
    const { organizationPolicies, deployRoleName, tagKeys } = this.config;
    const attach = (policy: OrganizationsPolicy, name: string, targets: string[]) =>
      targets.forEach((targetId) =>
        new OrganizationsPolicyAttachment(this, `${name}-${targetId}`, { policyId: policy.id, targetId }).overrideLogicalId(
          `${name}_${targetId.replace(/-/g, '_')}`,
        ),
      );
    if (organizationPolicies.protectLoggingScp) {
      // Two SCPs (each under 5,120 characters), attached to every target: the first keeps its
      // original address, so upgrading from the one-policy version updates it in place.
      const [first, second] = protectLoggingScps({
        chain: this.config.chain,
        deployRoleName,
        breakGlassRoleArns: organizationPolicies.protectLoggingScp.breakGlassRoleArns,
        bootstrapAdminRoleName: this.config.bootstrapAdminRoleName,
        accountVendingRoleArns: organizationPolicies.protectLoggingScp.accountVendingRoleArns,
      });
      const parts: [string, string, string, unknown][] = [
        [
          'protect_logging',
          'bedrock-protect-invocation-logging',
          'Only the Bedrock governance deploy role (and break-glass roles) may change Bedrock invocation logging, the log buckets or the log objects',
          first,
        ],
        [
          'protect_logging_chain',
          'bedrock-protect-invocation-log-chain',
          'Only the Bedrock governance deploy role (and break-glass roles) may change the log keys, log groups, logging roles and delivery alarms',
          second,
        ],
      ];
      for (const [id, name, description, content] of parts) {
        const scp = new OrganizationsPolicy(this, id.replace(/_/g, '-'), {
          name,
          description,
          type: 'SERVICE_CONTROL_POLICY',
          content: JSON.stringify(content),
        });
        scp.overrideLogicalId(id);
        attach(scp, id, organizationPolicies.protectLoggingScp.targetIds);
      }
    }
    if (organizationPolicies.dataPerimeterRcp) {
      // RESOURCE_CONTROL_POLICY is one of the provider's policy types (enum of the SDK's PolicyType,
      // internal/service/organizations/policy.go); RCPs must be enabled in the organization first.
      const rcp = new OrganizationsPolicy(this, 'data-perimeter-rcp', {
        name: 'bedrock-invocation-log-data-perimeter',
        description:
          'Only principals of the organization, and AWS services acting for it, may use the Bedrock invocation log buckets and keys',
        type: 'RESOURCE_CONTROL_POLICY',
        content: JSON.stringify(
          dataPerimeterRcp({ chain: this.config.chain, organizationId: organizationPolicies.dataPerimeterRcp.organizationId }),
        ),
      });
      rcp.overrideLogicalId('data_perimeter');
      attach(rcp, 'data_perimeter', organizationPolicies.dataPerimeterRcp.targetIds);
    }
    if (organizationPolicies.tenantTagPolicy) {
      const tagPolicy = new OrganizationsPolicy(this, 'tenant-tag-policy', {
        name: 'bedrock-tenant-tag',
        description: 'Bedrock inference profiles carry the tenant cost-allocation tag',
        type: 'TAG_POLICY',
        content: JSON.stringify(
          tenantTagPolicy({
            tagKey: tagKeys.tenant,
            enforcedFor: organizationPolicies.tenantTagPolicy.enforcedFor ?? DEFAULT_TAG_ENFORCED_FOR,
          }),
        ),
      });
      tagPolicy.overrideLogicalId('tenant_tag');
      attach(tagPolicy, 'tenant_tag', organizationPolicies.tenantTagPolicy.targetIds);
    }
    const { partition, inferencePaths, approvedModels, privateNetwork } = this.config;
    const exemptions = { partition, deployRoleName, breakGlassRoleArns: organizationPolicies.protectLoggingScp?.breakGlassRoleArns };
    // organizationPolicies.loggedInferenceOnly and organizationPolicies.apiKeys (stacks/management/inference-paths.ts).
    new InferencePathPolicies(this, 'inference-paths', { ...exemptions, inferencePaths });
    // organizationPolicies.approvedModels (stacks/management/approved-models.ts).
    new ApprovedModelPolicies(this, 'approved-models', { ...exemptions, approvedModels });
    // organizationPolicies.requirePrivateNetwork (stacks/management/private-network.ts).
    new PrivateNetworkPolicy(this, 'private-network', { ...exemptions, privateNetwork });
  }
}
