/**
 * Every name the app gives: stack names, and the physical names of what the stacks
 * create. The stacks name their resources from here, and the deploy-role policy
 * (policies/deploy-role-policies.ts) scopes its grants to the same names, so the
 * two cannot drift apart. Stack names derive from IDs only, so renaming an account
 * or reordering the matrix never orphans state.
 */

/** The managed-by tag of every resource, and the app's name in descriptions. */
export const MANAGED_BY = 'bedrock-governance';
/**
 * The key of that tag, set on every resource through the provider's default_tags (after the matrix's
 * own tags, so they cannot override it): the deploy role changes only keys, inference profiles and
 * guardrails that carry it (policies/deploy-role-policies.ts).
 */
export const MANAGED_BY_TAG = 'managed-by';

/** The role every stack's provider assumes (deployment.roleName), created by the bootstrap stack. */
export const DEFAULT_DEPLOY_ROLE = 'bedrock-governance-deploy';

export const loggingStackName = (accountId: string, region: string) => `bedrock-logging-${accountId}-${region}`;
export const managementStackName = (accountId: string) => `bedrock-management-${accountId}`;
export const bootstrapStackName = (accountId: string) => `bedrock-bootstrap-${accountId}`;
export const monitoringStackName = (accountId: string, region: string) => `bedrock-monitoring-${accountId}-${region}`;

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

// Unlogged bedrock-mantle traffic (stacks/safety/unlogged-traffic.ts, iac-rules/rules/mantle-unlogged-alarm.ts).
/** The CloudWatch namespace of bedrock-mantle inference (Bedrock user guide, "Monitor bedrock-mantle inference using CloudWatch metrics"). */
export const MANTLE_NAMESPACE = 'AWS/BedrockMantle';
/** The key, in the logging configuration's "//" block, that marks a stack whose account may use bedrock-mantle. */
export const MANTLE_MARK = 'bedrock_mantle';

// Usage analytics (stacks/analytics/).
export const USAGE_DATABASE = 'bedrock_invocation_logs';
export const USAGE_WORKGROUP = 'bedrock-usage';
/** Dashboards, QuickSight data sources and data sets: `bedrock-usage-<region>`, `bedrock-usage-daily-<region>`. */
export const USAGE_NAME_PREFIX = 'bedrock-usage-';
export const usageDashboardName = (region: string) => `${USAGE_NAME_PREFIX}${region}`;
/**
 * The bucket of the usage workgroup's query results, one per account and region: `bedrock-athena-results-<account>-<region>`
 * (at most 22 + 1 + 12 + 1 + 14 = 50 characters). Results never go to the log bucket, which may carry S3 Object Lock.
 */
export const ATHENA_RESULTS_BUCKET_PREFIX = 'bedrock-athena-results';
export const athenaResultsBucketName = (accountId: string, region: string) => `${ATHENA_RESULTS_BUCKET_PREFIX}-${accountId}-${region}`;
/** The rate-card object's key prefix in the log bucket. */
export const RATE_CARD_PREFIX = 'analytics/rate-card/';

// Model evaluation (issue: evaluation from production logs; tools/usage/eval-dataset.ts).
/** The bucket of evaluation datasets and results of a logging stack's account and region (datasets/, results/). */
export const EVALUATION_NAME_PREFIX = 'bedrock-evaluation-';
export const evaluationBucketName = (accountId: string, region: string) => `${EVALUATION_NAME_PREFIX}${accountId}-${region}`;
/** The service role Bedrock evaluation jobs assume in that account and region. */
export const evaluationRoleName = (region: string) => `${EVALUATION_NAME_PREFIX}${region}`;

// Cross-account observability (config/observability.ts, stacks/monitoring-stack.ts).
/** The OAM sink of each region of the monitoring account (sink names are unique per account and region). */
export const OAM_SINK_NAME = 'bedrock-organization';
/** The organization dashboard of a region (dashboards are global: the region is in the name) and the organization alarms. */
export const ORGANIZATION_NAME_PREFIX = 'bedrock-organization-';
export const organizationDashboardName = (region: string) => `${ORGANIZATION_NAME_PREFIX}${region}`;
/** The label every link gives its account in the monitoring account's console (OAM CreateLink: LabelTemplate). */
export const OAM_LINK_LABEL_TEMPLATE = '$AccountName';

// The management stack.
export const BUDGET_NAME_PREFIX = 'bedrock-tenant-';
export const budgetName = (tenant: string) => `${BUDGET_NAME_PREFIX}${tenant}`;
export const BUDGET_TOPIC_NAME = 'bedrock-tenant-budget-alerts';
export const COST_DATABASE = 'bedrock_cost';
export const COST_WORKGROUP = 'bedrock-cost';
export const DEFAULT_COST_EXPORT_NAME = 'bedrock-cost';
export const DEFAULT_COST_EXPORT_BUCKET_PREFIX = 'bedrock-cost-export';
export const COST_EXPORT_KEY_ALIAS = 'alias/bedrock-cost-export';
/** The EventBridge rule that matches new export objects, and the alarm on its matched events (stacks/management/cost-export.ts). */
export const COST_EXPORT_DELIVERY_RULE = 'bedrock-cost-export-delivery';
export const COST_EXPORT_FRESHNESS_ALARM = 'bedrock-cost-export-freshness';
