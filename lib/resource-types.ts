/**
 * The resource-type contract: one row per Terraform resource type the stacks
 * synthesize (logging, management and bootstrap stacks), audited against the
 * AWS provider 5.100 source. A row says
 *  - which provider file implements the type,
 *  - which AWS API calls its create, read, update, delete and tagging paths make,
 *    and the IAM actions those calls need,
 *  - which arguments force a replacement (schema `ForceNew: true`, or a
 *    `RequiresReplace` plan modifier in framework resources), as Terraform
 *    attribute paths (`storage_descriptor`, `model_source`, `open_table_format_input.iceberg_input.version`),
 *  - whether the resource holds data or identity (stateful).
 *
 * The deploy-role policy (policies/deploy-role-policies.ts) takes its IAM actions
 * from here, and a test (__tests__/lib/resource-types.test.ts) fails when a
 * synthesized type has no row, so a new type cannot land unaudited.
 * How to add a row: docs/resource-types.md.
 *
 * API calls are named as in the AWS SDK for Go v2 (`CreateBucket`); IAM actions as
 * in the Service Authorization Reference (`s3:CreateBucket`). Where the two differ
 * the row spells the call as `Call=action` (`HeadBucket=s3:ListBucket`).
 */

/** The paths of a resource's lifecycle whose AWS calls a deploy role must be allowed. */
export const PATHS = ['create', 'read', 'update', 'delete', 'tag'] as const;
export type LifecyclePath = (typeof PATHS)[number];

/** AWS API calls of one path, and the IAM actions they need. */
export interface ApiPath {
  calls: string[];
  actions: string[];
}

export interface ResourceTypeContract {
  /** Terraform resource type, e.g. aws_s3_bucket. */
  type: string;
  /** Its implementation in hashicorp/terraform-provider-aws (5.100), e.g. internal/service/s3/bucket.go. */
  source: string;
  create: ApiPath;
  read: ApiPath;
  update: ApiPath;
  delete: ApiPath;
  /** Tag reads and writes (ListTagsForResource, TagResource, ...); empty for untaggable types. */
  tag: ApiPath;
  /** Arguments that force a new resource, as Terraform attribute paths without list indices. */
  forceNew: string[];
  /** What is lost when the resource is deleted or replaced: stored data, or an identity others rely on. */
  holds?: 'data' | 'identity';
  /**
   * true: the calls and force-new arguments were read in the provider source (the file
   * named in `source`); false: written from the API reference and not yet checked
   * against the provider source.
   */
  verified: boolean;
  /** Anything about the row that is not obvious, with its source. */
  note?: string;
}

/**
 * Parses "Call Call=action Call=svc:action" into calls and IAM actions. A bare
 * name is both the call and the action `svc:Name`; `Call=Other` maps the call to
 * `svc:Other`; `Call=svc2:Other` to an action of another service.
 */
export function ops(service: string, spec: string): ApiPath {
  const calls: string[] = [];
  const actions: string[] = [];
  for (const word of spec.split(/\s+/).filter(Boolean)) {
    const [call, action = call] = word.split('=');
    if (call) calls.push(call);
    for (const a of action.split('+').filter(Boolean)) actions.push(a.includes(':') ? a : `${service}:${a}`);
  }
  return { calls, actions: [...new Set(actions)] };
}

const none: ApiPath = { calls: [], actions: [] };

type Row = Omit<ResourceTypeContract, 'type'>;

/** The contract rows, by resource type. Keep them in alphabetical order. */
const ROWS: Record<string, Row> = {
  aws_athena_named_query: {
    // No update function: every argument forces a new query.
    source: 'internal/service/athena/named_query.go',
    create: ops('athena', 'CreateNamedQuery GetNamedQuery'),
    read: ops('athena', 'GetNamedQuery'),
    update: none,
    delete: ops('athena', 'DeleteNamedQuery'),
    tag: none,
    forceNew: ['database', 'description', 'name', 'query', 'workgroup'],
    verified: true,
  },
  aws_athena_workgroup: {
    // Tags go in CreateWorkGroup; the read lists them (ListTagsForResource).
    source: 'internal/service/athena/workgroup.go',
    create: ops('athena', 'CreateWorkGroup=CreateWorkGroup+TagResource UpdateWorkGroup GetWorkGroup ListTagsForResource'),
    read: ops('athena', 'GetWorkGroup ListTagsForResource'),
    update: ops('athena', 'UpdateWorkGroup'),
    delete: ops('athena', 'DeleteWorkGroup'),
    tag: ops('athena', 'ListTagsForResource TagResource UntagResource'),
    forceNew: ['name'],
    verified: true,
  },
  aws_bcmdataexports_export: {
    // Framework resource: Create calls CreateExport and waits on GetExport; Update calls UpdateExport when the
    // export block changed; table_configurations carries RequiresReplace (internal/service/bcmdataexports/export.go).
    // The Data Exports API is served from us-east-1 only (bcm-data-exports.us-east-1.api.aws).
    source: 'internal/service/bcmdataexports/export.go',
    create: ops('bcm-data-exports', 'CreateExport GetExport'),
    read: ops('bcm-data-exports', 'GetExport'),
    update: ops('bcm-data-exports', 'UpdateExport GetExport'),
    delete: ops('bcm-data-exports', 'DeleteExport'),
    tag: ops('bcm-data-exports', 'ListTagsForResource TagResource UntagResource'),
    forceNew: ['export.data_query.table_configurations'],
    verified: true,
    note: 'CreateExport and UpdateExport also authorize on the table resource and on the billing view that BILLING_VIEW_ARN names (Service Authorization Reference, bcm-data-exports). GetExport returns every table configuration key, BILLING_VIEW_ARN included, so the configuration sets all five (issues 42761, 43978, 48807). The exported files stay in the bucket when the export is deleted; a replacement starts a new export that backfills.',
  },
  aws_bedrock_guardrail: {
    // Framework resource without RequiresReplace: name, messages, policies and kms_key_arn update in place
    // (UpdateGuardrail changes the DRAFT). Create passes the tags and waits for READY (GetGuardrail, twice in
    // a row); update waits the same way; delete waits until GetGuardrail finds nothing.
    source: 'internal/service/bedrock/guardrail.go',
    create: ops('bedrock', 'CreateGuardrail=CreateGuardrail+TagResource GetGuardrail'),
    read: ops('bedrock', 'GetGuardrail'),
    update: ops('bedrock', 'UpdateGuardrail GetGuardrail'),
    delete: ops('bedrock', 'DeleteGuardrail GetGuardrail'),
    tag: ops('bedrock', 'ListTagsForResource TagResource UntagResource'),
    forceNew: [],
    verified: true,
    note: 'Deleting or weakening it is flagged by the plan review (review/rules/bedrock-guardrails.ts). With kms_key_arn the deploy role would also need KMS grants; the stacks leave it unset (stacks/safety/guardrails.ts).',
  },
  aws_bedrock_guardrail_version: {
    // Framework resource: description is RequiresReplaceIfConfigured, guardrail_arn RequiresReplace; no Update.
    // Create calls CreateGuardrailVersion and waits for READY; delete is DeleteGuardrail with the version
    // (unless skip_destroy) and waits until it is gone. Not taggable.
    source: 'internal/service/bedrock/guardrail_version.go',
    create: ops('bedrock', 'CreateGuardrailVersion GetGuardrail'),
    read: ops('bedrock', 'GetGuardrail'),
    update: none,
    delete: ops('bedrock', 'DeleteGuardrail GetGuardrail'),
    tag: none,
    forceNew: ['description', 'guardrail_arn'],
    verified: true,
    note: "One resource per kept revision (bedrockGuardrails[].revision, overlap): a new revision creates a new version beside the previous ones, and the one that leaves the window is deleted by that apply. description carries the configuration hash and the revision; the stacks ignore its changes (ignore_changes), and the current version's postcondition refuses a changed guardrail under an unchanged revision. skip_destroy is not set (stacks/safety/guardrails.ts).",
  },
  aws_bedrock_inference_profile: {
    // Framework resource: name, description and model_source carry RequiresReplace; Update is "Tags only".
    // Create passes the tags and waits for ACTIVE (GetInferenceProfile); delete waits until it is gone.
    source: 'internal/service/bedrock/inference_profile.go',
    create: ops('bedrock', 'CreateInferenceProfile=CreateInferenceProfile+TagResource GetInferenceProfile'),
    read: ops('bedrock', 'GetInferenceProfile'),
    update: none,
    delete: ops('bedrock', 'DeleteInferenceProfile GetInferenceProfile'),
    tag: ops('bedrock', 'ListTagsForResource TagResource UntagResource'),
    forceNew: ['name', 'description', 'model_source'],
    verified: true,
    note: 'Its ARN is what callers invoke: a replacement changes it (the plan review flags it separately).',
  },
  aws_bedrock_model_invocation_logging_configuration: {
    // Framework resource with no RequiresReplace: everything updates in place through the same Put
    // (an upsert; the ID is the region). Create retries "Failed to validate permissions for log group"
    // for a minute. The Put passes the CloudWatch role to Bedrock, hence iam:PassRole.
    source: 'internal/service/bedrock/model_invocation_logging_configuration.go',
    create: ops('bedrock', 'PutModelInvocationLoggingConfiguration=PutModelInvocationLoggingConfiguration+iam:PassRole'),
    read: ops('bedrock', 'GetModelInvocationLoggingConfiguration'),
    update: ops('bedrock', 'PutModelInvocationLoggingConfiguration=PutModelInvocationLoggingConfiguration+iam:PassRole'),
    delete: ops('bedrock', 'DeleteModelInvocationLoggingConfiguration'),
    tag: none,
    forceNew: [],
    verified: true,
    note: 'One per account and region; deleting it turns invocation logging off (the plan review flags it).',
  },
  aws_budgets_budget: {
    // The read describes the budget, its notifications and each notification's subscribers; an update
    // replaces changed notifications (DeleteNotification, CreateNotification with its subscribers).
    // Budgets authorizes its API with two actions: budgets:ViewBudget and budgets:ModifyBudget.
    source: 'internal/service/budgets/budget.go',
    create: ops('budgets', 'CreateBudget=ModifyBudget CreateNotification=ModifyBudget DescribeBudget=ViewBudget'),
    read: ops(
      'budgets',
      'DescribeBudget=ViewBudget DescribeNotificationsForBudget=ViewBudget DescribeSubscribersForNotification=ViewBudget',
    ),
    update: ops('budgets', 'UpdateBudget=ModifyBudget DeleteNotification=ModifyBudget CreateNotification=ModifyBudget'),
    delete: ops('budgets', 'DeleteBudget=ModifyBudget'),
    tag: ops('budgets', 'ListTagsForResource TagResource UntagResource'),
    forceNew: ['account_id', 'name', 'name_prefix'],
    verified: true,
    note: 'Read in a version without tags or the schema in view: the tag calls (tags_gen.go) and the force-new arguments are from the 5.100 documentation, not read.',
  },
  aws_ce_anomaly_monitor: {
    // monitor_specification is read back as json.Marshal(types.Expression): every Expression key,
    // null where unused; stacks/management-stack.ts writes it in that shape (upstream issue #39885).
    source: 'internal/service/ce/anomaly_monitor.go',
    create: ops('ce', 'CreateAnomalyMonitor=CreateAnomalyMonitor+TagResource GetAnomalyMonitors'),
    read: ops('ce', 'GetAnomalyMonitors'),
    update: ops('ce', 'UpdateAnomalyMonitor GetAnomalyMonitors'),
    delete: ops('ce', 'DeleteAnomalyMonitor'),
    tag: ops('ce', 'ListTagsForResource TagResource UntagResource'),
    forceNew: ['monitor_dimension', 'monitor_specification', 'monitor_type'],
    verified: true,
  },
  aws_ce_anomaly_subscription: {
    // Tags go in CreateAnomalySubscription (ResourceTags). Only name is ForceNew.
    source: 'internal/service/ce/anomaly_subscription.go',
    create: ops('ce', 'CreateAnomalySubscription=CreateAnomalySubscription+TagResource GetAnomalySubscriptions'),
    read: ops('ce', 'GetAnomalySubscriptions'),
    update: ops('ce', 'UpdateAnomalySubscription GetAnomalySubscriptions'),
    delete: ops('ce', 'DeleteAnomalySubscription'),
    tag: ops('ce', 'ListTagsForResource TagResource UntagResource'),
    forceNew: ['name'],
    verified: true,
  },
  aws_ce_cost_allocation_tag: {
    // Create and update are the same function (UpdateCostAllocationTagsStatus with the configured
    // status); destroying the resource deactivates the tag (status Inactive). tag_key is not ForceNew:
    // changing it activates the new key in place and leaves the old one as it was.
    source: 'internal/service/ce/cost_allocation_tag.go',
    create: ops('ce', 'UpdateCostAllocationTagsStatus ListCostAllocationTags'),
    read: ops('ce', 'ListCostAllocationTags'),
    update: ops('ce', 'UpdateCostAllocationTagsStatus ListCostAllocationTags'),
    delete: ops('ce', 'UpdateCostAllocationTagsStatus'),
    tag: none,
    forceNew: [],
    verified: true,
  },
  aws_cloudwatch_dashboard: {
    source: 'internal/service/cloudwatch/dashboard.go',
    create: ops('cloudwatch', 'PutDashboard GetDashboard'),
    read: ops('cloudwatch', 'GetDashboard'),
    update: ops('cloudwatch', 'PutDashboard GetDashboard'),
    delete: ops('cloudwatch', 'DeleteDashboards'),
    tag: none,
    forceNew: ['dashboard_name'],
    verified: true,
  },
  aws_cloudwatch_event_rule: {
    // Create and update are PutRule (tags in PutRule: events:TagResource for tag-on-create), then DescribeRule until
    // found; the read is DescribeRule and the tags interceptor's ListTagsForResource; delete is DeleteRule
    // (internal/service/events/rule.go). The rule ARN of the default bus is arn:<partition>:events:<region>:<account>:rule/<name>.
    source: 'internal/service/events/rule.go',
    create: ops('events', 'PutRule=PutRule+TagResource DescribeRule ListTagsForResource'),
    read: ops('events', 'DescribeRule ListTagsForResource'),
    update: ops('events', 'PutRule DescribeRule'),
    delete: ops('events', 'DeleteRule'),
    tag: ops('events', 'ListTagsForResource TagResource UntagResource'),
    forceNew: ['event_bus_name', 'name', 'name_prefix'],
    verified: true,
  },
  aws_cloudwatch_log_data_protection_policy: {
    source: 'internal/service/logs/data_protection_policy.go',
    create: ops('logs', 'PutDataProtectionPolicy GetDataProtectionPolicy'),
    read: ops('logs', 'GetDataProtectionPolicy'),
    update: ops('logs', 'PutDataProtectionPolicy GetDataProtectionPolicy'),
    delete: ops('logs', 'DeleteDataProtectionPolicy'),
    tag: none,
    forceNew: ['log_group_name'],
    verified: true,
  },
  aws_cloudwatch_log_group: {
    // Tags go in CreateLogGroup (logs:TagResource for tag-on-create); the read is DescribeLogGroups by prefix.
    source: 'internal/service/logs/group.go',
    create: ops('logs', 'CreateLogGroup=CreateLogGroup+TagResource PutRetentionPolicy DescribeLogGroups'),
    read: ops('logs', 'DescribeLogGroups'),
    update: ops('logs', 'PutRetentionPolicy DeleteRetentionPolicy AssociateKmsKey DisassociateKmsKey'),
    delete: ops('logs', 'DeleteLogGroup'),
    tag: ops('logs', 'ListTagsForResource TagResource UntagResource'),
    forceNew: ['name', 'name_prefix', 'log_group_class'],
    holds: 'data',
    verified: true,
  },
  aws_cloudwatch_log_metric_filter: {
    // Create and update are one Put, serialized per log group; the read pages DescribeMetricFilters.
    source: 'internal/service/logs/metric_filter.go',
    create: ops('logs', 'PutMetricFilter DescribeMetricFilters'),
    read: ops('logs', 'DescribeMetricFilters'),
    update: ops('logs', 'PutMetricFilter DescribeMetricFilters'),
    delete: ops('logs', 'DeleteMetricFilter'),
    tag: none,
    forceNew: ['name', 'log_group_name'],
    verified: true,
  },
  aws_cloudwatch_metric_alarm: {
    // Tags go in PutMetricAlarm (cloudwatch:TagResource for tag-on-create).
    source: 'internal/service/cloudwatch/metric_alarm.go',
    create: ops('cloudwatch', 'DescribeAlarms PutMetricAlarm=PutMetricAlarm+TagResource'),
    read: ops('cloudwatch', 'DescribeAlarms'),
    update: ops('cloudwatch', 'PutMetricAlarm DescribeAlarms'),
    delete: ops('cloudwatch', 'DeleteAlarms'),
    tag: ops('cloudwatch', 'ListTagsForResource TagResource UntagResource'),
    forceNew: ['alarm_name'],
    verified: true,
  },
  aws_cloudwatch_query_definition: {
    // No ForceNew argument: a rename is a PutQueryDefinition with the same ID.
    source: 'internal/service/logs/query_definition.go',
    create: ops('logs', 'PutQueryDefinition DescribeQueryDefinitions'),
    read: ops('logs', 'DescribeQueryDefinitions'),
    update: ops('logs', 'PutQueryDefinition DescribeQueryDefinitions'),
    delete: ops('logs', 'DeleteQueryDefinition'),
    tag: none,
    forceNew: [],
    verified: true,
  },
  aws_glue_catalog_database: {
    // Tags go in CreateDatabase; @Tags(identifierAttribute="arn") reads and writes them afterwards.
    source: 'internal/service/glue/catalog_database.go',
    create: ops('glue', 'CreateDatabase=CreateDatabase+TagResource GetDatabase'),
    read: ops('glue', 'GetDatabase'),
    update: ops('glue', 'UpdateDatabase GetDatabase'),
    delete: ops('glue', 'DeleteDatabase'),
    tag: ops('glue', 'GetTags TagResource UntagResource'),
    forceNew: ['catalog_id', 'name', 'target_database'],
    verified: true,
  },
  aws_glue_catalog_table: {
    // The read calls GetPartitionIndexes after GetTable (findPartitionIndexes in resourceCatalogTableRead):
    // a deploy role without glue:GetPartitionIndexes creates the table and then fails reading it.
    source: 'internal/service/glue/catalog_table.go',
    create: ops('glue', 'CreateTable GetTable GetPartitionIndexes'),
    read: ops('glue', 'GetTable GetPartitionIndexes'),
    update: ops('glue', 'GetTable UpdateTable GetPartitionIndexes'),
    delete: ops('glue', 'DeleteTable'),
    tag: none,
    forceNew: [
      'catalog_id',
      'database_name',
      'name',
      'partition_index',
      'open_table_format_input.iceberg_input.metadata_operation',
      'open_table_format_input.iceberg_input.version',
    ],
    verified: true,
  },
  aws_iam_openid_connect_provider: {
    // Tags go in CreateOpenIDConnectProvider (iam:TagOpenIDConnectProvider for tag-on-create); the read
    // takes them from GetOpenIDConnectProvider. Deployed by the bootstrap stacks, with an admin role: Terraform
    // Cloud's (tfc backend) and GitHub Actions' (token.actions.githubusercontent.com, s3 backend with
    // deployment.backend.github). thumbprint_list is Optional+Computed: create sends ThumbprintList only when set
    // (d.GetOk), the read stores what IAM returns, and update calls UpdateOpenIDConnectProviderThumbprint only for a
    // non-empty list (an emptied list cannot be sent: the API takes no thumbprints only at creation, issue #40509);
    // this app sets none. client_id_list is a set: AddClientIDTo/RemoveClientIDFromOpenIDConnectProvider in place.
    // The 5.100.0 binary's `terraform providers schema -json` agrees: thumbprint_list optional+computed, client_id_list
    // a required set of strings, url required.
    source: 'internal/service/iam/openid_connect_provider.go',
    create: ops('iam', 'CreateOpenIDConnectProvider=CreateOpenIDConnectProvider+TagOpenIDConnectProvider GetOpenIDConnectProvider'),
    read: ops('iam', 'GetOpenIDConnectProvider'),
    update: ops('iam', 'UpdateOpenIDConnectProviderThumbprint AddClientIDToOpenIDConnectProvider RemoveClientIDFromOpenIDConnectProvider'),
    delete: ops('iam', 'DeleteOpenIDConnectProvider'),
    tag: ops('iam', 'ListOpenIDConnectProviderTags TagOpenIDConnectProvider UntagOpenIDConnectProvider'),
    forceNew: ['url'],
    holds: 'identity',
    verified: true,
  },
  aws_iam_policy: {
    // Update prunes old versions (ListPolicyVersions, DeletePolicyVersion), creates the new version
    // with SetAsDefault false, then calls SetDefaultPolicyVersion separately (resourcePolicyUpdate):
    // without iam:SetDefaultPolicyVersion a tenant policy change fails at apply. The read takes the
    // tags from GetPolicy. description is ForceNew.
    source: 'internal/service/iam/policy.go',
    create: ops('iam', 'CreatePolicy=CreatePolicy+TagPolicy GetPolicy GetPolicyVersion'),
    read: ops('iam', 'GetPolicy GetPolicyVersion'),
    update: ops('iam', 'ListPolicyVersions DeletePolicyVersion CreatePolicyVersion SetDefaultPolicyVersion'),
    delete: ops('iam', 'ListPolicyVersions DeletePolicyVersion DeletePolicy'),
    tag: ops('iam', 'TagPolicy UntagPolicy'),
    forceNew: ['description', 'name', 'name_prefix', 'path'],
    verified: true,
  },
  aws_iam_role: {
    // The read lists inline and attached policies (inline_policy, managed_policy_arns) and takes the
    // tags from GetRole; tags go in CreateRole (iam:TagRole for tag-on-create).
    source: 'internal/service/iam/role.go',
    create: ops('iam', 'CreateRole=CreateRole+TagRole GetRole ListRolePolicies GetRolePolicy ListAttachedRolePolicies'),
    read: ops('iam', 'GetRole ListRolePolicies GetRolePolicy ListAttachedRolePolicies'),
    update: ops('iam', 'UpdateAssumeRolePolicy UpdateRoleDescription UpdateRole'),
    delete: ops(
      'iam',
      'ListInstanceProfilesForRole RemoveRoleFromInstanceProfile ListRolePolicies DeleteRolePolicy ListAttachedRolePolicies DetachRolePolicy DeleteRole',
    ),
    tag: ops('iam', 'TagRole UntagRole'),
    forceNew: ['name', 'name_prefix', 'path'],
    holds: 'identity',
    verified: true,
    note: 'delete: from the API reference (DeleteRole needs the role emptied first); the delete helper was not read.',
  },
  aws_iam_role_policy: {
    // The schema validates the document against IAM's 10,240-character inline limit (ValidIAMPolicyJSON).
    source: 'internal/service/iam/role_policy.go',
    create: ops('iam', 'PutRolePolicy GetRolePolicy'),
    read: ops('iam', 'GetRolePolicy'),
    update: ops('iam', 'PutRolePolicy GetRolePolicy'),
    delete: ops('iam', 'DeleteRolePolicy'),
    tag: none,
    forceNew: ['name', 'name_prefix', 'role'],
    verified: true,
  },
  aws_kms_alias: {
    // The read pages ListAliases for the name (FindAliasByName). kms:CreateAlias, UpdateAlias and
    // DeleteAlias are checked on both the alias and the key (KMS developer guide).
    source: 'internal/service/kms/alias.go',
    create: ops('kms', 'CreateAlias ListAliases'),
    read: ops('kms', 'ListAliases'),
    update: ops('kms', 'UpdateAlias ListAliases'),
    delete: ops('kms', 'DeleteAlias'),
    tag: none,
    forceNew: ['name', 'name_prefix'],
    verified: true,
  },
  aws_kms_key: {
    // Create passes policy and tags to CreateKey (kms:TagResource for tag-on-create), turns rotation on,
    // and waits for policy and tags to propagate; the read (findKeyInfo) is DescribeKey, GetKeyPolicy,
    // GetKeyRotationStatus and ListResourceTags.
    source: 'internal/service/kms/key.go',
    create: ops('kms', 'CreateKey=CreateKey+TagResource EnableKeyRotation GetKeyRotationStatus GetKeyPolicy ListResourceTags DescribeKey'),
    read: ops('kms', 'DescribeKey GetKeyPolicy GetKeyRotationStatus ListResourceTags'),
    update: ops(
      'kms',
      'EnableKey DisableKey EnableKeyRotation DisableKeyRotation UpdateKeyDescription PutKeyPolicy DescribeKey GetKeyPolicy',
    ),
    delete: ops('kms', 'ScheduleKeyDeletion DescribeKey'),
    tag: ops('kms', 'ListResourceTags TagResource UntagResource'),
    forceNew: ['custom_key_store_id', 'customer_master_key_spec', 'key_usage', 'multi_region', 'xks_key_id'],
    holds: 'data',
    verified: true,
    note: 'Scheduling its deletion makes everything it encrypted unreadable.',
  },
  aws_oam_link: {
    // Create passes the tags in CreateLink (oam:TagResource on tag-on-create) and reads back; sink_identifier and
    // label_template are ForceNew; resource_types and link_configuration change in place (UpdateLink). Sharing a
    // resource type also needs that service's Link action: cloudwatch:Link for metrics, logs:Link for log groups
    // (Service Authorization Reference, oam CreateLink; CloudWatch user guide, cross-account setup permissions).
    source: 'internal/service/oam/link.go',
    create: ops('oam', 'CreateLink=CreateLink+TagResource+cloudwatch:Link+logs:Link GetLink ListTagsForResource'),
    read: ops('oam', 'GetLink ListTagsForResource'),
    update: ops('oam', 'UpdateLink=UpdateLink+cloudwatch:Link+logs:Link GetLink'),
    delete: ops('oam', 'DeleteLink'),
    tag: ops('oam', 'ListTagsForResource TagResource UntagResource'),
    forceNew: ['label_template', 'sink_identifier'],
    verified: true,
    note: "Deleting it stops the sharing of the account's metrics and invocation log group with the monitoring account (flagged by the plan review). Its sink ARN comes from the monitoring stack's state (terraform_remote_state, stacks/observability/link.ts).",
  },
  aws_oam_sink: {
    // Update is tags only; name is ForceNew. Create passes the tags in CreateSink.
    source: 'internal/service/oam/sink.go',
    create: ops('oam', 'CreateSink=CreateSink+TagResource GetSink ListTagsForResource'),
    read: ops('oam', 'GetSink ListTagsForResource'),
    update: ops('oam', 'GetSink'),
    delete: ops('oam', 'DeleteSink'),
    tag: ops('oam', 'ListTagsForResource TagResource UntagResource'),
    forceNew: ['name'],
    holds: 'identity',
    verified: true,
    note: 'Its ARN carries a generated ID that every link of the region holds: a replacement gives a new ARN, and the links to the old sink go with it.',
  },
  aws_oam_sink_policy: {
    // Create and update are PutSinkPolicy then GetSinkPolicy; delete is a no-op (schema.NoopContext): removing the
    // resource leaves the policy on the sink. Not taggable.
    source: 'internal/service/oam/sink_policy.go',
    create: ops('oam', 'PutSinkPolicy GetSinkPolicy'),
    read: ops('oam', 'GetSinkPolicy'),
    update: ops('oam', 'PutSinkPolicy GetSinkPolicy'),
    delete: none,
    tag: none,
    forceNew: ['sink_identifier'],
    verified: true,
  },
  aws_organizations_policy: {
    source: 'internal/service/organizations/policy.go',
    create: ops('organizations', 'CreatePolicy=CreatePolicy+TagResource DescribePolicy'),
    read: ops('organizations', 'DescribePolicy'),
    update: ops('organizations', 'UpdatePolicy DescribePolicy'),
    delete: ops('organizations', 'DeletePolicy'),
    tag: ops('organizations', 'ListTagsForResource TagResource UntagResource'),
    forceNew: ['type'],
    verified: true,
  },
  aws_organizations_policy_attachment: {
    // No update function: both arguments force a new attachment. The read pages ListTargetsForPolicy.
    source: 'internal/service/organizations/policy_attachment.go',
    create: ops('organizations', 'AttachPolicy ListTargetsForPolicy'),
    read: ops('organizations', 'ListTargetsForPolicy'),
    update: none,
    delete: ops('organizations', 'DetachPolicy'),
    tag: none,
    forceNew: ['policy_id', 'target_id'],
    verified: true,
  },
  aws_quicksight_data_set: {
    // The read calls DescribeDataSetRefreshProperties as well (resourceDataSetRead); without it the
    // data set is created and then fails to read. CreateDataSet and UpdateDataSet on a data source
    // need quicksight:PassDataSource (Service Authorization Reference, dependent action).
    source: 'internal/service/quicksight/data_set.go',
    create: ops(
      'quicksight',
      'CreateDataSet=CreateDataSet+PassDataSource PutDataSetRefreshProperties DescribeDataSet DescribeDataSetPermissions DescribeDataSetRefreshProperties',
    ),
    read: ops('quicksight', 'DescribeDataSet DescribeDataSetPermissions DescribeDataSetRefreshProperties'),
    update: ops(
      'quicksight',
      'UpdateDataSet=UpdateDataSet+PassDataSource UpdateDataSetPermissions PutDataSetRefreshProperties DeleteDataSetRefreshProperties',
    ),
    delete: ops('quicksight', 'DeleteDataSet'),
    tag: ops('quicksight', 'ListTagsForResource TagResource UntagResource'),
    forceNew: ['aws_account_id', 'data_set_id'],
    verified: true,
  },
  aws_quicksight_data_source: {
    // Create and update wait on the data source status (DescribeDataSource); the read also describes
    // its permissions.
    source: 'internal/service/quicksight/data_source.go',
    create: ops('quicksight', 'CreateDataSource DescribeDataSource DescribeDataSourcePermissions'),
    read: ops('quicksight', 'DescribeDataSource DescribeDataSourcePermissions'),
    update: ops('quicksight', 'UpdateDataSource DescribeDataSource UpdateDataSourcePermissions'),
    delete: ops('quicksight', 'DeleteDataSource'),
    tag: ops('quicksight', 'ListTagsForResource TagResource UntagResource'),
    forceNew: ['aws_account_id', 'data_source_id', 'type'],
    verified: true,
    note: 'The schema part of the file was not read: the force-new arguments are from the 5.100 documentation.',
  },
  aws_s3_bucket: {
    // resourceBucketRead reads every bucket sub-configuration, whether or not the stack sets it (policy,
    // ACL, CORS, website, versioning, accelerate, request payment, logging, lifecycle, replication,
    // encryption, object lock), the region (manager.GetBucketRegion: HeadBucket) and the tags. Create
    // sends ACL "private", for which s3:CreateBucket alone suffices, but object_lock_enabled
    // (ObjectLockEnabledForBucket) also needs s3:PutBucketObjectLockConfiguration and
    // s3:PutBucketVersioning (CreateBucket API reference); then it runs the update (tags).
    source: 'internal/service/s3/bucket.go',
    create: ops(
      's3',
      'CreateBucket=CreateBucket+PutBucketObjectLockConfiguration+PutBucketVersioning HeadBucket=ListBucket PutBucketTagging',
    ),
    read: ops(
      's3',
      'HeadBucket=ListBucket GetBucketPolicy GetBucketAcl GetBucketCors=GetBucketCORS GetBucketWebsite GetBucketVersioning GetBucketAccelerateConfiguration=GetAccelerateConfiguration GetBucketRequestPayment GetBucketLogging GetBucketLifecycleConfiguration=GetLifecycleConfiguration GetBucketReplication=GetReplicationConfiguration GetBucketEncryption=GetEncryptionConfiguration GetObjectLockConfiguration=GetBucketObjectLockConfiguration',
    ),
    update: none,
    delete: ops('s3', 'DeleteBucket'),
    tag: ops('s3', 'GetBucketTagging PutBucketTagging DeleteBucketTagging=PutBucketTagging'),
    forceNew: ['bucket', 'bucket_prefix', 'object_lock_enabled'],
    holds: 'data',
    verified: true,
    note: 'update: only tags change in place here; the deprecated inline blocks the stacks do not set have their own Put calls.',
  },
  aws_s3_bucket_lifecycle_configuration: {
    // Put, then wait until GetBucketLifecycleConfiguration returns the same rules (waitLifecycleRulesEquals);
    // delete waits until the configuration is gone. IAM names both s3:*LifecycleConfiguration.
    source: 'internal/service/s3/bucket_lifecycle_configuration.go',
    create: ops(
      's3',
      'PutBucketLifecycleConfiguration=PutLifecycleConfiguration GetBucketLifecycleConfiguration=GetLifecycleConfiguration',
    ),
    read: ops('s3', 'GetBucketLifecycleConfiguration=GetLifecycleConfiguration'),
    update: ops(
      's3',
      'PutBucketLifecycleConfiguration=PutLifecycleConfiguration GetBucketLifecycleConfiguration=GetLifecycleConfiguration',
    ),
    delete: ops('s3', 'DeleteBucketLifecycle=PutLifecycleConfiguration GetBucketLifecycleConfiguration=GetLifecycleConfiguration'),
    tag: none,
    forceNew: ['bucket', 'expected_bucket_owner'],
    verified: true,
    note: 'Not stateful itself, but an expiration rule deletes stored logs (the plan review checks lifecycle changes). Only the update and delete functions were read; the force-new arguments are from the 5.100 documentation.',
  },
  aws_s3_bucket_notification: {
    // Create, update and delete are one PutBucketNotificationConfiguration (delete puts an empty configuration);
    // create waits on GetBucketNotificationConfiguration; the read is GetBucketNotificationConfiguration
    // (internal/service/s3/bucket_notification.go). IAM: s3:PutBucketNotification, s3:GetBucketNotification.
    source: 'internal/service/s3/bucket_notification.go',
    create: ops('s3', 'PutBucketNotificationConfiguration=PutBucketNotification GetBucketNotificationConfiguration=GetBucketNotification'),
    read: ops('s3', 'GetBucketNotificationConfiguration=GetBucketNotification'),
    update: ops('s3', 'PutBucketNotificationConfiguration=PutBucketNotification GetBucketNotificationConfiguration=GetBucketNotification'),
    delete: ops('s3', 'PutBucketNotificationConfiguration=PutBucketNotification'),
    tag: none,
    forceNew: ['bucket'],
    verified: true,
    note: 'A bucket has one notification configuration: this resource replaces any other (Lambda, SQS, SNS) set outside Terraform.',
  },
  aws_s3_bucket_object_lock_configuration: {
    // Every path is one PutObjectLockConfiguration (s3:PutBucketObjectLockConfiguration); delete puts it
    // back without a rule, which removes the default retention of new log objects.
    source: 'internal/service/s3/bucket_object_lock_configuration.go',
    create: ops(
      's3',
      'PutObjectLockConfiguration=PutBucketObjectLockConfiguration GetObjectLockConfiguration=GetBucketObjectLockConfiguration',
    ),
    read: ops('s3', 'GetObjectLockConfiguration=GetBucketObjectLockConfiguration'),
    update: ops(
      's3',
      'PutObjectLockConfiguration=PutBucketObjectLockConfiguration GetObjectLockConfiguration=GetBucketObjectLockConfiguration',
    ),
    delete: ops('s3', 'PutObjectLockConfiguration=PutBucketObjectLockConfiguration'),
    tag: none,
    forceNew: ['bucket', 'expected_bucket_owner', 'object_lock_enabled'],
    verified: true,
    note: 'Deleting it, or shortening its rule, shortens how long new logs are kept: a dangerous change in the plan review.',
  },
  aws_s3_bucket_ownership_controls: {
    source: 'internal/service/s3/bucket_ownership_controls.go',
    create: ops('s3', 'PutBucketOwnershipControls GetBucketOwnershipControls'),
    read: ops('s3', 'GetBucketOwnershipControls'),
    update: ops('s3', 'PutBucketOwnershipControls GetBucketOwnershipControls'),
    delete: ops('s3', 'DeleteBucketOwnershipControls=PutBucketOwnershipControls'),
    tag: none,
    forceNew: ['bucket'],
    verified: true,
  },
  aws_s3_bucket_policy: {
    // Create and update are one Put (retried on MalformedPolicy while principals propagate).
    source: 'internal/service/s3/bucket_policy.go',
    create: ops('s3', 'PutBucketPolicy GetBucketPolicy'),
    read: ops('s3', 'GetBucketPolicy'),
    update: ops('s3', 'PutBucketPolicy GetBucketPolicy'),
    delete: ops('s3', 'DeleteBucketPolicy GetBucketPolicy'),
    tag: none,
    forceNew: ['bucket'],
    verified: true,
  },
  aws_s3_bucket_public_access_block: {
    // The update skips the read after it (eventual consistency); delete waits until the block is gone.
    source: 'internal/service/s3/bucket_public_access_block.go',
    create: ops('s3', 'PutPublicAccessBlock=PutBucketPublicAccessBlock GetPublicAccessBlock=GetBucketPublicAccessBlock'),
    read: ops('s3', 'GetPublicAccessBlock=GetBucketPublicAccessBlock'),
    update: ops('s3', 'PutPublicAccessBlock=PutBucketPublicAccessBlock'),
    delete: ops('s3', 'DeletePublicAccessBlock=PutBucketPublicAccessBlock GetPublicAccessBlock=GetBucketPublicAccessBlock'),
    tag: none,
    forceNew: ['bucket'],
    verified: true,
  },
  aws_s3_bucket_server_side_encryption_configuration: {
    // Delete resets the bucket to its default encryption (DeleteBucketEncryption: s3:PutEncryptionConfiguration).
    source: 'internal/service/s3/bucket_server_side_encryption_configuration.go',
    create: ops('s3', 'PutBucketEncryption=PutEncryptionConfiguration GetBucketEncryption=GetEncryptionConfiguration'),
    read: ops('s3', 'GetBucketEncryption=GetEncryptionConfiguration'),
    update: ops('s3', 'PutBucketEncryption=PutEncryptionConfiguration GetBucketEncryption=GetEncryptionConfiguration'),
    delete: ops('s3', 'DeleteBucketEncryption=PutEncryptionConfiguration'),
    tag: none,
    forceNew: ['bucket', 'expected_bucket_owner'],
    verified: true,
  },
  aws_s3_bucket_versioning: {
    // Delete suspends versioning (PutBucketVersioning with Suspended); it cannot turn it off.
    source: 'internal/service/s3/bucket_versioning.go',
    create: ops('s3', 'PutBucketVersioning GetBucketVersioning'),
    read: ops('s3', 'GetBucketVersioning'),
    update: ops('s3', 'PutBucketVersioning GetBucketVersioning'),
    delete: ops('s3', 'PutBucketVersioning'),
    tag: none,
    forceNew: ['bucket', 'expected_bucket_owner'],
    verified: true,
  },
  aws_s3_object: {
    // SSE-KMS: PutObject needs kms:GenerateDataKey on the bucket's key (through S3). In a versioned
    // bucket version_id is set, and resourceObjectDelete calls deleteAllObjectVersions:
    // ListObjectVersions (s3:ListBucketVersions, on the bucket) and DeleteObject with a VersionId
    // (s3:DeleteObjectVersion). Tags: @Tags(resourceType="Object"), the object tagging calls.
    source: 'internal/service/s3/object.go',
    create: ops('s3', 'PutObject=PutObject+kms:GenerateDataKey HeadObject=GetObject GetObjectTagging'),
    read: ops('s3', 'HeadObject=GetObject GetObjectTagging'),
    update: ops('s3', 'PutObject=PutObject+kms:GenerateDataKey HeadObject=GetObject'),
    delete: ops('s3', 'ListObjectVersions=ListBucketVersions DeleteObject=DeleteObject+DeleteObjectVersion'),
    tag: ops('s3', 'GetObjectTagging PutObjectTagging DeleteObjectTagging=DeleteObjectTagging'),
    forceNew: ['bucket', 'key'],
    verified: true,
  },
  aws_security_group: {
    // Create is CreateSecurityGroup with the tags (tag-on-create: ec2:CreateTags), a wait on DescribeSecurityGroups,
    // then RevokeSecurityGroupEgress of the default allow-all IPv4 and IPv6 egress rules, then the update path
    // (AuthorizeSecurityGroupIngress for inline ingress). Delete first removes lingering ENIs of the group
    // (DescribeNetworkInterfaces), then DeleteSecurityGroup, retried on DependencyViolation, and waits until gone
    // (internal/service/ec2/vpc_security_group.go). ForceNew: name, name_prefix, description, vpc_id (schema).
    source: 'internal/service/ec2/vpc_security_group.go',
    create: ops(
      'ec2',
      'CreateSecurityGroup=CreateSecurityGroup+CreateTags DescribeSecurityGroups RevokeSecurityGroupEgress AuthorizeSecurityGroupIngress',
    ),
    read: ops('ec2', 'DescribeSecurityGroups'),
    update: ops(
      'ec2',
      'DescribeSecurityGroups AuthorizeSecurityGroupIngress RevokeSecurityGroupIngress AuthorizeSecurityGroupEgress RevokeSecurityGroupEgress',
    ),
    delete: ops('ec2', 'DescribeNetworkInterfaces DeleteSecurityGroup DescribeSecurityGroups'),
    tag: ops('ec2', 'CreateTags DeleteTags'),
    forceNew: ['description', 'name', 'name_prefix', 'vpc_id'],
    verified: true,
  },
  aws_sns_topic: {
    // Tags go in CreateTopic; every other attribute (kms_master_key_id, policy) is a SetTopicAttributes.
    source: 'internal/service/sns/topic.go',
    create: ops('sns', 'CreateTopic=CreateTopic+TagResource SetTopicAttributes GetTopicAttributes'),
    read: ops('sns', 'GetTopicAttributes'),
    update: ops('sns', 'SetTopicAttributes GetTopicAttributes'),
    delete: ops('sns', 'DeleteTopic'),
    tag: ops('sns', 'ListTagsForResource TagResource UntagResource'),
    forceNew: ['fifo_topic', 'name', 'name_prefix'],
    verified: true,
    note: 'The schema part of the file was not read: the force-new arguments are from the 5.100 documentation.',
  },
  aws_sns_topic_policy: {
    // Create and update are one upsert of the Policy attribute; delete puts the default policy back.
    source: 'internal/service/sns/topic_policy.go',
    create: ops('sns', 'SetTopicAttributes GetTopicAttributes'),
    read: ops('sns', 'GetTopicAttributes'),
    update: ops('sns', 'SetTopicAttributes GetTopicAttributes'),
    delete: ops('sns', 'SetTopicAttributes'),
    tag: none,
    forceNew: ['arn'],
    verified: true,
  },
  aws_sns_topic_subscription: {
    // E-mail subscriptions are not waited for; delete polls GetSubscriptionAttributes until gone.
    source: 'internal/service/sns/topic_subscription.go',
    create: ops('sns', 'Subscribe GetSubscriptionAttributes'),
    read: ops('sns', 'GetSubscriptionAttributes'),
    update: ops('sns', 'SetSubscriptionAttributes GetSubscriptionAttributes'),
    delete: ops('sns', 'Unsubscribe GetSubscriptionAttributes'),
    tag: none,
    forceNew: ['endpoint', 'protocol', 'topic_arn'],
    verified: true,
  },
  aws_vpc_endpoint: {
    // Create is CreateVpcEndpoint with the tags (tag-on-create: ec2:CreateTags) and the policy, then a wait for
    // "available" (DescribeVpcEndpoints, 10 minutes). The read also looks up the service's prefix list
    // (DescribePrefixLists) and the subnet configuration of the endpoint's interfaces (DescribeNetworkInterfaces).
    // Policy, subnets, security groups and private DNS change in place (ModifyVpcEndpoint); delete is
    // DeleteVpcEndpoints and a wait until deleted (internal/service/ec2/vpc_endpoint.go).
    source: 'internal/service/ec2/vpc_endpoint.go',
    create: ops('ec2', 'CreateVpcEndpoint=CreateVpcEndpoint+CreateTags DescribeVpcEndpoints DescribePrefixLists DescribeNetworkInterfaces'),
    read: ops('ec2', 'DescribeVpcEndpoints DescribePrefixLists DescribeNetworkInterfaces'),
    update: ops('ec2', 'ModifyVpcEndpoint DescribeVpcEndpoints'),
    delete: ops('ec2', 'DeleteVpcEndpoints DescribeVpcEndpoints'),
    tag: ops('ec2', 'CreateTags DeleteTags'),
    forceNew: [
      'dns_options.private_dns_preference',
      'dns_options.private_dns_specified_domains',
      'resource_configuration_arn',
      'service_name',
      'service_network_arn',
      'service_region',
      'vpc_endpoint_type',
      'vpc_id',
    ],
    verified: true,
  },
};

/** Every row, by Terraform resource type. */
export const RESOURCE_TYPES: Readonly<Record<string, ResourceTypeContract>> = Object.freeze(
  Object.fromEntries(Object.entries(ROWS).map(([type, row]) => [type, Object.freeze({ type, ...row })])),
);

/** The row of a type; throws for a type without one (add its row: docs/resource-types.md). */
export function contractFor(type: string): ResourceTypeContract {
  const row = RESOURCE_TYPES[type];
  if (!row)
    throw new Error(`resource type ${type} has no row in lib/resource-types.ts: add one (docs/resource-types.md) before synthesizing it`);
  return row;
}

export const hasContract = (type: string): boolean => Object.prototype.hasOwnProperty.call(RESOURCE_TYPES, type);

/** Arguments of a type that force a new resource, as attribute paths without list indices. */
export const forceNewArguments = (type: string): readonly string[] => contractFor(type).forceNew;

/**
 * Whether a change at `path` (Terraform attribute path, e.g. "model_source[0].copy_from",
 * "storage_descriptor.0.location" or ["storage_descriptor", 0, "location"]) forces a new
 * resource: the path, without list indices, is a force-new argument or lies below one.
 */
export function forcesReplacement(type: string, path: string | readonly (string | number)[]): boolean {
  const steps = (typeof path === 'string' ? path.split(/[.[\]]+/) : path.map(String)).filter((s) => s !== '' && !/^\d+$/.test(s));
  return forceNewArguments(type).some((arg) => {
    const parts = arg.split('.');
    return parts.length <= steps.length && parts.every((p, i) => p === steps[i]);
  });
}

/** Whether deleting or replacing a resource of this type loses stored data or an identity others rely on. */
export const isStateful = (type: string): boolean => contractFor(type).holds !== undefined;

/** The types that hold data or identity. */
export const statefulTypes = (): string[] =>
  Object.values(RESOURCE_TYPES)
    .filter((r) => r.holds)
    .map((r) => r.type);

/** IAM actions of a type's paths (all paths by default), sorted and without duplicates. */
export function iamActions(type: string, paths: readonly LifecyclePath[] = PATHS): string[] {
  const row = contractFor(type);
  return [...new Set(paths.flatMap((p) => row[p].actions))].sort();
}

/**
 * What a deploy role needs to manage these types: every path's actions, except the
 * delete path of stateful types (they carry prevent_destroy, and the deploy role
 * must not be able to delete stored logs, keys or identities).
 */
export function deployActions(types: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const type of types) for (const a of iamActions(type, isStateful(type) ? PATHS.filter((p) => p !== 'delete') : PATHS)) out.add(a);
  return [...out].sort();
}
