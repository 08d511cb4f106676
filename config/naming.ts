/**
 * Every name the app gives: stack names, and the physical names of what the stacks
 * create. The stacks name their resources from here, and the deploy-role policy
 * (policies/deploy-role-policies.ts) scopes its grants to the same names, so the
 * two cannot drift apart. Stack names derive from IDs only, so renaming an account
 * or reordering the matrix never orphans state.
 */

/** The managed-by tag of every resource, and the app's name in descriptions. */
export const MANAGED_BY = 'bedrock-governance';

/** The role every stack's provider assumes (deployment.roleName), created by the bootstrap stack. */
export const DEFAULT_DEPLOY_ROLE = 'bedrock-governance-deploy';

export const loggingStackName = (accountId: string, region: string) => `bedrock-logging-${accountId}-${region}`;
export const managementStackName = (accountId: string) => `bedrock-management-${accountId}`;
export const bootstrapStackName = (accountId: string) => `bedrock-bootstrap-${accountId}`;

/** Every alarm and KMS alias the app creates starts with this (the deploy role manages `alarm:bedrock-*`, `alias/bedrock-*`). */
export const NAME_PREFIX = 'bedrock-';

// The logging chain of a logging stack.
export const DEFAULT_BUCKET_NAME_PREFIX = 'bedrock-invocation-logs';
export const logBucketName = (bucketNamePrefix: string, accountId: string, region: string) => `${bucketNamePrefix}-${accountId}-${region}`;
export const LOGGING_ROLE_PREFIX = 'bedrock-invocation-logging-';
export const loggingRoleName = (region: string) => `${LOGGING_ROLE_PREFIX}${region}`;
export const LOG_KEY_ALIAS = 'alias/bedrock-invocation-logs';
export const TENANT_POLICY_PREFIX = 'bedrock-invoke-';
export const tenantPolicyName = (tenant: string, region: string) => `${TENANT_POLICY_PREFIX}${tenant}-${region}`;
/** The logging-stack output that tells each tenant's callers which guardrail and version to send (keyed by tenant ID; the routing table points into it). */
export const TENANT_GUARDRAILS_OUTPUT = 'tenant_guardrails';

// Alarms (stacks/analytics/alarms.ts).
export const LOG_DELIVERY_ALARM_PREFIX = 'bedrock-log-delivery-';
export const ALARM_TOPIC_NAME = 'bedrock-alarms';
export const ALARM_KEY_ALIAS = 'alias/bedrock-alarms';

// Usage analytics (stacks/analytics/).
export const USAGE_DATABASE = 'bedrock_invocation_logs';
export const USAGE_WORKGROUP = 'bedrock-usage';
/** Dashboards, QuickSight data sources and data sets: `bedrock-usage-<region>`, `bedrock-usage-daily-<region>`. */
export const USAGE_NAME_PREFIX = 'bedrock-usage-';
export const usageDashboardName = (region: string) => `${USAGE_NAME_PREFIX}${region}`;
/** The rate-card object's key prefix in the log bucket. */
export const RATE_CARD_PREFIX = 'analytics/rate-card/';

// The management stack.
export const BUDGET_NAME_PREFIX = 'bedrock-tenant-';
export const budgetName = (tenant: string) => `${BUDGET_NAME_PREFIX}${tenant}`;
export const BUDGET_TOPIC_NAME = 'bedrock-tenant-budget-alerts';
export const COST_DATABASE = 'bedrock_cost';
export const COST_WORKGROUP = 'bedrock-cost';
export const DEFAULT_COST_EXPORT_NAME = 'bedrock-cost';
export const DEFAULT_COST_EXPORT_BUCKET_PREFIX = 'bedrock-cost-export';
export const COST_EXPORT_KEY_ALIAS = 'alias/bedrock-cost-export';
